"""Mediation (调解, 三调联动 · 群英): the mediator roster, and one Mediation per dispute case with
its team, the parties' consent, sessions, the one-month norm and its extensions (DESIGN §5–7).
The agreement (调解协议书), court confirmation (司法确认) and reminders are in agreements."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Mediator(models.Model):
    """调解员: a people's mediator of a village or the town committee, a professional mediator, a
    judge, a police officer, a judicial-office officer, or a 群英 volunteer (retired cadre,
    teacher, respected elder). Staff mediators link their seat; volunteers may link their entry
    in the registry, whose phone stays there (encrypted), so the roster keeps no phone of its own."""

    class Kind(models.TextChoices):
        PEOPLE = "people", "人民调解员"
        PROFESSIONAL = "professional", "专职调解员"
        JUDGE = "judge", "法官"
        POLICE = "police", "民警"
        JUDICIAL = "judicial", "司法所干部"
        QUNYING = "qunying", "群英"

    name = models.CharField("姓名", max_length=50)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    title = models.CharField("身份/职务", max_length=50, blank=True, help_text="如 退休教师、村人民调解委员会主任")
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="所属单位"
    )
    member = models.ForeignKey(
        "org.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="系统账号"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="实有人口"
    )
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+", verbose_name="所在村（镇）")
    # The home region's materialised path, copied: ?region= is one indexed prefix match.
    region_path = models.CharField(max_length=255)
    villages = models.ManyToManyField("geo.Region", blank=True, related_name="+", verbose_name="服务村（社区）")
    skills = models.JSONField("擅长", default=list, blank=True)
    availability = models.CharField("可调解时间", max_length=100, blank=True)
    is_active = models.BooleanField("在册", default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "调解员"
        ordering = ["region_path", "kind", "name", "id"]
        indexes = [
            # GET /mediators?region= and the roster's village filter
            models.Index(fields=["region_path"], name="mediator_region", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class Mediation(models.Model):
    """The mediation of one case: where it is held (level), its outcome (result), the one-month
    norm (due, 人民调解工作若干规定 art. 36) and what happens when it fails (next_channel)."""

    class Result(models.TextChoices):
        PENDING = "pending", "调解中"
        AGREEMENT = "agreement", "达成协议"
        PARTIAL = "partial", "部分达成协议"
        FAILED = "failed", "调解不成"
        # The parties (or one of them) would not mediate: voluntariness (人民调解法 arts. 3, 23)
        # comes first, so this is no failure of the mediators and stays out of the success rate.
        DECLINED = "declined", "当事人不同意调解"

    class Level(models.TextChoices):
        VILLAGE = "village", "村（社区）"
        TOWN = "town", "乡镇"
        COUNTY = "county", "县级及以上"

    class Channel(models.TextChoices):
        LITIGATION = "litigation", "引导诉讼"
        ARBITRATION = "arbitration", "引导仲裁"
        ADMINISTRATIVE = "administrative", "行政处理"
        PETITION = "petition", "信访渠道"
        LEGAL_AID = "legal_aid", "法律援助"
        PROTECTION_ORDER = "protection_order", "申请人身安全保护令"
        OTHER = "other", "其他"

    FINAL = frozenset({Result.AGREEMENT, Result.PARTIAL, Result.FAILED, Result.DECLINED})
    SETTLED = frozenset({Result.AGREEMENT, Result.PARTIAL})

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="mediation")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="调解单位")
    committee = models.CharField("调解委员会", max_length=100)
    level = models.CharField("调解层级", max_length=10, choices=Level.choices)
    result = models.CharField("调解结果", max_length=10, choices=Result.choices, default=Result.PENDING)
    started_at = models.DateTimeField("开始调解")
    due = models.DateTimeField("调解期限")
    extension_days = models.PositiveIntegerField("已延长（日）", default=0)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    next_channel = models.CharField("后续途径", max_length=20, choices=Channel.choices, blank=True)
    end_note = models.TextField("终止说明", blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = "调解"
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result="pending", ended_at__isnull=True)
                | (~Q(result="pending") & Q(ended_at__isnull=False)),
                name="mediation_final_has_end",
            ),
        ]
        indexes = [
            models.Index(fields=["result", "due"], name="mediation_result_due"),  # the reminder sweep
            models.Index(fields=["unit", "result"], name="mediation_unit_result"),  # a unit's open mediations
        ]

    def __str__(self) -> str:
        return f"{self.case.code} 调解"

    @property
    def is_final(self) -> bool:
        return self.result in self.FINAL


class TeamMember(models.Model):
    """三调联动: one mediator on a case's team, in the role they bring (people's, administrative,
    judicial mediation or 群英)."""

    class Role(models.TextChoices):
        PEOPLE = "people", "人民调解"
        ADMINISTRATIVE = "administrative", "行政调解"
        JUDICIAL = "judicial", "司法调解"
        QUNYING = "qunying", "群英"

    # What a mediator of each kind brings to a team unless told otherwise.
    DEFAULT_ROLE = {
        Mediator.Kind.PEOPLE: Role.PEOPLE,
        Mediator.Kind.PROFESSIONAL: Role.PEOPLE,
        Mediator.Kind.JUDGE: Role.JUDICIAL,
        Mediator.Kind.POLICE: Role.ADMINISTRATIVE,
        Mediator.Kind.JUDICIAL: Role.ADMINISTRATIVE,
        Mediator.Kind.QUNYING: Role.QUNYING,
    }

    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="team")
    mediator = models.ForeignKey(Mediator, on_delete=models.PROTECT, related_name="teams")
    role = models.CharField("在调解组中", max_length=20, choices=Role.choices)
    is_chief = models.BooleanField("主持调解", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "调解组成员"
        ordering = ["mediation", "-is_chief", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["mediation", "mediator"], name="team_member_once")]


class Consent(models.Model):
    """A party's answer to mediation (人民调解法 art. 17: mediation needs the parties' consent;
    art. 23: a party may refuse or stop it). The latest answer of each party counts."""

    class Manner(models.TextChoices):
        WRITTEN = "written", "书面"
        ORAL = "oral", "口头（记录在案）"
        PHONE = "phone", "电话"

    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="consents")
    party = models.ForeignKey("cases.Party", on_delete=models.CASCADE, related_name="+")
    consented = models.BooleanField("同意调解")
    manner = models.CharField("方式", max_length=10, choices=Manner.choices)
    at = models.DateTimeField("时间")
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "当事人意愿"
        ordering = ["mediation", "party", "at", "id"]


class Extension(models.Model):
    """Mediation beyond the month, with every party's consent (人民调解工作若干规定 art. 36)."""

    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveIntegerField("延长（日）")
    reason = models.CharField("理由", max_length=300)
    consented_by = models.JSONField("同意的当事人", default=list)
    due = models.DateTimeField("延长后期限")
    at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "调解延期"
        ordering = ["mediation", "at", "id"]


class Session(models.Model):
    """One mediation session as held: when, where, who mediated, who attended, the minutes and
    its outcome."""

    class Outcome(models.TextChoices):
        AGREEMENT = "agreement", "达成协议"
        PARTIAL = "partial", "部分达成协议"
        FAILED = "failed", "调解不成"
        CONTINUE = "continue", "继续调解"

    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField("调解时间")
    place = models.CharField("地点", max_length=100)
    mediators = models.ManyToManyField(Mediator, related_name="sessions", verbose_name="调解员")
    attendees = models.JSONField("参加人员", default=list)
    minutes = models.TextField("调解记录")
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "调解记录"
        ordering = ["mediation", "held_at", "id"]
