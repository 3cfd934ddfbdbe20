"""Petitions (信访) under the 信访工作条例: a petition is a Case of kind `petition`; its PetitionRecord
holds what the statute adds — the form of the petition, its level in the 复查/复核 chain, the
earlier petition it repeats, the written notices and opinions and their dates. AccusedPerson links
an accused party (检举控告) to a staff account, so the accused never sees the case (arts. 30, 46)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class PetitionRecord(models.Model):
    class Form(models.TextChoices):
        VISIT = "visit", "走访"
        LETTER = "letter", "书信"
        ONLINE = "online", "网络"
        PHONE = "phone", "电话"

    class Level(models.TextChoices):
        ORIGINAL = "original", "初次信访"
        REVIEW = "review", "复查"
        REREVIEW = "rereview", "复核"

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="petition")
    form = models.CharField("信访形式", max_length=10, choices=Form.choices)
    is_group = models.BooleanField("集体访", default=False)
    level = models.CharField("层级", max_length=10, choices=Level.choices, default=Level.ORIGINAL)
    review_of = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petition_reviews",
        verbose_name="请求复查/复核的事项",
    )
    repeat_of = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="petition_repeats",
        verbose_name="重复信访的前次事项",
    )
    repeat_reason = models.CharField("重复判定理由", max_length=100, blank=True)
    # 受理告知书 (arts. 22–23): issued in writing within 15 days, accepted or not.
    notice_issued_at = models.DateTimeField("告知书出具时间", null=True, blank=True)
    notice_accepted = models.BooleanField("告知受理", null=True, blank=True)
    # 处理意见书 / 复查意见书 / 复核意见书 (arts. 33–36): its date opens the next 30-day window.
    opinion_issued_at = models.DateTimeField("意见书出具时间", null=True, blank=True)
    opinion_text = models.TextField("处理意见", blank=True)
    # 延期告知 (art. 34): the petitioner told in writing of the extension and its reasons.
    extension_notified_at = models.DateTimeField("延期告知时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "信访记录"
        constraints = [
            models.CheckConstraint(
                condition=Q(level="original", review_of__isnull=True)
                | (~Q(level="original") & Q(review_of__isnull=False)),
                name="petition_review_of_matches_level",
            )
        ]
        indexes = [
            # the register's filters by level and repeat, and the repeat-petition rate
            models.Index(fields=["level", "repeat_of"], name="petition_level_repeat"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_level_display()}"


class AccusedPerson(models.Model):
    """An accused party (Party role `accused`) who is a staff member: their account never sees
    the case, in any list, page, search, API path or notice (信访工作条例 arts. 30, 46)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="accused_people")
    party = models.OneToOneField("cases.Party", on_delete=models.CASCADE, related_name="accused_account")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "被检举控告的工作人员"
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="accused_person_once_per_case")]
        indexes = [models.Index(fields=["user", "case"], name="accused_user_case")]  # visible_to's exclusion

    def __str__(self) -> str:
        return f"{self.case_id} {self.user_id}"
