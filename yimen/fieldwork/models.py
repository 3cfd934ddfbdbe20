"""Grid work on the phone (网格化): reports that become cases, household visits with follow-ups,
hazard checks, patrol duty and logs, camera points and 十户联防 alerts (the offline outbox's
Idempotency-Keys live in core.IdempotencyKey). Rows change only through
yimen.fieldwork.services; reads go through yimen.fieldwork.selectors, scoped to the member's
jurisdiction."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Report(models.Model):
    """网格上报: what a grid worker or informant saw. A worker's report is registered at once as a
    case (channel grid); an informant's waits for the grid's worker to verify and register it."""

    class Kind(models.TextChoices):
        HAZARD = "hazard", "安全隐患"
        DISPUTE = "dispute", "矛盾纠纷"
        INCIDENT = "incident", "突发事件"
        REQUEST = "request", "群众诉求"

    class State(models.TextChoices):
        PENDING = "pending", "待网格员核实"
        REGISTERED = "registered", "已立案"

    # The case kind each report kind is registered as (DESIGN §6: 求助/投诉/建议 are "appeal").
    CASE_KIND = {"hazard": "hazard", "dispute": "dispute", "incident": "incident", "request": "appeal"}

    class Located(models.TextChoices):
        GPS = "gps", "定位"
        HAND = "hand", "手选"

    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    state = models.CharField("状态", max_length=12, choices=State.choices)
    title = models.CharField("标题", max_length=200)
    description = models.TextField("情况描述", blank=True)
    category = models.CharField("事项类别", max_length=60, blank=True)  # a dispatch catalogue code
    party_name = models.CharField("当事人", max_length=100, blank=True)
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+", verbose_name="所在网格")
    located = models.CharField("位置来源", max_length=4, choices=Located.choices)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reporter_name = models.CharField("上报人", max_length=150)
    reporter_role = models.CharField("上报人角色", max_length=20)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="上报单位")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="案件"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "网格上报"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["reporter", "-created_at"], name="report_reporter"),  # my reports
            models.Index(fields=["state", "region"], name="report_pending"),  # informants' reports to verify
        ]

    def __str__(self) -> str:
        return self.title


def photo_path(photo: "ReportPhoto", filename: str) -> str:
    return f"fieldwork/photos/{photo.report_id}/{photo.sha256[:16]}.jpg"


class ReportPhoto(models.Model):
    """A photo of a report, compressed on the phone (JPEG); the case page shows it in its panel."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=40)

    class Meta:
        ordering = ["report", "id"]


class Visit(models.Model):
    """走访 (民情日志): a household visit whose text is the resident file's visit note, with the
    follow-up it calls for and when that follow-up is due."""

    note = models.OneToOneField("people.ResidentNote", on_delete=models.CASCADE, related_name="visit")
    household = models.ForeignKey("people.Household", on_delete=models.CASCADE, related_name="visits")
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    follow_up = models.CharField("后续事项", max_length=500, blank=True)
    follow_up_due = models.DateField("跟进日期", null=True, blank=True)
    follow_up_done = models.BooleanField("已跟进", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "走访"
        indexes = [models.Index(fields=["follow_up_done", "follow_up_due"], name="visit_due")]  # today's tasks


class PlaceType(models.TextChoices):
    ROAD = "road", "道路交通"
    WATER = "water", "水域"
    FIRE = "fire", "消防"
    GEOLOGY = "geology", "地质灾害"
    SCHOOL = "school", "学校"
    MARKET = "market", "集市市场"


class CheckList(models.Model):
    """隐患排查清单: the items to check at a type of place, and how often (rules are data)."""

    place_type = models.CharField("场所类型", max_length=10, choices=PlaceType.choices, unique=True)
    name = models.CharField("名称", max_length=50)
    items = models.JSONField("检查项", default=list)
    every_days = models.PositiveSmallIntegerField("检查周期（天）", default=30)

    class Meta:
        verbose_name = verbose_name_plural = "隐患排查清单"
        ordering = ["place_type"]

    def __str__(self) -> str:
        return self.name


class CheckPlace(models.Model):
    """A place in a grid that is checked on a cycle: a bridge, a pond, a slope, a school gate."""

    name = models.CharField("名称", max_length=100)
    place_type = models.CharField("场所类型", max_length=10, choices=PlaceType.choices)
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+", verbose_name="所在网格")
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "排查点位"
        ordering = ["region__code", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="check_place_name")]

    def __str__(self) -> str:
        return self.name


class CheckRecord(models.Model):
    """One check of a place against its list: each item ok or a problem; a problem may be raised
    as a report (and so a case)."""

    place = models.ForeignKey(CheckPlace, on_delete=models.CASCADE, related_name="records")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checker_name = models.CharField("检查人", max_length=150)
    checked_on = models.DateField("检查日期")
    results = models.JSONField("结果", default=dict)  # {item: "ok" | "problem"}
    note = models.CharField("说明", max_length=500, blank=True)
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "排查记录"
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["place", "-checked_on"], name="check_latest")]  # checks due

    @property
    def problems(self) -> list[str]:
        return [item for item, result in self.results.items() if result == "problem"]


