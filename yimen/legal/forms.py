"""The legal-aid panel's forms: they check the shape of what was typed (Chinese field messages);
the services decide the rules and their refusals are put back on the form (add_service_errors)."""

from django import forms

from yimen.core.forms import BootstrapBoundField
from yimen.legal.models import Exemption, KeyGroup, Urgency

MONEY = {"min_value": 0, "max_digits": 12, "decimal_places": 2}


class StepForm(forms.Form):
    bound_field_class = BootstrapBoundField

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class MeansForm(StepForm):
    monthly_income = forms.DecimalField(label="家庭人均月收入（元）", **MONEY)
    assets = forms.DecimalField(label="家庭财产（元）", **MONEY)
    income_standard = forms.DecimalField(label="当地经济困难标准（元/人·月）", **MONEY)
    assets_standard = forms.DecimalField(label="家庭财产限额（元，可不填）", required=False, **MONEY)
    key_groups = forms.MultipleChoiceField(
        label="重点对象", choices=KeyGroup.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class FirstForm(StepForm):
    urgency = forms.ChoiceField(label="先行提供的情形", choices=Urgency.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="紧急情况说明", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(StepForm):
    granted = forms.TypedChoiceField(
        label="决定",
        choices=[("yes", "给予法律援助"), ("no", "不予法律援助")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    exemption = forms.ChoiceField(
        label="免予核查 / 不受经济困难条件限制（无则依经济状况核查）",
        choices=[("", "—— 依经济困难状况核查 ——"), *Exemption.choices],
        required=False,
    )
    reason = forms.CharField(label="决定理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    # The form-level field the services name when neither a means check nor an exemption exists.
    means_check = forms.CharField(required=False, widget=forms.HiddenInput)

    def service_kwargs(self) -> dict:
        values = dict(self.cleaned_data)
        values.pop("means_check", None)
        return values


class AssignForm(StepForm):
    lawyer = forms.CharField(label="法律援助人员（姓名、执业机构）", max_length=100)


class CloseForm(StepForm):
    result = forms.CharField(label="援助结果", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
