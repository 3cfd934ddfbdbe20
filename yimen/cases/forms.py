"""Forms for the case pages. They only parse what was typed; every rule (required reasons,
kinds and categories, deadlines, who may act) lives in yimen.cases.services, whose Chinese
messages land on these fields through add_service_errors."""

from django import forms
from django.utils import timezone

from yimen.cases import tiers
from yimen.cases.choices import ContactChannel
from yimen.cases.models import RISK_ORDER, Case, Channel, Kind, Party, PetitionType, ReasonType, Risk
from yimen.cases.services import FOLLOW_UP_CAUSES
from yimen.core.forms import BootstrapBoundField
from yimen.core.schemas import ID_MAX
from yimen.org.models import Unit

MOMENT = "%Y-%m-%dT%H:%M"
MOMENT_ERRORS = {"invalid": "请输入有效时间，例如 2026-01-31 09:30。"}
NUMBER_ERRORS = {"invalid": "请输入整数。", "min_value": "不能小于 %(limit_value)s。"}


def moment_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MOMENT)


def now_minute() -> str:
    return timezone.localtime().strftime(MOMENT)


class IntakeForm(forms.Form):
    """登记: the intake desk. `idempotency_key` is made when the page is drawn, so a double click
    or a resubmitted page registers once."""

    bound_field_class = BootstrapBoundField

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    kind = forms.ChoiceField(label="事项种类", choices=Kind.choices, initial=Kind.DISPUTE)
    channel = forms.ChoiceField(label="来源渠道", choices=Channel.choices, initial=Channel.VISIT)
    source_ref = forms.CharField(
        label="来源编号",
        required=False,
        max_length=60,
        help_text="本单位的原始编号，如 110 接警单号，便于两边记录互查。",
        error_messages={"max_length": "来源编号最多 60 个字。"},
    )
    # Required, but the service says so together with its other checks (all errors at once).
    title = forms.CharField(
        label="标题", required=False, max_length=200, error_messages={"max_length": "标题最多 200 字。"}
    )
    description = forms.CharField(label="内容", required=False, max_length=5000, widget=forms.Textarea({"rows": 3}))
    received_at = forms.DateTimeField(
        label="收到时间", required=False, widget=moment_input(), error_messages=MOMENT_ERRORS
    )
    occurred_at = forms.DateTimeField(
        label="发生时间", required=False, widget=moment_input(), error_messages=MOMENT_ERRORS
    )
    category = forms.CharField(label="事项类别", required=False, max_length=60)
    region = forms.CharField(label="所在区域", max_length=24, error_messages={"required": "请选择所在区域。"})
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    risk = forms.ChoiceField(label="风险等级", required=False, choices=[("", "按规则自动评定"), *Risk.choices])
    group_size = forms.IntegerField(
        label="涉及人数", required=False, min_value=1, max_value=100_000, error_messages=NUMBER_ERRORS
    )
    petition_type = forms.ChoiceField(label="信访类型", required=False, choices=[("", "—"), *PetitionType.choices])
    accused_units = forms.MultipleChoiceField(
        label="被检举控告单位",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "没有这个单位。"},
    )
    accused_users = forms.CharField(
        label="被检举控告的工作人员账号",
        required=False,
        max_length=500,
        help_text="多个账号用空格或逗号分隔；被检举控告人本人看不到该件。",
    )
    review_of = forms.CharField(
        label="复查/复核的原信访事项编码",
        required=False,
        max_length=32,
        help_text="请求复查或复核时填写；复查须在收到处理意见书之日起 30 日内提出。",
    )

    def __init__(self, *args, units: list[Unit], categories_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accused_units"].choices = [(unit.code, unit.name) for unit in units]
        # A new kind brings its own categories (the category select is swapped in by htmx).
        self.fields["kind"].widget.attrs.update(
            {"hx-get": categories_url, "hx-trigger": "change", "hx-target": "#category-field", "hx-swap": "outerHTML"}
        )
        self.fields["title"].widget.attrs.update(
            {"autofocus": True, "placeholder": "一句话说明事项，如 叔侄宅基地边界纠纷"}
        )
        self.fields["received_at"].help_text = "法定期限自收到之日起算；来信请填邮戳日期。"

    def payload(self) -> dict:
        """The service's keyword arguments (parties are added by the view)."""
        data = self.cleaned_data
        location = (
            {"lat": data["lat"], "lng": data["lng"]} if data["lat"] is not None and data["lng"] is not None else None
        )
        return {
            "kind": data["kind"],
            "title": data["title"],
            "description": data["description"],
            "channel": data["channel"],
            "source_ref": data["source_ref"],
            "region": data["region"],
            "location": location,
            "occurred_at": data["occurred_at"],
            "received_at": data["received_at"],
            "category": data["category"] or None,
            "risk": data["risk"] or None,
            "petition_type": data["petition_type"] or None,
            "accused_units": data["accused_units"],
            "group_size": data["group_size"],
            "review_of": data["review_of"].strip() or None,
            "accused_users": data["accused_users"].replace("，", ",").replace(",", " ").split(),
        }


class PartyForm(forms.Form):
    """One party row; a row left blank is skipped, the service checks the rest."""

    bound_field_class = BootstrapBoundField

    name = forms.CharField(label="姓名/名称", required=False, max_length=100)
    role = forms.ChoiceField(label="身份", choices=Party.Role.choices, initial=Party.Role.APPLICANT)
    phone = forms.CharField(label="电话", required=False, max_length=30)
    id_number = forms.CharField(label="身份证号", required=False, max_length=20)
    person_id = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)
    person_label = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, search_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        if search_url:  # registry autocomplete as the name is typed
            self.fields["name"].widget.attrs.update(
                {
                    "hx-get": search_url,
                    "hx-trigger": "input changed delay:350ms",
                    "hx-target": "next .person-suggestions",
                    "hx-swap": "innerHTML",
                }
            )

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(data.get(f) for f in ("name", "phone", "id_number", "person_id"))

    def payload(self) -> dict:
        data = self.cleaned_data
        party = {"name": data["name"], "role": data["role"], "phone": data["phone"], "id_number": data["id_number"]}
        return {**party, "person_id": data["person_id"]} if data["person_id"] else party


