"""分级处置 (洞井): which path a risk colour takes, as editable data — the units the dispatch form
suggests over the catalogue row's, and what a red case owes besides (a joint handling plan, a
slot on the next joint meeting, a report to the county) — and the upward reports themselves."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from yimen.cases.choices import Risk
from yimen.cases.models.catalogue import DeadlinePolicy


class HandlingTier(models.Model):
    """One risk colour's path. `lead` and `supports` are catalogue unit references ("village",
    "police", "department:labour" …); a blank `lead` keeps the catalogue row's suggestion. Edited
    in place (the admin): it only suggests, and what was chosen is on each case's assignments."""

    risk = models.CharField("风险等级", max_length=10, choices=Risk.choices, unique=True)
    lead = models.CharField("建议主办单位类型", max_length=40, blank=True)
    supports = models.JSONField("建议协办单位类型", default=list, blank=True)
    reason = models.CharField("处置路径说明", max_length=200)
    joint_plan_required = models.BooleanField("须联合处置方案", default=False)
    meeting_slot_required = models.BooleanField("须上联席会议", default=False)
    report_required = models.BooleanField("须向上报告", default=False)
    report_to = models.CharField("报告对象", max_length=100, blank=True)
    report_policy = models.ForeignKey(
        DeadlinePolicy, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="报告期限"
    )

    class Meta:
        verbose_name = verbose_name_plural = "分级处置规则"
        ordering = ["risk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(report_required=False) | (Q(report_policy__isnull=False) & ~Q(report_to="")),
                name="tier_report_has_target_and_deadline",
            )
        ]

    def __str__(self) -> str:
        return self.reason


class UpwardReport(models.Model):
    """向上报告: owed when a case turns red (its tier says so), due by the tier's policy, filed
    once by the centre with what it reported."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="upward_report")
    to = models.CharField("报告对象", max_length=100)
    due_at = models.DateTimeField("报告期限")
    created_at = models.DateTimeField(default=timezone.now)
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_by_name = models.CharField(max_length=50, blank=True)
    text = models.TextField("报告内容", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "向上报告"
        ordering = ["due_at", "id"]
        indexes = [
            # the board's reports still owed, earliest due first
            models.Index(fields=["due_at"], name="upward_report_owed", condition=Q(reported_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.to}"

    @property
    def is_overdue(self) -> bool:
        return self.reported_at is None and self.due_at < timezone.now()
