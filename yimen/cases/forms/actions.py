"""The forms of the steps on a case page: each carries the version it was drawn under, and a
reason where the step is grave; the rules are the services'."""

from django import forms

from yimen.cases import tiers
from yimen.cases.choices import ContactChannel
from yimen.cases.forms.fields import MOMENT_ERRORS, NUMBER_ERRORS, moment_input, text_field
from yimen.cases.models import RISK_ORDER, Case, ReasonType, Risk
from yimen.cases.services import FOLLOW_UP_CAUSES
from yimen.core.forms import BootstrapBoundField
from yimen.org.models import Unit


class ActionForm(forms.Form):
    bound_field_class = BootstrapBoundField

    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, error_messages={"required": "缺少案件版本号，请刷新页面。"}
    )

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault("initial", {})["version"] = case.version
        super().__init__(*args, **kwargs)

    def payload(self) -> dict:
        return dict(self.cleaned_data)


class NoteForm(ActionForm):
    note = text_field("说明（可不填）")


class ReasonForm(ActionForm):
    reason = text_field("理由")


class DispatchForm(ActionForm):
    lead_unit = forms.ChoiceField(label="主办单位", error_messages={"required": "请选择主办单位。"})
    support_units = forms.MultipleChoiceField(
        label="协办单位（可多选）", required=False, widget=forms.CheckboxSelectMultiple
    )
    deadline = forms.DateTimeField(
        label="办理期限（不填按派单目录）", required=False, widget=moment_input(), error_messages=MOMENT_ERRORS
    )
    plan = text_field("联合处置方案（红色风险必填）")
    note = text_field("派单说明（可不填）")

    def __init__(self, *args, case: Case, units: list[Unit], **kwargs):
        super().__init__(*args, case=case, **kwargs)
        choices = [(unit.code, unit.name) for unit in units]
        self.fields["lead_unit"].choices = [("", "—— 请选择 ——"), *choices]
        self.fields["support_units"].choices = choices
        if case.joint_plan or not tiers.plan_required(case.risk):  # the risk tier says (red)
            del self.fields["plan"]

    def clean(self):
        """The form comes with the suggestion's units ticked: a dispatcher who picks one of
        them as lead means it to lead, not to support itself, so it leaves the support list
        (the API, which states its lists itself, is still refused a lead among its supports)."""
        cleaned = super().clean()
        lead = cleaned.get("lead_unit")
        if lead and lead in cleaned.get("support_units", []):
            cleaned["support_units"] = [code for code in cleaned["support_units"] if code != lead]
        return cleaned


