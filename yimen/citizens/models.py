"""Citizens' own doors (issue 19): the SMS outbox of the database-log gateway, the one-time
codes that prove a phone, and the 随手拍 reports citizens file without an account. Rows change
only through yimen.citizens.services."""

from django.db import models
from django.db.models import Q


class SmsMessage(models.Model):
    """The database-log SMS gateway's outbox (demo, tests, a town with no gateway yet): each
    message as the gateway would have sent it, the phone sealed and blind-indexed like a party's."""

    to_phone_cipher = models.TextField()
    to_phone_index = models.CharField(max_length=64)
    to_phone_masked = models.CharField(max_length=11)
    message = models.CharField(max_length=500)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["to_phone_index", "-id"], name="sms_to")]  # the demo outbox
        constraints = [models.CheckConstraint(condition=~Q(to_phone_cipher=""), name="sms_message_to")]


class PhoneCode(models.Model):
    """A 6-digit code sent to a phone: for a report (any phone), or for rating or adding to one case (its
    applicant's phone). Kept as a keyed digest; single use, expires, few tries."""

    class Purpose(models.TextChoices):
        REPORT = "report", "随手拍"
        CASE = "case", "评价或补充"

    phone_index = models.CharField(max_length=64)
    purpose = models.CharField(max_length=8, choices=Purpose.choices)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    code_digest = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["phone_index", "purpose", "-id"], name="code_lookup")]


class CitizenReport(models.Model):
    """随手拍: a citizen's report, filed as a grid report waiting for the grid worker to verify
    (fieldwork.Report, state pending) and tracked by its own public token until it is a case."""

    public_token = models.CharField(max_length=32, unique=True)
    report = models.OneToOneField("fieldwork.Report", on_delete=models.CASCADE, related_name="citizen")
    phone_cipher = models.TextField()
    phone_index = models.CharField(max_length=64)
    phone_masked = models.CharField(max_length=11)
    # An Open311 client's report (its key instead of a citizen's code); the phone may be blank.
    open311_key = models.ForeignKey(
        "citizens.Open311Key", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "群众随手拍"


class HotlineTicket(models.Model):
    """A 12345 hotline referral (issue 19 part 4): the upstream number and deadline kept beside
    the case's own; the reply goes back once the case is answered."""

    number = models.CharField("12345 工单号", max_length=40, unique=True)
    category = models.CharField("热线分类", max_length=100, blank=True)
    upstream_deadline = models.DateTimeField("热线办结时限", null=True, blank=True)
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="hotline_ticket")
    received_at = models.DateTimeField(auto_now_add=True)
    replied_at = models.DateTimeField("回复热线时间", null=True, blank=True)
    reply_receipt = models.CharField(max_length=200, blank=True)
    rating = models.PositiveSmallIntegerField("热线回访评价", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "12345 工单"
        indexes = [models.Index(fields=["replied_at"], name="hotline_unreplied")]  # the reply sweep


class Open311Key(models.Model):
    """An Open311 API key the centre issues to a client (a county platform, a partner app): its
    reports come in without a citizen's SMS code (GeoReport v2 `api_key`), still to the grid
    worker's verification queue. Only the key's digest is kept; the key is shown once."""

    name = models.CharField("使用方", max_length=60)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("密钥前缀", max_length=8)
    issued_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "Open311 接口密钥"
