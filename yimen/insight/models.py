"""The command centre's own tables: pre-aggregated case figures (daily and monthly rollups) and
the half-monthly joint meetings (半月联席会议) with their decisions and tracked actions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# The counted figures of a rollup row, in KPI order. Each is a plain count; the KPIs divide them.
MEASURES = (
    "received",  # cases received that day
    "accepted",  # ... of which accepted (受理) at some point
    "leads",  # lead dispatches (主办交办) made that day
    "leads_signed_on_time",  # ... signed by their sign deadline
    "closed",  # cases closed (办结) that day
    "closed_on_time",  # ... by their deadline
    "ratings",  # ratings given that day (follow-up 回访 and the citizen's own)
    "satisfied",  # ... of 4 or 5
)


class Rollup(models.Model):
    """Counts of cases per (period, grain, region, unit, kind, category). At the `cell` grain,
    `region` is the region the case lies in (a micro-grid, grid or village); the coarser grains
    keep its grid (`area`) or village (`unit`) and drop what they do not keep (0) — see
    rollups/facts.py. `region_path` is copied so that any level of the tree is one prefix match.
    `unit` is the lead unit (主办), else the first receiver (首接), for case figures, and the
    dispatched unit for lead dispatches."""

    grain = models.CharField(max_length=5)
    region = models.ForeignKey("geo.Region", on_delete=models.CASCADE, related_name="+")
    region_path = models.CharField(max_length=255)
    # The org.Unit's id, 0 at the grain that drops it: plain numbers keep NULL out of the key.
    unit = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20)
    # The catalogue row's id (派单目录条目), 0 for none: a plain number so that the cell's unique
    # key holds no NULL (which PostgreSQL and SQLite would both take as distinct).
    category = models.PositiveIntegerField(default=0)
    received = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    leads = models.PositiveIntegerField(default=0)
    leads_signed_on_time = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    closed_on_time = models.PositiveIntegerField(default=0)
    ratings = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class DailyRollup(Rollup):
    day = models.DateField()  # a day in Beijing time (+08:00)

    class Meta:
        verbose_name = verbose_name_plural = "案件日汇总"
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "day", "region", "unit", "kind", "category"],
                name="daily_rollup_cell",
            )
        ]
        indexes = [
            # a period's edge days at any level: grain, day range, then region_path LIKE 'prefix%'
            models.Index(fields=["grain", "day", "region_path"], name="daily_rollup_day"),
            # a grid's or village's days: the path prefix first
            models.Index(
                fields=["grain", "region_path", "day"],
                name="daily_rollup_path",
                opclasses=["", "varchar_pattern_ops", ""],
            ),
            # refreshing one (day, region) slice after a case changed
            models.Index(fields=["region", "day"], name="daily_rollup_slice"),
        ]


class MonthlyRollup(Rollup):
    month = models.DateField()  # the first day of the month

    class Meta:
        verbose_name = verbose_name_plural = "案件月汇总"
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "month", "region", "unit", "kind", "category"],
                name="monthly_rollup_cell",
            )
        ]
        indexes = [
            # the whole months of a period at county or town level
            models.Index(fields=["grain", "month", "region_path"], name="monthly_rollup_month"),
            # ... and at village or grid level
            models.Index(
                fields=["grain", "region_path", "month"],
                name="monthly_rollup_path",
                opclasses=["", "varchar_pattern_ops", ""],
            ),
        ]


class PendingRefresh(models.Model):
    """A case whose rollup slices are to be recomputed, marked in the transaction of the step
    that moved it (so a rolled-back step leaves no mark and a committed one cannot lose it) and
    cleared by the batched refresh (rollups/queue.py). Its case is a plain id: the mark must not
    lock or wait on the case row, and a deleted case's mark is simply dropped."""

    case_id = models.BigIntegerField()
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "待刷新汇总的案件"


