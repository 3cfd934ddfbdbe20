"""The legal-aid panel's forms: they check the shape of what was typed (Chinese field messages);
the services decide the rules and their refusals are put back on the form (add_service_errors)."""

from django import forms

from yimen.cases.forms import MOMENT_ERRORS, moment_input
from yimen.core.forms import DATE_ERROR, BootstrapBoundField
from yimen.legal.models import Exemption, KeyGroup, TrainingSession, Urgency

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


class OrderForm(forms.Form):
    """点餐 on the orders page: the village (of the member's area), the topic, the wanted date."""

    bound_field_class = BootstrapBoundField

    village = forms.ChoiceField(label="村（社区）")
    topic = forms.CharField(
        label="宣讲主题",
        max_length=100,
        help_text="可从普法菜单中选，也可自拟",
        widget=forms.TextInput(attrs={"list": "menu-topics"}),
    )
    wanted_by = forms.DateField(
        label="希望在此日前", widget=forms.DateInput(attrs={"type": "date"}), error_messages=DATE_ERROR
    )

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [(v.code, v.name) for v in villages]


class ScheduleForm(forms.Form):
    """The town's scheduling of an order: an adviser from the roster or an outside expert, a time."""

    bound_field_class = BootstrapBoundField

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    adviser = forms.ChoiceField(label="村法律顾问", required=False)
    expert = forms.CharField(label="或：法律专家（姓名、单位）", max_length=100, required=False)
    at = forms.DateTimeField(label="宣讲时间", widget=moment_input(), error_messages=MOMENT_ERRORS)

    def __init__(self, *args, advisers=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Choices, not a model field: the id is checked against the roster before any query.
        self.fields["adviser"].choices = [("", "—— 名册以外的专家 ——")] + [(str(a.pk), str(a)) for a in advisers]

    def service_kwargs(self) -> dict:
        values = dict(self.cleaned_data)
        values["adviser"] = int(values["adviser"]) if values["adviser"] else None
        return values


class SessionForm(forms.Form):
    """A training or case talk given: the cases by their codes, made anonymous by the generator."""

    bound_field_class = BootstrapBoundField

    kind = forms.ChoiceField(label="类型", choices=TrainingSession.Kind.choices, widget=forms.RadioSelect)
    topic = forms.CharField(label="主题", max_length=100)
    held_at = forms.DateTimeField(label="时间", widget=moment_input(), error_messages=MOMENT_ERRORS)
    place = forms.CharField(label="地点", max_length=100)
    speaker = forms.ChoiceField(label="主讲（村法律顾问）")
    villages = forms.MultipleChoiceField(label="参训村（社区）", widget=forms.CheckboxSelectMultiple)
    attendance = forms.IntegerField(label="参加人数", min_value=1, max_value=10_000)
    attendees = forms.MultipleChoiceField(label="参训干部", required=False, widget=forms.CheckboxSelectMultiple)
    cases = forms.CharField(
        label="选用的已办结案件（案件编码，每行一个）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="系统自动隐去姓名、电话、身份证号、门牌地址和案件编码，生成典型案例。",
    )

    def __init__(self, *args, advisers=(), villages=(), cadres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].choices = [(str(a.pk), str(a)) for a in advisers]
        self.fields["villages"].choices = [(v.code, v.name) for v in villages]
        self.fields["attendees"].choices = [
            (str(m.pk), f"{m.user.get_full_name() or m.user.username}（{m.unit.name}）") for m in cadres
        ]

    def clean_cases(self) -> list[str]:
        codes = self.cleaned_data["cases"].replace("，", " ").replace(",", " ").split()
        if len(codes) > 10:
            raise forms.ValidationError("一次最多选用 10 件案例。")
        return codes

    def service_kwargs(self) -> dict:
        values = dict(self.cleaned_data)
        # both checked against their choices (digit strings) above
        values["speaker"] = int(values["speaker"])
        values["attendees"] = [int(pk) for pk in values["attendees"]]
        return values
