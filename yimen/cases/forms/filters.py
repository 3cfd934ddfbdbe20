"""The case list's filters (the page's form and the export's)."""

from django import forms

from yimen.cases.forms.fields import MOMENT_ERRORS
from yimen.cases.models import Case, Kind, Risk
from yimen.core.forms import BootstrapBoundField


class CaseFilterForm(forms.Form):
    """The list filters of GET /cases (API.md) on the inbox's "all visible" tab."""

    bound_field_class = BootstrapBoundField

    q = forms.CharField(label="关键词", required=False, max_length=50)
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *Case.State.choices])
    kind = forms.ChoiceField(label="种类", required=False, choices=[("", "全部种类"), *Kind.choices])
    risk = forms.ChoiceField(label="风险", required=False, choices=[("", "全部风险"), *Risk.choices])
    region = forms.ChoiceField(label="区域", required=False)
    overdue = forms.TypedChoiceField(
        label="超期",
        required=False,
        choices=[("", "不限"), ("true", "已超期"), ("false", "未超期")],
        coerce=lambda value: value == "true",
        empty_value=None,
    )
    received_since = forms.DateField(
        label="收到自", required=False, widget=forms.DateInput({"type": "date"}), error_messages=MOMENT_ERRORS
    )
    received_until = forms.DateField(
        label="收到至", required=False, widget=forms.DateInput({"type": "date"}), error_messages=MOMENT_ERRORS
    )

    def __init__(self, *args, regions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "全部区域"), *regions]
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": "编码、标题、内容或当事人"})


# ---------------------------------------------------------------------------------------------
# One small form per action; each posts the case version it was drawn with.
