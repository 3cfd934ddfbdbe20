"""Documents issued on a case (调解协议书, 受理告知书, 处理意见书 …), kept as issued."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class CaseDocument(models.Model):
    """One issued document in one format. Stored as issued (in the database, so a backup and a
    rolled-back step carry it with the case): the copy a party signed never changes when a
    template does. A later issue of the same kind supersedes the earlier one for download."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("文书种类", max_length=40)
    title = models.CharField("标题", max_length=200)
    format = models.CharField(max_length=4, choices=Format.choices)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "案件文书"
        ordering = ["case", "issued_at", "id"]
        indexes = [models.Index(fields=["case", "kind", "format"], name="case_document_kind")]

    def __str__(self) -> str:
        return self.title