class JointMeeting(models.Model):
    """半月联席会议: the centre's half-monthly meeting of the 1+6+N units on red and overdue cases;
    or one called at once (专题, a sensitive period); or a 会商 on one case, whose invited units
    may read the case file from `held_at` until `ends_at` (才湾镇: 案卷调阅共享共通, within the law)."""

    class Kind(models.TextChoices):
        REGULAR = "regular", "半月例会"
        SPECIAL = "special", "专题会议"
        CONSULTATION = "consultation", "会商"

    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+", verbose_name="区域")
    held_on = models.DateField("会议日期")
    title = models.CharField("会议名称", max_length=100)
    place = models.CharField("地点", max_length=100, blank=True)
    host = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="召集单位")
    attendees = models.TextField("参会人员", help_text="每行一人：单位 姓名")
    decisions = models.TextField("议定事项", help_text="每行一项")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    kind = models.CharField("会议类型", max_length=12, choices=Kind.choices, default=Kind.REGULAR)
    # Scheduled through the API (POST /meetings): when it sits, and for a 会商 when the invited
    # units' reading of the case file ends. Meetings recorded afterwards on the page have a day only.
    held_at = models.DateTimeField("召开时间", null=True, blank=True)
    ends_at = models.DateTimeField("会商结束时间", null=True, blank=True)
    units = models.ManyToManyField("org.Unit", blank=True, related_name="+", verbose_name="参会单位")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="会商案件"
    )
    # A 会商 on a person (重点人员管控) instead of a case: the invited units read the person's card.
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="会商人员"
    )

    class Meta:
        verbose_name = verbose_name_plural = "联席会议"
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["region", "-held_on"], name="meeting_region_held"),  # latest first
            models.Index(fields=["case", "ends_at"], name="meeting_case_window"),  # a case's open 会商
            models.Index(fields=["person", "ends_at"], name="meeting_person_window"),  # a person's open 会商
        ]
        constraints = [  # a 会商 is on one case or one person, never both
            models.CheckConstraint(
                condition=Q(case__isnull=True) | Q(person__isnull=True), name="meeting_case_or_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    @property
    def attendee_lines(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]

    @property
    def decision_lines(self) -> list[str]:
        return [line.strip() for line in self.decisions.splitlines() if line.strip()]


class AgendaItem(models.Model):
    """A case's slot on the joint meeting's agenda (洞井: a red case goes to the next joint
    meeting). Put on the agenda before the meeting, with no meeting yet (下次会议); recording the
    meeting (meeting_create) takes the open items of its region onto it."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name="案件")
    meeting = models.ForeignKey(
        JointMeeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda", verbose_name="会议"
    )
    note = models.CharField("上会事由", max_length=300, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "联席会议议程"
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} @ {self.meeting_id or '下次会议'}"


class MeetingAction(models.Model):
    """A task the meeting gave one unit, with a due date, tracked until done (督促落实)."""

    class Status(models.TextChoices):
        OPEN = "open", "落实中"
        DONE = "done", "已落实"
        DROPPED = "dropped", "已撤销"

    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="actions")
    task = models.CharField("任务", max_length=300)
    owner = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="责任单位")
    due_on = models.DateField("完成时限")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="关联案件"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField("落实日期", null=True, blank=True)
    progress = models.TextField("落实情况", blank=True)
    version = models.PositiveIntegerField(default=1)
    # The owner unit's own answer (POST …/items/{item}/answer) goes into `progress`, signed here.
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "会议督办事项"
        ordering = ["meeting", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False) | ~Q(status="done"), name="action_done_has_date"
            )
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="meeting_action_due")]  # the overdue actions

    def __str__(self) -> str:
        return self.task

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.OPEN and self.due_on < today


class DisplayTokenQuerySet(models.QuerySet):
    def live(self) -> "DisplayTokenQuerySet":
        """Grants that still open the screen: not revoked, not expired, and their seat, user and
        unit still active (a display never outlives the leader's seat it shows)."""
        return self.filter(
            revoked_at=None,
            expires_at__gt=timezone.now(),
            member__is_active=True,
            member__user__is_active=True,
            member__unit__is_active=True,
        )


class DisplayToken(models.Model):
    """A read-only grant for a hall's big screen (指挥大屏): it opens the screen and its data as
    the issuing leader's seat sees them, and nothing else — no login, no idle timeout, so an
    unattended screen does not hold a staff session open. Only the SHA-256 digest is stored."""

    digest = models.CharField(max_length=64, unique=True)
    member = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+", verbose_name="签发任职")
    label = models.CharField("名称", max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("有效期至")
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = DisplayTokenQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "大屏令牌"

    def __str__(self) -> str:
        return self.label


# 每月一题 (issue 20 part 1) keeps its tables in its own package; importing them here registers them.
from yimen.insight.topics.models import GovernanceProject, Topic, TopicCase  # noqa: E402, F401
