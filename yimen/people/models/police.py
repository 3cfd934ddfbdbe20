"""隆回微警 police contact and 反诈预警 anti-fraud alerts (issue 15 parts 5 and 6).

A police officer records each contact with a resident (WeChat friend, phone, visit); the
person's latest contact day is kept on the person too, so coverage counts stay one grouped
index scan at a million residents. An alert goes to the contacted residents with a phone; each
recipient is one delivery row that records sent, delivered and acknowledged, never the phone."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class PoliceContact(models.Model):
    class Channel(models.TextChoices):
        WECHAT = "wechat", "微信好友"
        PHONE = "phone", "电话"
        VISIT = "visit", "走访"

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="police_contacts")
    officer = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+", verbose_name="民警")
    # Copied, as on the resident file: a later change of name or unit must not rewrite who it was.
    officer_name = models.CharField("民警", max_length=150)
    unit_name = models.CharField("单位", max_length=100)
    channel = models.CharField("联系方式", max_length=10, choices=Channel.choices)
    contacted_on = models.DateField("联系日期")
    verified = models.BooleanField("已核实", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "警民联系记录"
        indexes = [models.Index(fields=["person", "-contacted_on"], name="police_contact_person")]  # the card

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.get_channel_display()}"


class FraudAlert(models.Model):
    """反诈预警: a police officer's warning to a region's or a tag group's contacted residents."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队发送"
        SENT = "sent", "已发送"

    title = models.CharField("标题", max_length=50)
    text = models.CharField("预警内容", max_length=300)
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+", verbose_name="区域")
    tag = models.ForeignKey(
        "people.Tag", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="标签人群"
    )
    author = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+", verbose_name="发布人")
    author_name = models.CharField("发布人", max_length=150)
    unit_name = models.CharField("单位", max_length=100)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    recipients = models.PositiveIntegerField("发送对象数", default=0)
    created_at = models.DateTimeField("发布时间", default=timezone.now)
    sent_at = models.DateTimeField("发送完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "反诈预警"
        indexes = [models.Index(fields=["region", "-created_at"], name="fraud_alert_region")]  # the alert list

    def __str__(self) -> str:
        return self.title


class AlertDelivery(models.Model):
    """One recipient of an alert: sent by the notifier (its receipt kept), delivered when the
    gateway reports it, acknowledged by the officer who heard back or by the gateway's callback."""

    alert = models.ForeignKey(FraudAlert, on_delete=models.CASCADE, related_name="deliveries")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+", verbose_name="村/社区")
    receipt = models.CharField("回执", max_length=100, blank=True)
    failed = models.CharField("发送失败原因", max_length=100, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.CharField("确认人", max_length=150, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "预警送达"
        constraints = [models.UniqueConstraint(fields=["alert", "person"], name="alert_delivery_once")]
        indexes = [
            models.Index(fields=["alert", "village"], name="alert_delivery_village"),  # reach per village
            # the gateway's callback finds its delivery by receipt
            models.Index(fields=["receipt"], name="alert_delivery_receipt", condition=~Q(receipt="")),
        ]
