"""The agreement (调解协议书, 人民调解法 arts. 28–29), its performance, court confirmation
(司法确认, art. 33 and the SPC's 2011 rules) and the reminders already sent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Agreement(models.Model):
    """The mediation agreement. Written (art. 29: parties, facts, dispute points,
    responsibilities, terms, manner and time of performance; signed by the parties and the
    mediator, sealed by the committee) or oral (art. 28: recorded by the mediator, no document)."""

    class Performance(models.TextChoices):
        PENDING = "pending", "待履行"
        PERFORMED = "performed", "已履行"
        PARTLY = "partly", "部分履行"
        NOT = "not", "未履行"

    mediation = models.OneToOneField("mediation.Mediation", on_delete=models.CASCADE, related_name="agreement")
    facts = models.TextField("纠纷的主要事实")
    dispute_points = models.TextField("争议事项")
    responsibilities = models.TextField("各方当事人的责任")
    terms = models.TextField("协议内容")
    performance_manner = models.CharField("履行方式", max_length=300)
    performance_due = models.DateField("履行期限")
    oral = models.BooleanField("口头协议", default=False)
    partial = models.BooleanField("部分达成", default=False)
    seek_confirmation = models.BooleanField("拟申请司法确认", default=False)
    mediator = models.ForeignKey(
        "mediation.Mediator", on_delete=models.PROTECT, related_name="+", verbose_name="调解员"
    )
    committee = models.CharField("调解委员会", max_length=100)
    copies = models.PositiveSmallIntegerField("份数")
    signed_at = models.DateTimeField("签订时间")
    # art. 33: the joint application for court confirmation is due within 30 days of it.
    confirm_by = models.DateTimeField("司法确认申请期限")
    performance = models.CharField("履行情况", max_length=10, choices=Performance.choices, default=Performance.PENDING)
    performance_note = models.CharField("履行说明", max_length=300, blank=True)
    performance_checked_on = models.DateField("回访日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "调解协议"
        indexes = [
            # the reminder sweep: agreements whose parties mean to seek confirmation, by deadline
            models.Index(fields=["seek_confirmation", "confirm_by"], name="agreement_confirm_by"),
        ]


class CourtConfirmation(models.Model):
    """司法确认: applied for jointly within 30 days of the agreement (人民调解法 art. 33); the
    court accepts within 3 days and decides within 15 days of accepting, extendable once by 10
    (最高人民法院关于人民调解协议司法确认程序的若干规定, 2011, arts. 3 and 6)."""

    class State(models.TextChoices):
        APPLIED = "applied", "已申请"
        ACCEPTED = "accepted", "法院已受理"
        CONFIRMED = "confirmed", "裁定确认有效"
        REJECTED = "rejected", "裁定驳回"

    # step -> (allowed source states, target state)
    TRANSITIONS = {
        "court_accept": ({State.APPLIED}, State.ACCEPTED),
        "court_extend": ({State.ACCEPTED}, State.ACCEPTED),
        "court_decision": ({State.ACCEPTED}, None),  # confirmed or rejected
    }

    agreement = models.OneToOneField(Agreement, on_delete=models.CASCADE, related_name="confirmation")
    court = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="法院")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.APPLIED)
    applied_on = models.DateField("申请日期")
    accept_due = models.DateTimeField("受理期限")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    decide_due = models.DateTimeField("审查期限", null=True, blank=True)
    extended = models.BooleanField("已延长审查期限", default=False)
    decided_on = models.DateField("裁定日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = "司法确认"
        constraints = [
            models.CheckConstraint(
                condition=Q(state="applied") | Q(accepted_on__isnull=False), name="confirmation_accepted_has_date"
            )
        ]
        indexes = [models.Index(fields=["state"], name="confirmation_state")]  # the reminder sweep


class Reminder(models.Model):
    """A reminder already sent, so the periodic sweep sends each one once."""

    mediation = models.ForeignKey("mediation.Mediation", on_delete=models.CASCADE, related_name="reminders")
    key = models.CharField(max_length=60)  # e.g. "month:soon:2026-05-31"
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mediation", "key"], name="reminder_once")]
