"""In-app supervision notices (DESIGN §6): to a unit (everyone in it) or to one member, per case."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from yimen.cases.choices import SupervisionLevel
from yimen.org.models import Unit


class Notification(models.Model):
    """In-app notice of a supervision step, to a unit (everyone in it) or to one member."""

    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey("org.Membership", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="notifications")
    level = models.PositiveSmallIntegerField(choices=SupervisionLevel.choices)
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(member__isnull=False), name="notification_has_recipient"
            )
        ]
        indexes = [
            models.Index(fields=["unit", "read_at"], name="notification_unit"),  # a unit's unread notices
            models.Index(fields=["member", "read_at"], name="notification_member"),  # a leader's own
        ]