class RedispatchForm(DispatchForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("deadline", "plan"):
            self.fields.pop(name, None)


class ReplyForm(ActionForm):
    text = text_field("答复内容", rows=4)

    def __init__(self, *args, support: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if support:  # a co-unit answers with its part of the work, not the case's answer
            self.fields["text"].label = "协办意见"


class CaseNoteForm(ActionForm):
    """办理记录: the text, and optionally who was contacted, how, with what result. The contact
    fields carry the API's names (contact.party …), so the service's field errors land on them."""

    text = text_field("办理情况", rows=3)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        parties = [(str(i), f"{p.name}（{p.get_role_display()}）") for i, p in enumerate(case.parties.all())]
        self.fields["contact.party"] = forms.ChoiceField(
            label="联系了哪位当事人", required=False, choices=[("", "未联系当事人"), *parties]
        )
        self.fields["contact.channel"] = forms.ChoiceField(
            label="联系方式", required=False, choices=[("", "—"), *ContactChannel.choices]
        )
        self.fields["contact.result"] = forms.CharField(
            label="联系结果", required=False, max_length=500, help_text="如 已接通，当事人同意调解"
        )

    def payload(self) -> dict:
        data = self.cleaned_data
        party = data["contact.party"]
        contact = (
            {"party": int(party), "channel": data["contact.channel"], "result": data["contact.result"]}
            if party
            else None
        )
        return {"version": data["version"], "text": data["text"], "contact": contact}


class ReleaseForm(ActionForm):
    unit = forms.ChoiceField(label="撤回的协办单位", error_messages={"required": "请选择协办单位。"})
    reason = text_field("撤回理由")

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        active = [a for a in case.assignments.all() if a.role == "support" and a.state in a.UNANSWERED]
        self.fields["unit"].choices = [("", "—— 请选择 ——"), *((a.unit.code, a.unit.name) for a in active)]


class ReviewForm(ActionForm):
    approved = forms.TypedChoiceField(
        label="审核结果",
        choices=[("true", "通过，办结"), ("false", "退回重办")],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
        initial="true",
        error_messages={"required": "请选择审核结果。"},
    )
    note = text_field("审核意见（退回重办须填写）")


class ExtendForm(ActionForm):
    days = forms.IntegerField(
        label="延期天数", min_value=1, error_messages={**NUMBER_ERRORS, "required": "请填写天数。"}
    )
    reason = text_field("延期理由")


CAUSE_LABELS = ("主观原因（办理不到位，重办）", "客观原因（法律政策所限）")  # FOLLOW_UP_CAUSES, in order


class FollowUpForm(ActionForm):
    rating = forms.TypedChoiceField(
        label="群众评价",
        choices=[(str(n), f"{n} 分") for n in range(5, 0, -1)],
        coerce=int,
        error_messages={"required": "请选择评价。"},
    )
    cause = forms.TypedChoiceField(
        label="不满意原因（1–2 分时填写）",
        required=False,
        choices=[("", "—"), *zip(FOLLOW_UP_CAUSES, CAUSE_LABELS, strict=True)],
        empty_value=None,
    )
    note = text_field("回访记录")


# Grave steps ask for their reason on the page (the house rule: censure, decline, merge, archive).
# The API keeps `merge {into}` and `archive` as API.md states them, for the integrations that
# rely on it; there the note stays optional.
class MergeForm(ActionForm):
    into = forms.CharField(label="并入案件编码", max_length=32, error_messages={"required": "请填写并入案件编码。"})
    note = text_field("并单理由", required=True)


class ArchiveForm(ActionForm):
    note = text_field("归档说明", required=True)


class ReferForm(ActionForm):
    to = forms.CharField(label="转往", max_length=100, help_text="如 110、人民法院、劳动仲裁")
    reason = text_field("转办理由")


class RaiseRiskForm(ActionForm):
    risk = forms.ChoiceField(label="调整为", choices=Risk.choices)
    reason = text_field("调整理由")
    plan = text_field("联合处置方案（红色必填）", rows=3)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        # Risk is only ever raised: offer the tiers above the current one, highest last.
        above = [(value, label) for value, label in Risk.choices if RISK_ORDER[value] > RISK_ORDER[case.risk]]
        self.fields["risk"].choices = sorted(above, key=lambda choice: RISK_ORDER[choice[0]])


class UrgeForm(ActionForm):
    reason_type = forms.ChoiceField(
        label="督办事由（可不选）", required=False, choices=[("", "—"), *ReasonType.choices]
    )
    note = text_field("说明（事由为“其他”时必填）")


class SuperviseForm(UrgeForm):
    """督办 / 通报: the reason is required (the service says so) and a 督办单 goes out with the
    correction deadline, by default the service's."""

    correct_within_days = forms.IntegerField(
        label="整改期限（工作日，不填按默认）",
        required=False,
        min_value=1,
        max_value=30,
        error_messages={**NUMBER_ERRORS, "max_value": "不能大于 %(limit_value)s。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason_type"].label = "督办事由"


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "accept": NoteForm,
    "decline": ReasonForm,
    "dispatch": DispatchForm,
    "sign": NoteForm,
    "dispute": ReasonForm,
    "redispatch": RedispatchForm,
    "reply": ReplyForm,
    "review": ReviewForm,
    "extend": ExtendForm,
    "close": NoteForm,
    "follow_up": FollowUpForm,
    "archive": ArchiveForm,
    "merge": MergeForm,
    "refer": ReferForm,
    "urge": UrgeForm,
    "supervise": SuperviseForm,
    "censure": SuperviseForm,
    "raise_risk": RaiseRiskForm,
    "take": NoteForm,
    "note": CaseNoteForm,
    "release": ReleaseForm,
}


class OrderAnswerForm(forms.Form):
    """整改情况: the addressed unit's answer to one 督办单."""

    bound_field_class = BootstrapBoundField

    text = text_field("整改情况", rows=3)


class UpwardReportForm(forms.Form):
    bound_field_class = BootstrapBoundField

    text = text_field("报告内容", rows=3)


class AttachmentForm(forms.Form):
    bound_field_class = BootstrapBoundField

    file = forms.FileField(label="附件", error_messages={"required": "请选择文件。", "empty": "文件是空的。"})
