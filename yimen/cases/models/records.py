"""What the case engine keeps beside a case: uploaded attachments (with their checksums). The
clients' Idempotency-Keys for POST /cases live in core.IdempotencyKey with every app's."""

from django.conf import settings
from django.db import models
from django.utils import timezone


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"cases/{instance.case.code}/{instance.sha256[:16]}-{filename}"


class Attachment(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "附件"
        ordering = ["case", "uploaded_at", "id"]