class PatrolDuty(models.Model):
    """排班: the members of a patrol team on duty for a shift of a day."""

    class Shift(models.TextChoices):
        DAY = "day", "白班"
        NIGHT = "night", "夜班"

    team = models.ForeignKey("people.PatrolTeam", on_delete=models.CASCADE, related_name="duties")
    on = models.DateField("日期")
    shift = models.CharField("班次", max_length=5, choices=Shift.choices)
    members = models.ManyToManyField("people.PatrolMember", related_name="duties", verbose_name="值班队员")

    class Meta:
        verbose_name = verbose_name_plural = "巡防排班"
        ordering = ["on", "team", "shift"]
        constraints = [models.UniqueConstraint(fields=["team", "on", "shift"], name="patrol_duty_shift")]


class PatrolLog(models.Model):
    """巡逻日志: a patrol walked, with the route points the phone recorded."""

    team = models.ForeignKey("people.PatrolTeam", on_delete=models.PROTECT, related_name="logs")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorder_name = models.CharField("记录人", max_length=150)
    started_at = models.DateTimeField("开始")
    ended_at = models.DateTimeField("结束")
    route = models.JSONField("轨迹", default=list)  # [[lat, lng], ...]
    note = models.CharField("情况", max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "巡逻日志"
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["team", "-started_at"], name="patrol_log_team")]


class Camera(models.Model):
    """A camera point (雪亮工程): where it stands, the unit that owns it, whether it works, the
    grids its view covers and its maintenance log. Retired (dismantled), never deleted: the
    cases that cite it keep their evidence trail."""

    class Status(models.TextChoices):
        ONLINE = "online", "在线"
        OFFLINE = "offline", "离线"
        BROKEN = "broken", "故障"

    code = models.CharField("编号", max_length=30, unique=True)
    name = models.CharField("名称", max_length=100)
    lat = models.FloatField()
    lng = models.FloatField()
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+", verbose_name="所在网格")
    region_path = models.CharField(max_length=255, db_index=True)  # GET /cameras?region= is one prefix match
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="权属单位"
    )
    owner = models.CharField("权属单位", max_length=100)  # the unit's name as it was (or an outside owner's)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.ONLINE)
    covers = models.ManyToManyField("geo.Region", related_name="+", verbose_name="覆盖网格")
    version = models.PositiveIntegerField(default=1)
    retired_at = models.DateTimeField("撤除时间", null=True, blank=True)
    retired_reason = models.CharField("撤除原因", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "视频监控点"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CameraLog(models.Model):
    """维护记录: one visit or report on a camera, with the status change it brought (if any)."""

    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField("时间")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Copied: a later change of name or unit must not rewrite who did the maintenance.
    by_name = models.CharField("记录人", max_length=150)
    unit_name = models.CharField("单位", max_length=100)
    from_status = models.CharField("原状态", max_length=8, choices=Camera.Status.choices)
    to_status = models.CharField("新状态", max_length=8, choices=Camera.Status.choices)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "监控点维护记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["camera", "-at"], name="camera_log_camera")]  # the camera's log


class CameraCitation(models.Model):
    """A case (a hazard among them) cites a camera nearby: whoever handles it knows whose footage
    to ask for. Un-citing deletes the row; both steps are audited."""

    camera = models.ForeignKey(Camera, on_delete=models.PROTECT, related_name="citations")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    cited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cited_by_name = models.CharField("引用人", max_length=150)
    note = models.CharField("说明", max_length=200, blank=True)
    cited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "案件引用监控点"
        ordering = ["cited_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "camera"], name="camera_cited_once")]


class DefenceAlert(models.Model):
    """十户联防 alert: a household raised the alarm; its group's call list was notified."""

    group = models.ForeignKey("people.DefenceGroup", on_delete=models.PROTECT, related_name="alerts")
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="+")
    message = models.CharField("警情", max_length=200)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "联防报警"
        ordering = ["-raised_at", "-id"]


class AlertCall(models.Model):
    """One person of the call list notified for an alert, and when they acknowledged it."""

    alert = models.ForeignKey(DefenceAlert, on_delete=models.CASCADE, related_name="calls")
    position = models.PositiveSmallIntegerField("顺序")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    phone_masked = models.CharField("手机号", max_length=11, blank=True)
    result = models.CharField("发送结果", max_length=100)
    acknowledged_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        ordering = ["alert", "position"]
        constraints = [models.UniqueConstraint(fields=["alert", "position"], name="alert_call_position")]


class NotifierMessage(models.Model):
    """The database-log notifier's outbox (demo and tests): each message as the gateway would
    have sent it. The phone is kept sealed like a resident's."""

    to_phone_cipher = models.TextField()
    to_phone_masked = models.CharField(max_length=11)
    message = models.CharField(max_length=500)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(to_phone_cipher=""), name="notifier_message_to")]
