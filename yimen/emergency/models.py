"""应急指挥 (incidents, their units, tasks and situation reports) and the 快警站's lost-and-found
and missing-person registers (issue 17). An incident may link a case; cases never know of it."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, member) -> "IncidentQuerySet":
        """The command roles see incidents in their jurisdiction; every other unit sees the incidents
        it was called into (a hidden incident answers 404)."""
        if member.has_perm("incident.declare"):
            return self.filter(region__path__startswith=member.jurisdiction.path)
        return self.filter(units__unit=member.unit).distinct()


class Incident(models.Model):
    class Kind(models.TextChoices):
        FLOOD = "flood", "洪涝灾害"
        FIRE = "fire", "火灾"
        GEOLOGICAL = "geological", "地质灾害"
        ACCIDENT = "accident", "安全事故"
        MISSING = "missing", "人员走失"
        PUBLIC_ORDER = "public_order", "群体性事件"
        OTHER = "other", "其他"

    class State(models.TextChoices):
        ACTIVE = "active", "响应中"
        CLOSED = "closed", "已终止"

    code = models.CharField("事件编号", max_length=24, unique=True)
    title = models.CharField("事件名称", max_length=100)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    # 突发事件应对法 art. 3 / 国家突发公共事件总体应急预案: I (特别重大) … IV (一般).
    level = models.PositiveSmallIntegerField("级别")
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.ACTIVE)
    declared_by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField("总结", blank=True)
    version = models.PositiveIntegerField(default=1)
    # Filled from the duty roster at declaration (a copy: a later roster change does not rewrite
    # who was on duty that night).
    commander = models.ForeignKey(
        "org.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="指挥长"
    )
    on_duty = models.ManyToManyField("org.Membership", blank=True, related_name="+", verbose_name="值班人员")

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["state", "-declared_at"]


class IncidentUnit(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "unit"], name="incident_unit_once")]


class IncidentCase(models.Model):
    """A case registered for a matter the incident leaves behind (a compensation dispute after a
    flood), kept so each side shows the other."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="followups")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]


class DutyShift(models.Model):
    """值班表: who is on duty for one shift of a day over a jurisdiction (the centre's roster),
    with the commander (值班领导) who takes command of an incident declared in that shift."""

    class Shift(models.TextChoices):
        DAY = "day", "白班（8:00–20:00）"
        NIGHT = "night", "夜班（20:00–次日8:00）"

    # Local hours the shifts change at; a night shift runs into the next morning.
    DAY_STARTS, NIGHT_STARTS = 8, 20

    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    on = models.DateField("日期")
    shift = models.CharField("班次", max_length=5, choices=Shift.choices)
    commander = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+", verbose_name="值班领导")
    members = models.ManyToManyField("org.Membership", related_name="+", verbose_name="值班人员")
    set_by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["on", "shift"]
        constraints = [models.UniqueConstraint(fields=["region", "on", "shift"], name="duty_shift_once")]


class IncidentTask(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "待接收"
        ACCEPTED = "accepted", "执行中"
        DONE = "done", "已完成"

    # Not done yet: what the board counts and flags when past due.
    UNFINISHED = (State.OPEN, State.ACCEPTED)
    # action -> (allowed source states, target state)
    TRANSITIONS = {"accept": ({State.OPEN}, State.ACCEPTED), "done": (set(UNFINISHED), State.DONE)}

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="tasks")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("任务", max_length=200)
    due_at = models.DateTimeField("完成时限")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    note = models.TextField(blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_at", "pk"]


def progress_photo_path(progress: "TaskProgress", filename: str) -> str:
    return f"emergency/progress/{progress.task_id}/{progress.sha256[:16]}.jpg"


class TaskProgress(models.Model):
    """A report from the field on a task (the phone's note, photo and GPS fix)."""

    task = models.ForeignKey(IncidentTask, on_delete=models.CASCADE, related_name="progress")
    note = models.TextField("进展情况")
    photo = models.FileField(upload_to=progress_photo_path, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "pk"]


class Resource(models.Model):
    """应急资源: a team (the patrol force, the emergency team), a vehicle or supplies, with where
    it stands; it serves one incident at a time (ResourceAllocation)."""

    class Kind(models.TextChoices):
        TEAM = "team", "人员队伍"
        VEHICLE = "vehicle", "车辆"
        SUPPLY = "supply", "物资"

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=100)
    quantity = models.PositiveIntegerField("数量", default=1)
    place = models.CharField("存放/驻扎地点", max_length=100)

    class Meta:
        ordering = ["kind", "name", "pk"]


