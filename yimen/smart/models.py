"""Smart intake's records: the trained category model, what was suggested and what the clerk
chose, links between related cases, and early warnings with their evidence."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class CategoryModel(models.Model):
    """One training of the category suggester on the installation's closed cases (retrained
    nightly). `weights` holds the counts the naive-Bayes scorer needs: {"rows": [row code],
    "docs": [cases per row], "tokens": {token: {row index: count}}, "redispatch": {row code:
    [redispatched, total]}}; the catalogue's own words are added when it is loaded, so a
    catalogue revision counts at once."""

    trained_at = models.DateTimeField(default=timezone.now)
    cases = models.PositiveIntegerField("训练案件数", default=0)
    vocabulary = models.PositiveIntegerField("词表大小", default=0)
    seconds = models.FloatField("训练用时（秒）", default=0)
    weights = models.JSONField(default=dict)

    class Meta:
        verbose_name = verbose_name_plural = "类别建议模型"
        ordering = ["-id"]


class SuggestionLog(models.Model):
    """What the desk suggested for a registered case and what the clerk chose (issue 23: the
    clerk's choice is recorded; the suggester never chooses)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="suggestion_log")
    model = models.ForeignKey(CategoryModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    suggested = models.JSONField("建议类别", default=list)  # row codes, best first
    chosen = models.CharField("选定类别", max_length=60, blank=True)
    top_score = models.FloatField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "类别建议记录"

    @property
    def rank(self) -> int | None:
        """1 when the clerk took the first suggestion, … None when none of them."""
        return self.suggested.index(self.chosen) + 1 if self.chosen in self.suggested else None


class CaseLink(models.Model):
    """Two cases a clerk marked as related (关联案件), stored once with the lower id first and
    shown on both case pages."""

    first = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("关联理由", max_length=200)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "关联案件"
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="smart_link_once"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="smart_link_ordered"),
        ]


class WarningRule(models.Model):
    """An early-warning rule as data: how many matters within how many days raise it."""

    code = models.CharField(max_length=30, primary_key=True)
    name = models.CharField("规则", max_length=60)
    threshold = models.PositiveIntegerField("阈值（件）")
    window_days = models.PositiveIntegerField("时间窗（日）")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "预警规则"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class EarlyWarning(models.Model):
    """预警: one rule raised for one subject (a person, a pair of parties, a place, a group
    matter) with the cases that are its evidence. A dismissed subject is raised again only when
    its evidence grows past what was dismissed (the dismissal sets that subject's threshold)."""

    class State(models.TextChoices):
        OPEN = "open", "待处理"
        DISMISSED = "dismissed", "已排除"

    rule = models.ForeignKey(WarningRule, on_delete=models.PROTECT, related_name="warnings")
    subject = models.CharField(max_length=200)  # the rule's key: a blind index, a region code …
    label = models.CharField("对象", max_length=200)  # what the board shows (masked, never a number)
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=255)  # copied: the board filters by jurisdiction
    cases = models.ManyToManyField("cases.Case", related_name="+")
    evidence = models.CharField("依据", max_length=300)
    count = models.PositiveIntegerField("件数")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    raised_at = models.DateTimeField(default=timezone.now)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismiss_reason = models.TextField("排除理由", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "预警"
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject"], condition=Q(state="open"), name="smart_one_open_warning"
            )
        ]
        # The board: open warnings within a jurisdiction, newest first.
        indexes = [models.Index(fields=["state", "region_path"], name="smart_warning_board")]
