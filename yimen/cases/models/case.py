"""The case itself (一案一码, DESIGN §5–8): one Case model for every kind of matter, its scoped
queryset, parties, assignments (交办), append-only timeline and the code counter."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from yimen.cases.choices import (
    CONFIDENTIAL_HOLDER_ROLES,
    CONFIDENTIAL_KINDS,
    CONFIDENTIAL_VIEW_ROLES,
    Channel,
    Kind,
    PetitionType,
    Risk,
    SupervisionLevel,
)
from yimen.cases.deadlines import derived_level
from yimen.cases.extensions import case_exclusions, case_reaches
from yimen.cases.models.catalogue import CatalogueRow, DeadlinePolicy
from yimen.cases.models.whistles import WhistleCall
from yimen.org.models import Unit


class CaseCounter(models.Model):
    """The sequence behind 一案一码: one row per (region prefix, year), bumped by a conditional
    UPDATE inside the registering transaction (the row lock serialises concurrent registrations)."""

    prefix = models.CharField(max_length=24)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="case_counter_prefix_year")]


ACTIVE_STATES = ("registered", "accepted", "dispatched", "disputed", "in_progress", "replied")


def _hidden(member) -> Q:
    """An accusation against the member's unit (信访工作条例 arts. 30, 46), or a later app's
    registered exclusion (e.g. an accusation against the member in person)."""
    accused = Case.accused_units.through.objects.filter(case_id=OuterRef("pk"), unit_id=member.unit_id)
    hidden = Q(Exists(accused))
    for exclusion in case_exclusions(member):
        hidden |= exclusion
    return hidden


def held_reach(member, prefix: str = "") -> Q:
    """Of the cases the member's unit holds (first receiver or assigned), those the member sees:
    inside the member's jurisdiction, and of the confidential kinds only for the seats that act
    on a case for their unit (CONFIDENTIAL_HOLDER_ROLES) or see them town-wide, and for whoever
    registered it (a grid worker who took down a petition keeps what they wrote and can print its
    receipt, but not what their colleagues took down). `prefix` names the case from another model
    ("case__" from an assignment)."""
    reach = Q(**{f"{prefix}region_path__startswith": member.jurisdiction.path})
    if member.role not in CONFIDENTIAL_VIEW_ROLES | CONFIDENTIAL_HOLDER_ROLES:
        reach &= ~Q(**{f"{prefix}kind__in": CONFIDENTIAL_KINDS}) | Q(**{f"{prefix}registered_by_id": member.user_id})
    return reach


class CaseQuerySet(models.QuerySet):
    def visible_to(self, member) -> "CaseQuerySet":
        """DESIGN §8: what the member's unit holds (first receiver, assigned or summoned unit) within the
        member's jurisdiction, plus the whole jurisdiction for jurisdiction-wide roles; the
        confidential kinds only for the centre's dispatcher, supervisor and leader across the
        jurisdiction and for the acting seats of a unit that holds them (held_reach); an
        accusation never reaches an accused unit (信访工作条例 arts. 30, 46), nor what a later
        app's registered exclusion hides (an accusation from the accused person,
        yimen.cases.extensions). Anything else is as good as absent (404)."""
        if member is None or not member.has_perm("case.view"):
            return self.none()
        within = Q(region_path__startswith=member.jurisdiction.path)
        if member.sees_jurisdiction and member.role in CONFIDENTIAL_VIEW_ROLES:
            return self.filter(within).exclude(_hidden(member))
        unit_id = member.unit_id
        # A unit summoned by a whistle (吹哨报到, open or released) holds the case like an assigned one.
        holds = (
            Q(first_unit_id=unit_id)
            | Exists(Assignment.objects.filter(case=OuterRef("pk"), unit_id=unit_id))
            | Exists(WhistleCall.objects.filter(whistle__case=OuterRef("pk"), unit_id=unit_id))
        )
        for reach in case_reaches(member):
            holds |= reach
        rule = holds & held_reach(member)
        if member.sees_jurisdiction:
            rule |= within & ~Q(kind__in=CONFIDENTIAL_KINDS)
        return self.filter(rule).exclude(_hidden(member))

    def hidden_from(self, member) -> "CaseQuerySet":
        """The cases the member must never see whatever their unit's relation to them: an
        accusation against their unit, and what the later apps' exclusions hide. A unit's own
        assignments are visible to it within held_reach but for these, so its inbox filters by
        this small set (and held_reach on the joined case) rather than by the whole visible_to
        rule."""
        return self.filter(_hidden(member))

    def active(self) -> "CaseQuerySet":
        return self.filter(state__in=ACTIVE_STATES)

    def overdue(self, now=None) -> "CaseQuerySet":
        now = now or timezone.now()
        return self.filter(
            Q(state="registered", accept_deadline__lt=now) | Q(state__in=ACTIVE_STATES, deadline__lt=now)
        )


class Case(models.Model):
    class State(models.TextChoices):
        REGISTERED = "registered", "已登记"
        ACCEPTED = "accepted", "已受理"
        DECLINED = "declined", "不予受理"
        MERGED = "merged", "已并单"
        REFERRED = "referred", "已转办"
        DISPATCHED = "dispatched", "已派单"
        DISPUTED = "disputed", "退单待处理"
        IN_PROGRESS = "in_progress", "办理中"
        REPLIED = "replied", "已答复"
        CLOSED = "closed", "已办结"
        FOLLOWED_UP = "followed_up", "已回访"
        ARCHIVED = "archived", "已归档"

    S = State
    ACTIVE = frozenset(ACTIVE_STATES)
    WORKING = frozenset({S.ACCEPTED, S.DISPATCHED, S.DISPUTED, S.IN_PROGRESS, S.REPLIED})
    DONE = frozenset({S.CLOSED, S.FOLLOWED_UP, S.ARCHIVED})  # answered: the citizen may rate
    # action -> (allowed source states, target state; None keeps the state) — DESIGN §6.
    # follow_up may reopen instead (an unsatisfied rating for a subjective cause) and review
    # may reopen (not approved): the services pick the target among the listed alternatives.
    TRANSITIONS: dict[str, tuple[frozenset, str | None]] = {
        "register": (frozenset(), S.REGISTERED),
        "accept": (frozenset({S.REGISTERED}), S.ACCEPTED),
        "decline": (frozenset({S.REGISTERED}), S.DECLINED),
        "merge": (frozenset({S.REGISTERED, S.ACCEPTED}), S.MERGED),
        "refer": (frozenset({S.REGISTERED, S.ACCEPTED}), S.REFERRED),
        "close": (frozenset({S.ACCEPTED}), S.CLOSED),  # handled at the window, no dispatch
        "dispatch": (frozenset({S.ACCEPTED}), S.DISPATCHED),
        "sign": (frozenset({S.DISPATCHED}), S.IN_PROGRESS),  # the lead unit signs
        "dispute": (frozenset({S.DISPATCHED}), S.DISPUTED),  # the lead unit returns it
        "redispatch": (frozenset({S.DISPUTED}), S.DISPATCHED),  # to another unit or the same one
        "reply": (frozenset({S.IN_PROGRESS}), S.REPLIED),
        "extend": (frozenset({S.IN_PROGRESS}), None),
        "review": (frozenset({S.REPLIED}), S.CLOSED),  # or back to in_progress (reopen)
        "follow_up": (frozenset({S.CLOSED}), S.FOLLOWED_UP),  # or reopen
        "archive": (frozenset({S.CLOSED, S.FOLLOWED_UP, S.DECLINED, S.REFERRED}), S.ARCHIVED),
        "urge": (WORKING, None),
        "supervise": (WORKING, None),
        "censure": (WORKING, None),
        "raise_risk": (frozenset(ACTIVE_STATES) | {S.CLOSED, S.FOLLOWED_UP}, None),
        "take": (frozenset({S.REGISTERED}), S.IN_PROGRESS),  # 自办: the first unit handles it itself
        "note": (frozenset(ACTIVE_STATES), None),  # 办理记录: progress or a contact with a party
        "release": (frozenset({S.DISPATCHED, S.DISPUTED, S.IN_PROGRESS, S.REPLIED}), None),  # 撤回协办
    }
    # Support units sign and reply on their own assignment; the case's state does not move.
    SUPPORT_TRANSITIONS: dict[str, tuple[frozenset, str | None]] = {
        "sign": (frozenset({S.DISPATCHED, S.IN_PROGRESS}), None),
        "reply": (frozenset({S.IN_PROGRESS, S.REPLIED}), None),
    }

    code = models.CharField("案件编码", max_length=32, unique=True)
    public_token = models.CharField(max_length=43, unique=True)
    kind = models.CharField("种类", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    description = models.TextField("内容", blank=True)
    channel = models.CharField("来源渠道", max_length=20, choices=Channel.choices)
    # The record number at the unit whose door it reached (a 110 接警单号), so both records meet.
    source_ref = models.CharField("来源编号", max_length=60, blank=True)
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="cases", verbose_name="所在区域")
    # The region's materialised path, copied: scoping by jurisdiction is one indexed prefix match.
    region_path = models.CharField(max_length=255)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    occurred_at = models.DateTimeField("发生时间", null=True, blank=True)
    received_at = models.DateTimeField("收到时间")  # statutory deadlines count from it
    category = models.ForeignKey(
        CatalogueRow, null=True, blank=True, on_delete=models.PROTECT, related_name="cases", verbose_name="类别"
    )
    policy = models.ForeignKey(DeadlinePolicy, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    risk = models.CharField("风险等级", max_length=10, choices=Risk.choices, default=Risk.BLUE)
    joint_plan = models.TextField("联合处置方案", blank=True)
    petition_type = models.CharField("信访类型", max_length=20, choices=PetitionType.choices, blank=True)
    accused_units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name="被检举控告单位")
    group_size = models.PositiveIntegerField("涉及人数", default=1)
    first_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="首接单位")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="主办单位"
    )  # the current lead assignment's unit, kept by dispatch and redispatch
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.REGISTERED)
    version = models.PositiveIntegerField(default=1)
    accept_deadline = models.DateTimeField("受理告知期限", null=True, blank=True)
    deadline = models.DateTimeField("办结期限", null=True, blank=True)
    extension_days = models.PositiveIntegerField("已延期（日）", default=0)
    supervision_level = models.PositiveSmallIntegerField(
        "督办级别", choices=SupervisionLevel.choices, default=SupervisionLevel.NONE
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_cases", verbose_name="并入"
    )
    referred_to = models.CharField("转办去向", max_length=100, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField("回访评价", null=True, blank=True)
    rating_note = models.TextField(blank=True)
    public_rating = models.PositiveSmallIntegerField("群众自评", null=True, blank=True)
    public_rating_note = models.TextField(blank=True)
    public_rated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    # Fail-closed scoping (tests/test_scoping_fail_closed.py): app code reads cases through
    # `objects.visible_to(member)`; a read that is not the member's — a service re-reading the
    # case it was handed, a nightly sweep — says so through `unscoped`, which no view or API
    # module may use.
    objects = CaseQuerySet.as_manager()
    unscoped = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "案件"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="petition") | Q(petition_type=""), name="petition_type_only_for_petitions"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="case_version_positive"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="case_rating_1_to_5"
            ),
        ]
        indexes = [
            # GET /cases and the lists: newest received first
            models.Index(fields=["-received_at", "-id"], name="case_received"),
            # the search box's exact match on another system's record number (a 110 接警单号)
            models.Index(fields=["source_ref"], name="case_source_ref", condition=~Q(source_ref="")),
            # jurisdiction scope: region_path LIKE 'prefix%' (pattern ops for PostgreSQL's UTF-8 collation)
            models.Index(fields=["region_path"], name="case_region_path", opclasses=["varchar_pattern_ops"]),
            # overdue filters and the supervision sweep: active states past their deadline
            models.Index(fields=["state", "deadline"], name="case_state_deadline"),
            # the first receiver's worklist (待受理, 待派单, 待审核 ...)
            models.Index(fields=["first_unit", "state"], name="case_first_unit_state"),
            # a day's closed, followed-up and citizen-rated cases: the dashboard's rollup refresh
            # after each step (partial: most cases are open or never rated)
            models.Index(fields=["closed_at"], name="case_closed_at", condition=Q(closed_at__isnull=False)),
            models.Index(fields=["followed_up_at"], name="case_followed_up_at", condition=Q(rating__isnull=False)),
            models.Index(
                fields=["public_rated_at"], name="case_public_rated_at", condition=Q(public_rating__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def public_rating_open(self) -> bool:
        """The citizen may rate once, after the case is closed (API.md public rating)."""
        return self.state in self.DONE and self.public_rated_at is None

    @property
    def is_overdue(self) -> bool:
        now = timezone.now()
        if self.state == self.State.REGISTERED and self.accept_deadline and self.accept_deadline < now:
            return True
        return self.state in self.ACTIVE and self.deadline is not None and self.deadline < now

    @property
    def overdue_level(self) -> int:
        """The explicit supervision level or the one the deadline has reached, whichever is higher."""
        due = self.accept_deadline if self.state == self.State.REGISTERED else self.deadline
        derived = derived_level(due) if self.state in self.ACTIVE and due else 0
        return max(derived, self.supervision_level)


class Party(models.Model):
    class Role(models.TextChoices):
        APPLICANT = "applicant", "申请人"
        RESPONDENT = "respondent", "被申请人"
        THIRD_PARTY = "third_party", "第三人"
        REPRESENTATIVE = "representative", "代表人"
        ACCUSED = "accused", "被检举控告人"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    name = models.CharField("姓名/名称", max_length=100)
    role = models.CharField("身份", max_length=20, choices=Role.choices)
    phone_cipher = models.TextField(blank=True)
    phone_index = models.CharField(max_length=64, blank=True)
    phone_masked = models.CharField("电话", max_length=20, blank=True)
    id_number_cipher = models.TextField(blank=True)
    id_number_index = models.CharField(max_length=64, blank=True)
    id_number_masked = models.CharField("身份证号", max_length=18, blank=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="case_parties"
    )

    class Meta:
        verbose_name = verbose_name_plural = "当事人"
        ordering = ["case", "id"]
        indexes = [
            models.Index(fields=["phone_index"], name="party_phone"),  # repeat petitions by phone
            models.Index(fields=["id_number_index"], name="party_id_number"),  # ... and by ID number
        ]

    def __str__(self) -> str:
        return self.name


ACTIVE_ASSIGNMENT_STATES = ("pending", "signed", "disputed", "replied")


class Assignment(models.Model):
    """交办: one unit's share of a case, lead (主办) or support (协办), with its own deadlines."""

    class Role(models.TextChoices):
        LEAD = "lead", "主办"
        SUPPORT = "support", "协办"

    class State(models.TextChoices):
        PENDING = "pending", "待签收"
        SIGNED = "signed", "办理中"
        DISPUTED = "disputed", "已退单"
        REPLIED = "replied", "已答复"
        WITHDRAWN = "withdrawn", "已撤回"

    ACTIVE = ACTIVE_ASSIGNMENT_STATES
    UNANSWERED = ("pending", "signed")  # a co-unit whose part (协办意见) review still waits for

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="case_assignments")
    role = models.CharField("角色", max_length=10, choices=Role.choices)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    policy = models.ForeignKey(DeadlinePolicy, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    dispatched_at = models.DateTimeField()
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sign_deadline = models.DateTimeField("签收时限", null=True, blank=True)
    dispute_deadline = models.DateTimeField("退单时限", null=True, blank=True)
    deadline = models.DateTimeField("办理期限", null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)
    dispute_reason = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField("答复", blank=True)
    supervision_level = models.PositiveSmallIntegerField(
        choices=SupervisionLevel.choices, default=SupervisionLevel.NONE
    )

    class Meta:
        verbose_name = verbose_name_plural = "交办"
        ordering = ["case", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(role="lead", state__in=ACTIVE_ASSIGNMENT_STATES),
                name="one_active_lead_per_case",
            ),
            models.UniqueConstraint(
                fields=["case", "unit"],
                condition=Q(state__in=ACTIVE_ASSIGNMENT_STATES),
                name="one_active_assignment_per_unit",
            ),
        ]
        indexes = [
            # a unit's inbox buckets (待签收, 办理中, 即将超期, 已超期) and the overdue sweep
            models.Index(fields=["unit", "state", "deadline"], name="assignment_unit_state"),
            models.Index(fields=["state", "deadline"], name="assignment_state_deadline"),
            # a day's lead dispatches (signed on time), for the dashboard's rollup refresh
            models.Index(fields=["dispatched_at"], name="assignment_lead_dispatched", condition=Q(role="lead")),
        ]

    def __str__(self) -> str:
        return f"{self.case.code} {self.unit} {self.get_role_display()}"


class TimelineEvent(models.Model):
    """Append-only: who, in which unit, when, which action, from which state to which (DESIGN §2.3)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=50, blank=True)  # copied: the timeline outlives renames
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "案件流转记录"
        ordering = ["case", "at", "id"]
        indexes = [models.Index(fields=["case", "at", "id"], name="timeline_case_at")]  # a case's timeline

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("timeline events are append-only")
        super().save(*args, **kwargs)