class ResourceAllocation(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="allocations")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="allocations")
    allocated_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["allocated_at", "pk"]
        # A resource serves one incident at a time: at most one allocation not yet released.
        constraints = [
            models.UniqueConstraint(
                fields=["resource"], condition=Q(released_at__isnull=True), name="resource_allocated_once"
            )
        ]


class IncidentReport(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField("续报内容")
    at = models.DateTimeField()
    by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "pk"]


class LostItem(models.Model):
    class Kind(models.TextChoices):
        LOST = "lost", "失物登记"
        FOUND = "found", "拾物登记"

    class State(models.TextChoices):
        OPEN = "open", "待认领"
        RETURNED = "returned", "已发还"
        HANDED_OVER = "handed_over", "已上交"

    # 民法典 art. 318: a lost thing unclaimed within one year of the 招领公告 belongs to the
    # state; the station's registration of a found item is its notice, so a year after it the
    # item is due for hand-over (公安机关办理行政案件程序规定: 无人认领的依法上交/处理).
    RETENTION_DAYS = 365

    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.CharField("物品描述", max_length=300)
    place = models.CharField("地点", max_length=100)
    at = models.DateTimeField("时间")
    state = models.CharField(max_length=12, choices=State.choices, default=State.OPEN)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    returned_to = models.CharField("领取人", max_length=50, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    registered_at = models.DateTimeField("登记（招领公告）时间", default=timezone.now)
    # 上交记录: to whom, signed for by whom, when, by which of the station's staff.
    handed_to = models.CharField("接收单位", max_length=100, blank=True)
    handed_signed_by = models.CharField("接收人签收", max_length=50, blank=True)
    handed_at = models.DateTimeField(null=True, blank=True)
    handed_by = models.ForeignKey("org.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["kind", "state", "at"], name="lost_item_match"),
            # the retention list: open found items by their notice date
            models.Index(fields=["kind", "state", "registered_at"], name="lost_item_retention"),
        ]
        ordering = ["-at", "pk"]


class MissingPerson(models.Model):
    class State(models.TextChoices):
        MISSING = "missing", "寻找中"
        FOUND = "found", "已找到"

    name = models.CharField("姓名", max_length=50)
    description = models.TextField("体貌特征")
    last_seen_at = models.DateTimeField("最后出现时间")
    place = models.CharField("最后出现地点", max_length=100)
    state = models.CharField(max_length=10, choices=State.choices, default=State.MISSING)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField()
    found_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    alerted = models.PositiveIntegerField("已通知人数", default=0)


class Sighting(models.Model):
    """A sighting of a missing person (a caller, a patrol, a camera), added as the search goes."""

    person = models.ForeignKey(MissingPerson, on_delete=models.CASCADE, related_name="sightings")
    place = models.CharField("地点", max_length=100)
    at = models.DateTimeField("时间")
    note = models.CharField("情况", max_length=500, blank=True)
    by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "pk"]


class TouristHelp(models.Model):
    """One help given at the station (日均服务游客50余次), registered in one tap."""

    class Kind(models.TextChoices):
        DIRECTIONS = "directions", "问路指路"
        FIRST_AID = "first_aid", "急救处置"
        DISPUTE = "dispute", "游客纠纷"
        CHILD = "child", "儿童走散"
        OTHER = "other", "其他求助"

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    note = models.CharField("备注", max_length=300, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["unit", "at"], name="tourist_help_day")]  # the station's day figures


class CallListEntry(models.Model):
    """The 快警站's call list: who is alerted at once when a person goes missing (phone sealed).
    A removed entry stays, with who removed it, when and why; only entries not removed are alerted."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    name = models.CharField("姓名", max_length=50)
    phone_cipher = models.TextField()
    phone_masked = models.CharField(max_length=20)
    note = models.CharField("身份/岗位", max_length=100, blank=True)
    added_by = models.ForeignKey("org.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey("org.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    removed_reason = models.CharField("移出原因", max_length=200, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="call_list_named"),
            # A removal is a grave step: it keeps its reason.
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | ~Q(removed_reason=""), name="call_list_removed_with_reason"
            ),
        ]
