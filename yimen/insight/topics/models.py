"""每月一题 tables: a month's topics of a town, the cases in each, and the governance project
(未诉先办) a leader opens on one. Imported by yimen/insight/models.py (the app's model module)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Topic(models.Model):
    """One cluster of a month's cases in a town: what many people raised that month."""

    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+", verbose_name="区域")
    region_path = models.CharField(max_length=255)  # copied: a jurisdiction is one prefix match
    month = models.DateField("月份")  # the first day of the month (Beijing time)
    label = models.CharField("题目", max_length=100)
    terms = models.JSONField("关键词", default=list)  # [[term, weight], …], heaviest first
    # The topic's normalised word centroid (its heaviest words): how a later case is recognised
    # as the same problem when a project's volume is followed.
    centroid = models.JSONField(default=dict)
    size = models.PositiveIntegerField("案件数")
    cases = models.ManyToManyField("cases.Case", through="TopicCase", related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "每月一题"
        ordering = ["-month", "-size", "id"]
        # a month's topics within a jurisdiction, largest first
        indexes = [models.Index(fields=["month", "region_path"], name="topic_month_path")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.label}"

    @property
    def term_words(self) -> list[str]:
        return [term for term, _ in self.terms]


class TopicCase(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="links")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "case"], name="topic_case_once")]


class GovernanceProject(models.Model):
    """未诉先办: a topic taken up as a project — the unit that owns it, the goal, the milestones,
    and the cases it should prevent (the topic's kind of case, followed month by month)."""

    topic = models.OneToOneField(Topic, on_delete=models.PROTECT, related_name="project", verbose_name="题目")
    owner = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="牵头单位")
    goal = models.TextField("治理目标")
    milestones = models.JSONField("节点", default=list)  # [{"due": "YYYY-MM-DD", "text": …}], by date
    prevents = models.TextField("要预防的案件", help_text="这类案件的描述，按月跟踪其数量")
    baseline = models.PositiveIntegerField("立项时当月案件数")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "治理项目"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.goal[:40]
