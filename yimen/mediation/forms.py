"""Forms of the mediation pages. They only parse input (most fields optional, so that the
services name what is missing, in the words of the law); the rules live in services."""

from django import forms
from django.utils import timezone

from yimen.cases.models import Case
from yimen.core.forms import DATE_ERROR, BootstrapBoundField, date_input
from yimen.mediation.models import Agreement, Consent, Mediation, Mediator, Session
from yimen.mediation.services._base import MEDIATING_ROLES
from yimen.org.models import Unit

DATETIME_ERROR = {"invalid": "请输入有效的日期和时间。"}


def yes_no(label: str, initial: str = "no") -> forms.TypedChoiceField:
    """A yes/no question as two radio buttons (the shared field template draws radios, not a
    lone checkbox)."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("no", "否"), ("yes", "是")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial=initial,
        required=False,
        empty_value=initial == "yes",
    )


def _lines(text: str) -> list[str]:
    return [part.strip() for part in text.replace("、", "\n").replace("，", "\n").replace(",", "\n").splitlines()]


class StepForm(forms.Form):
    """A step on the case page: built with the case (and its mediation); `payload()` gives the
    service's keyword arguments."""

    bound_field_class = BootstrapBoundField

    # The case version the form was drawn with, as every case action posts (a stale one → 409).
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, error_messages={"required": "缺少案件版本号，请刷新页面。"}
    )

    def __init__(self, *args, case: Case, mediation: Mediation | None, mediators=(), **kwargs):
        self.case, self.mediation = case, mediation
        kwargs.setdefault("initial", {})["version"] = case.version
        super().__init__(*args, **kwargs)
        self.setup(mediators)

    def setup(self, mediators) -> None:
        """Fill the choices that depend on the case."""

    def parties(self) -> list[tuple[int, str]]:
        return [
            (p.pk, f"{p.name}（{p.get_role_display()}）") for p in self.case.parties.all() if p.role in MEDIATING_ROLES
        ]

    def payload(self) -> dict:
        return dict(self.cleaned_data)


def _mediator_choices(mediators) -> list[tuple[int, str]]:
    return [(m.pk, f"{m.name}（{m.get_kind_display()}{'·' + m.title if m.title else ''}）") for m in mediators]


class TeamForm(StepForm):
    members = forms.TypedMultipleChoiceField(
        label="调解组成员",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="三调联动：人民调解、行政调解、司法调解各一人，群英视情况参加。",
    )
    chief = forms.TypedChoiceField(label="主持调解", coerce=int, required=False, empty_value=None)
    without_consent_reason = forms.CharField(
        label="未先记录当事人同意的理由",
        required=False,
        max_length=300,
        help_text="调解须当事人自愿：先记录当事人意愿；确需先组建调解组的（如主动调解、上门征询意愿），写明理由。",
    )

    def setup(self, mediators) -> None:
        choices = _mediator_choices(mediators)
        self.fields["members"].choices = choices
        self.fields["chief"].choices = [("", "（第一位成员）"), *choices]


