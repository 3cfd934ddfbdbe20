"""吹哨报到 (issue 14 part 5): the 政法委员 or the dispatcher summons units to a place on a case
with an arrival deadline; each summoned unit reports its arrival once and is rated after it;
"事不完人不撤": the whistle stays open until the summoner releases it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from yimen.org.models import Unit


class Whistle(models.Model):
    """One summons on a case: where, why, how soon; open until released."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="whistles")
    summoned_by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")
    summoned_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summoned_by_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    summoned_at = models.DateTimeField("吹哨时间", default=timezone.now)
    place = models.CharField("报到地点", max_length=200)
    reason = models.TextField("吹哨事由")
    arrive_within_minutes = models.PositiveIntegerField("报到时限（分钟）")
    released_at = models.DateTimeField("撤哨时间", null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    release_note = models.TextField("撤哨说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "吹哨"
        ordering = ["case", "-summoned_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(arrive_within_minutes__gte=5, arrive_within_minutes__lte=1440), name="whistle_minutes_range"
            ),
        ]
        indexes = [models.Index(fields=["case", "summoned_at"], name="whistle_case")]  # a case's whistles

    def __str__(self) -> str:
        return f"{self.case_id} {self.place}"

    @property
    def is_open(self) -> bool:
        return self.released_at is None


class WhistleCall(models.Model):
    """One summoned unit's clock on a whistle: due, arrived (by whom, where), rated."""

    whistle = models.ForeignKey(Whistle, on_delete=models.CASCADE, related_name="calls")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="whistle_calls")
    due_at = models.DateTimeField("报到时限")
    arrived_at = models.DateTimeField("报到时间", null=True, blank=True)
    arrived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField("报到评价", null=True, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    # The 催办 notice sent for a late or missing arrival: at most one per call.
    late_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "吹哨报到单位"
        ordering = ["whistle", "id"]
        constraints = [
            models.UniqueConstraint(fields=["whistle", "unit"], name="one_call_per_unit_per_whistle"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="whistle_call_rating_1_to_5"
            ),
        ]
        indexes = [
            # visible_to: the cases a unit was summoned to (unit first, then the whistle's case)
            models.Index(fields=["unit", "whistle"], name="whistle_call_unit"),
            # the 催办 sweep: calls past due, not arrived, not yet notified
            models.Index(fields=["due_at"], name="whistle_call_due", condition=Q(late_notified_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.whistle_id} {self.unit_id}"

    @property
    def late(self) -> bool:
        """Arrived after the due time, or still missing past it."""
        if self.arrived_at is not None:
            return self.arrived_at > self.due_at
        return timezone.now() > self.due_at
