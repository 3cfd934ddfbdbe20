"""督办单 (粤平安): the written order each 督办 and 通报 issues to the unit that must correct,
numbered per year (督字〔2026〕第0012号), with its correction deadline and the unit's answer
(整改情况)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ReasonType(models.TextChoices):
    """Why a case is put under supervision (粤平安 督办 reasons); 其他 needs the text."""

    NOT_ACCEPTED = "not_accepted", "应受理未受理"
    NOT_HANDLED = "not_handled", "应办理未办理"
    OVERDUE = "overdue", "超期未结"
    DISSATISFIED = "dissatisfied", "群众不满意"
    OTHER = "other", "其他"


class SupervisionOrder(models.Model):
    class Kind(models.TextChoices):
        SUPERVISE = "supervise", "督办"
        CENSURE = "censure", "通报"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="supervision_orders")
    number = models.CharField("编号", max_length=40, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    kind = models.CharField("种类", max_length=10, choices=Kind.choices)
    reason_type = models.CharField("督办事由", max_length=20, choices=ReasonType.choices)
    text = models.TextField("督办内容", blank=True)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="责任单位")
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_by_name = models.CharField(max_length=50, blank=True)  # copied, as the timeline does
    correct_by = models.DateTimeField("整改期限")
    answer = models.TextField("整改情况", blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "督办单"
        ordering = ["case", "issued_at", "id"]
        indexes = [
            # the board's open orders, earliest correction deadline first
            models.Index(fields=["correct_by"], name="supervision_order_open", condition=Q(answered_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_overdue(self) -> bool:
        return self.answered_at is None and self.correct_by < timezone.now()

    @property
    def document_kind(self) -> str:
        """The case-document kind its DOCX and PDF are stored under: one per order, so a later
        order never supersedes an earlier one's copy."""
        return f"supervision_order-{self.year}-{self.sequence:04d}"
