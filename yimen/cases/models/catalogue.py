"""The dispatch catalogue (派单目录) and deadline policies as versioned data, and risk rules as
data (DESIGN §6–7): never edited in place, so cases keep the rows and rules they were routed by."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from yimen.cases.choices import Kind, Risk


class DeadlinePolicy(models.Model):
    """期限规则: an amount in natural days, working days, working hours or hours, counted with the
    holiday calendar (yimen.core.deadlines). Never edited in place: a change is a new row, so
    deadlines already set keep the rule they were computed by."""

    class Measure(models.TextChoices):
        NATURAL_DAYS = "natural_days", "自然日"
        WORKING_DAYS = "working_days", "工作日"
        WORKING_HOURS = "working_hours", "工作小时"
        HOURS = "hours", "小时"

    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    unit = models.CharField("计算单位", max_length=20, choices=Measure.choices)
    amount = models.PositiveIntegerField("时长")
    max_extension_days = models.PositiveIntegerField("最多延期（日）", default=0)
    source = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "期限规则"
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="policy_amount_positive")]

    def __str__(self) -> str:
        return f"{self.name}（{self.amount}{self.get_unit_display()}）"


class DispatchCatalogue(models.Model):
    """One version of the dispatch catalogue (派单目录). Revising it makes a new version with
    copied rows; cases keep the row (and so the version) they were routed by."""

    version = models.PositiveIntegerField("版本", unique=True)
    is_current = models.BooleanField("现行", default=False)
    note = models.CharField("修订说明", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "派单目录版本"
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_catalogue")
        ]

    def __str__(self) -> str:
        return f"派单目录 第{self.version}版"


class CatalogueRow(models.Model):
    """A category: who leads, who supports, which deadlines. `lead` and `supports` name unit
    kinds, optionally with the unit's function ("department:labour" → the town unit whose code
    ends in "-labour"; "village" → the village committee of the case's village)."""

    catalogue = models.ForeignKey(DispatchCatalogue, on_delete=models.CASCADE, related_name="rows")
    code = models.CharField("代码", max_length=60)
    name = models.CharField("名称", max_length=100)
    group = models.CharField("类别", max_length=50)
    kind = models.CharField("案件种类", max_length=20, choices=Kind.choices)
    lead = models.CharField("主办单位类型", max_length=40)
    supports = models.JSONField("协办单位类型", default=list, blank=True)
    policy = models.ForeignKey(DeadlinePolicy, on_delete=models.PROTECT, related_name="+", verbose_name="办理期限")
    intake_policy = models.ForeignKey(
        DeadlinePolicy, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="受理告知期限"
    )
    sign_policy = models.ForeignKey(DeadlinePolicy, on_delete=models.PROTECT, related_name="+", verbose_name="签收时限")
    return_policy = models.ForeignKey(
        DeadlinePolicy, on_delete=models.PROTECT, related_name="+", verbose_name="退单时限"
    )
    risk = models.CharField("默认风险等级", max_length=10, choices=Risk.choices, default=Risk.BLUE)
    is_default = models.BooleanField("该种类默认行", default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "派单目录条目"
        ordering = ["catalogue", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="catalogue_row_code"),
            models.UniqueConstraint(
                fields=["catalogue", "kind"], condition=Q(is_default=True), name="one_default_row_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.name}"


class RiskRule(models.Model):
    """风险规则: every condition given must hold (pattern in the title or description, kind,
    group size, earlier petitions by the same person in a year); the case's risk becomes at
    least `risk`."""

    name = models.CharField("名称", max_length=100)
    pattern = models.CharField("关键词（正则）", max_length=300, blank=True)
    kinds = models.JSONField("适用种类", default=list, blank=True)
    min_group_size = models.PositiveIntegerField("人数不少于", null=True, blank=True)
    min_repeat = models.PositiveIntegerField("一年内重复信访不少于", null=True, blank=True)
    risk = models.CharField("风险等级", max_length=10, choices=Risk.choices)
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "风险规则"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name