class ConsentForm(StepForm):
    party = forms.TypedChoiceField(label="当事人", coerce=int, empty_value=None, required=False)
    consented = forms.TypedChoiceField(
        label="是否同意调解",
        choices=[("yes", "同意"), ("no", "不同意")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    manner = forms.ChoiceField(label="方式", choices=Consent.Manner.choices, initial=Consent.Manner.ORAL)
    note = forms.CharField(label="说明", required=False, max_length=300)

    def setup(self, mediators) -> None:
        self.fields["party"].choices = [("", "请选择"), *self.parties()]


class SessionForm(StepForm):
    held_at = forms.DateTimeField(
        label="调解时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages=DATETIME_ERROR,
    )
    place = forms.CharField(label="地点", required=False, max_length=100, initial="综治中心调解室")
    mediators = forms.TypedMultipleChoiceField(
        label="调解员", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    attendees = forms.CharField(
        label="参加人员", required=False, help_text="每行一人，或以顿号分隔", widget=forms.Textarea(attrs={"rows": 2})
    )
    minutes = forms.CharField(label="调解记录", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.ChoiceField(
        label="结果", choices=Session.Outcome.choices, widget=forms.RadioSelect, initial="continue"
    )
    next_channel = forms.ChoiceField(
        label="调解不成时的后续途径", required=False, choices=[("", "—"), *Mediation.Channel.choices]
    )

    def setup(self, mediators) -> None:
        self.fields["mediators"].choices = _mediator_choices(mediators)
        self.initial.setdefault("held_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
        team = [t.mediator_id for t in self.mediation.team.all()] if self.mediation else []
        self.initial.setdefault("mediators", team)

    def payload(self) -> dict:
        data = dict(self.cleaned_data)
        data["attendees"] = [name for name in _lines(data["attendees"]) if name]
        return data


class ExtendForm(StepForm):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=365, error_messages={"invalid": "请输入整数。"})
    reason = forms.CharField(label="理由", required=False, max_length=300)
    consented_parties = forms.TypedMultipleChoiceField(
        label="同意延长的当事人", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def setup(self, mediators) -> None:
        self.fields["consented_parties"].choices = self.parties()


class AgreementForm(StepForm):
    facts = forms.CharField(label="纠纷的主要事实", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    dispute_points = forms.CharField(label="争议事项", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    responsibilities = forms.CharField(
        label="各方当事人的责任", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    terms = forms.CharField(label="协议内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    performance_manner = forms.CharField(label="履行方式", required=False, max_length=300)
    performance_due = forms.DateField(label="履行期限", required=False, widget=date_input(), error_messages=DATE_ERROR)
    mediator = forms.TypedChoiceField(label="签名的调解员", coerce=int, required=False, empty_value=None)
    oral = yes_no("口头协议（人民调解法第二十八条：不制作协议书，由调解员记录）")
    seek_confirmation = yes_no("当事人拟申请司法确认")

    def setup(self, mediators) -> None:
        team = [t.mediator for t in self.mediation.team.all()] if self.mediation else []
        self.fields["mediator"].choices = [("", "（主持调解的调解员）"), *_mediator_choices(team)]
        self._start_from_the_record()

    def _start_from_the_record(self) -> None:
        """The agreement is written from what was recorded (issue 21 item 7): the facts from the
        case's description, the terms from the last session's minutes, signed by who chaired it;
        the mediator edits them, nothing is typed twice."""
        sessions = sorted(self.mediation.sessions.all(), key=lambda s: (s.held_at, s.pk)) if self.mediation else []
        self.initial.setdefault("facts", self.case.description)
        if sessions:
            last = sessions[-1]
            self.initial.setdefault("terms", last.minutes)
            chair = next(iter(last.mediators.all()), None)
            if chair is not None and chair.pk in {value for value, _ in self.fields["mediator"].choices}:
                self.initial.setdefault("mediator", chair.pk)


class EndForm(StepForm):
    result = forms.ChoiceField(
        label="结果",
        widget=forms.RadioSelect,
        initial=Mediation.Result.FAILED,
        choices=[(Mediation.Result.FAILED, "调解不成"), (Mediation.Result.DECLINED, "当事人不同意调解")],
    )
    next_channel = forms.ChoiceField(label="后续途径", choices=Mediation.Channel.choices)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ApplyForm(StepForm):
    applied_on = forms.DateField(label="申请日期", required=False, widget=date_input(), error_messages=DATE_ERROR)
    court = forms.ChoiceField(label="人民法院（法庭）", required=False)

    def setup(self, mediators) -> None:
        courts = Unit.objects.filter(kind=Unit.Kind.COURT, is_active=True).order_by("code")
        self.fields["court"].choices = [("", "（案件所在地法庭）"), *[(u.code, u.name) for u in courts]]
        self.initial.setdefault("applied_on", timezone.localdate())


class AcceptForm(StepForm):
    accepted_on = forms.DateField(label="受理日期", required=False, widget=date_input(), error_messages=DATE_ERROR)


class CourtExtendForm(StepForm):
    reason = forms.CharField(label="延长理由", required=False, max_length=300)


class DecisionForm(StepForm):
    confirmed = forms.TypedChoiceField(
        label="裁定",
        choices=[("yes", "确认调解协议有效"), ("no", "驳回申请")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    decided_on = forms.DateField(label="裁定日期", required=False, widget=date_input(), error_messages=DATE_ERROR)
    note = forms.CharField(label="说明", required=False, max_length=300)


class PerformanceForm(StepForm):
    performance = forms.ChoiceField(
        label="履行情况",
        widget=forms.RadioSelect,
        choices=[c for c in Agreement.Performance.choices if c[0] != Agreement.Performance.PENDING],
    )
    note = forms.CharField(label="说明", required=False, max_length=300)
    checked_on = forms.DateField(label="回访日期", required=False, widget=date_input(), error_messages=DATE_ERROR)


class MediatorForm(forms.Form):
    bound_field_class = BootstrapBoundField
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label="姓名", max_length=50, required=False)
    kind = forms.ChoiceField(label="类别", choices=Mediator.Kind.choices)
    title = forms.CharField(
        label="身份/职务", max_length=50, required=False, help_text="如 退休教师、村人民调解委员会主任"
    )
    region = forms.ChoiceField(label="所在村（镇）")
    villages = forms.MultipleChoiceField(label="服务村（社区）", required=False, widget=forms.CheckboxSelectMultiple)
    skills = forms.CharField(label="擅长", required=False, help_text="以顿号或逗号分隔，如 邻里、土地、婚姻家庭、劳资")
    availability = forms.CharField(label="可调解时间", max_length=100, required=False)
    is_active = yes_no("在册", initial="yes")

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in regions]
        self.fields["villages"].choices = [(r.code, r.name) for r in regions if r.level == "village"]

    def payload(self) -> dict:
        data = dict(self.cleaned_data)
        data["skills"] = [s for s in _lines(data["skills"]) if s]
        data.pop("version")
        return data
