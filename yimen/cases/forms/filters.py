"""The case list's filters (the page's form and the export's)."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from yimen.cases.forms.fields import MOMENT_ERRORS
from yimen.cases.models import Case, Kind, Risk
from yimen.core.forms import BootstrapBoundField


class FlatSelect(forms.Select):
    """A select of flat choices drawn in one pass, with the markup Django's templates give it: the
    region filter lists a town's villages and grids (a hundred options and more), and the option
    template rendered once per option cost more than the twenty rows of the list page (issue 22
    part 3); the other filters' selects add some thirty more."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        # As django/forms/widgets/attrs.html writes them: in order, True as a bare name, False left out.
        shown = ((key, "" if on is True else format_html('="{}"', on)) for key, on in attrs.items() if on is not False)
        written = format_html_join("", " {}{}", shown)
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>\n',
            ((key, mark_safe(" selected") if str(key) in chosen else "", label) for key, label in self.choices),
        )
        return format_html('<select name="{}"{}>{}\n</select>', name, written, options)


class CaseFilterForm(forms.Form):
    """The list filters of GET /cases (API.md) on the inbox's "all visible" tab."""

    bound_field_class = BootstrapBoundField

    q = forms.CharField(label="关键词", required=False, max_length=50)
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *Case.State.choices], widget=FlatSelect
    )
    kind = forms.ChoiceField(label="种类", required=False, choices=[("", "全部种类"), *Kind.choices], widget=FlatSelect)
    risk = forms.ChoiceField(label="风险", required=False, choices=[("", "全部风险"), *Risk.choices], widget=FlatSelect)
    region = forms.ChoiceField(label="区域", required=False, widget=FlatSelect)
    overdue = forms.TypedChoiceField(
        label="超期",
        required=False,
        choices=[("", "不限"), ("true", "已超期"), ("false", "未超期")],
        coerce=lambda value: value == "true",
        empty_value=None,
        widget=FlatSelect,
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
