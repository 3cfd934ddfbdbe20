"""Forms for 十户联防 groups: they parse the choice of households and the lead among the area's
households; the rules (10–15 households, one grid, the lead among them) live in defence.py."""

from django import forms

from yimen.core.forms import BootstrapBoundField, RecordsField
from yimen.core.schemas import ID_MAX
from yimen.people.defence import REASON_MAX
from yimen.people.models import Household

REQUIRED = "此项为必填项。"


class DefenceGroupForm(forms.Form):
    """组建/调整: name, member households (check boxes) and the lead (a radio among them)."""

    bound_field_class = BootstrapBoundField

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=ID_MAX)
    name = forms.CharField(label="组名", max_length=50, error_messages={"required": "请填写组名。"})
    households = RecordsField(
        label="成员户",
        queryset=Household.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请勾选成员户。", "invalid_choice": "所选户不在本网格内。"},
    )
    lead = forms.IntegerField(
        label="中心户", min_value=1, max_value=ID_MAX, error_messages={"required": "请选择中心户。"}
    )

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["households"].queryset = households
        self.area = list(households)

    def chosen(self) -> set[str]:
        """The households ticked (what was typed survives a refusal), as strings for the template."""
        if self.is_bound:
            return set(self.data.getlist("households"))
        return {str(pk) for pk in self.initial.get("households", [])}

    def clean_lead(self) -> Household | None:
        lead = self.cleaned_data["lead"]
        return next((h for h in self.area if h.pk == lead), None)


class RetireForm(forms.Form):
    bound_field_class = BootstrapBoundField

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)
    reason = forms.CharField(
        label="撤销原因",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请说明撤销原因，如“村民小组合并，重新编组”。"},
    )