PartyFormSet = forms.formset_factory(PartyForm, extra=0, max_num=50, absolute_max=50, validate_max=True)


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


def _text(label: str, *, rows: int = 2, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        widget=forms.Textarea({"rows": rows}),
        error_messages={"required": f"请填写{label}。"},
    )


class NoteForm(ActionForm):
    note = _text("说明（可不填）")


class ReasonForm(ActionForm):
    reason = _text("理由")


class DispatchForm(ActionForm):
    lead_unit = forms.ChoiceField(label="主办单位", error_messages={"required": "请选择主办单位。"})
    support_units = forms.MultipleChoiceField(
        label="协办单位（可多选）", required=False, widget=forms.CheckboxSelectMultiple
    )
    deadline = forms.DateTimeField(
        label="办理期限（不填按派单目录）", required=False, widget=moment_input(), error_messages=MOMENT_ERRORS
    )
    plan = _text("联合处置方案（红色风险必填）")
    note = _text("派单说明（可不填）")

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
    text = _text("答复内容", rows=4)

    def __init__(self, *args, support: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if support:  # a co-unit answers with its part of the work, not the case's answer
            self.fields["text"].label = "协办意见"


class CaseNoteForm(ActionForm):
    """办理记录: the text, and optionally who was contacted, how, with what result. The contact
    fields carry the API's names (contact.party …), so the service's field errors land on them."""

    text = _text("办理情况", rows=3)

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
    reason = _text("撤回理由")

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
    note = _text("审核意见（退回重办须填写）")


class ExtendForm(ActionForm):
    days = forms.IntegerField(
        label="延期天数", min_value=1, error_messages={**NUMBER_ERRORS, "required": "请填写天数。"}
    )
    reason = _text("延期理由")


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
    note = _text("回访记录")


# Grave steps ask for their reason on the page (the house rule: censure, decline, merge, archive).
# The API keeps `merge {into}` and `archive` as API.md states them, for the integrations that
# rely on it; there the note stays optional.
class MergeForm(ActionForm):
    into = forms.CharField(label="并入案件编码", max_length=32, error_messages={"required": "请填写并入案件编码。"})
    note = _text("并单理由", required=True)


class ArchiveForm(ActionForm):
    note = _text("归档说明", required=True)


class ReferForm(ActionForm):
    to = forms.CharField(label="转往", max_length=100, help_text="如 110、人民法院、劳动仲裁")
    reason = _text("转办理由")


class RaiseRiskForm(ActionForm):
    risk = forms.ChoiceField(label="调整为", choices=Risk.choices)
    reason = _text("调整理由")
    plan = _text("联合处置方案（红色必填）", rows=3)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        # Risk is only ever raised: offer the tiers above the current one, highest last.
        above = [(value, label) for value, label in Risk.choices if RISK_ORDER[value] > RISK_ORDER[case.risk]]
        self.fields["risk"].choices = sorted(above, key=lambda choice: RISK_ORDER[choice[0]])


class UrgeForm(ActionForm):
    reason_type = forms.ChoiceField(
        label="督办事由（可不选）", required=False, choices=[("", "—"), *ReasonType.choices]
    )
    note = _text("说明（事由为“其他”时必填）")


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

    text = _text("整改情况", rows=3)


class UpwardReportForm(forms.Form):
    bound_field_class = BootstrapBoundField

    text = _text("报告内容", rows=3)


class AttachmentForm(forms.Form):
    bound_field_class = BootstrapBoundField

    file = forms.FileField(label="附件", error_messages={"required": "请选择文件。", "empty": "文件是空的。"})


class RatingForm(forms.Form):
    """The citizen's rating on the public page (once, after close)."""

    bound_field_class = BootstrapBoundField

    rating = forms.TypedChoiceField(
        label="您对办理结果的评价",
        choices=[
            (str(n), label)
            for n, label in ((5, "非常满意"), (4, "满意"), (3, "基本满意"), (2, "不满意"), (1, "非常不满意"))
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择评价。", "invalid_choice": "请选择评价。"},
    )
    note = forms.CharField(
        label="意见建议（可不填）", required=False, max_length=500, widget=forms.Textarea({"rows": 3})
    )
    # The SMS code sent to the applicant's phone (issue 19): the token alone proves nothing.
    code = forms.RegexField(
        label="短信验证码",
        regex=r"^\d{6}$",
        widget=forms.TextInput({"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": "请填写短信验证码。", "invalid": "验证码为 6 位数字。"},
    )


# ---------------------------------------------------------------------------------------------
# 吹哨报到: beside the case, so no version (yimen/cases/services/whistles.py)


class WhistleForm(forms.Form):
    bound_field_class = BootstrapBoundField

    units = forms.MultipleChoiceField(
        label="召集单位（可多选）",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "不能召集该单位。"},
    )
    place = forms.CharField(label="报到地点", required=False, max_length=200)
    reason = _text("吹哨事由")
    arrive_within_minutes = forms.IntegerField(
        label="报到时限（分钟）", initial=30, required=False, error_messages=NUMBER_ERRORS
    )

    def __init__(self, *args, units: list[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(unit.code, unit.name) for unit in units]


class ArriveForm(forms.Form):
    """报到: the phone's position, when the browser gave it (filled in by whistles.js)."""

    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)

    def location(self) -> dict | None:
        lat, lng = self.cleaned_data.get("lat"), self.cleaned_data.get("lng")
        return None if lat is None and lng is None else {"lat": lat, "lng": lng}


class WhistleRateForm(forms.Form):
    bound_field_class = BootstrapBoundField

    unit = forms.CharField(widget=forms.HiddenInput, max_length=40)
    rating = forms.TypedChoiceField(
        label="评价",
        choices=[(str(n), f"{n} 分") for n in (5, 4, 3, 2, 1)],
        coerce=int,
        error_messages={"required": "请选择评价。", "invalid_choice": "请选择评价。"},
    )


class WhistleReleaseForm(forms.Form):
    bound_field_class = BootstrapBoundField

    reason = _text("撤哨理由（事不完人不撤：请说明事情如何了结）")
