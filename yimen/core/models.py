"""Core records every other app leans on: users, security policy, API tokens, the audit log,
the working-day calendar and the clients' Idempotency-Keys."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class User(AbstractUser):
    """A person who logs in. What they may do comes from their memberships (org.Membership)."""

    name = models.CharField("姓名", max_length=50)

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.name or self.username


class SecurityPolicy(models.Model):
    """The one row of security settings the security administrator (安全管理员) owns (等保 level 3)."""

    failure_limit = models.PositiveSmallIntegerField("连续失败锁定次数", default=5)
    lockout_minutes = models.PositiveSmallIntegerField("锁定时长（分钟）", default=15)
    session_idle_minutes = models.PositiveSmallIntegerField("空闲超时（分钟）", default=30)
    token_hours = models.PositiveSmallIntegerField("接口令牌有效期（小时）", default=8)
    # 等保2.0 level 3, 身份鉴别: privileged users authenticate with two kinds of factor. On by
    # default; the secadmin may turn it off (e.g. on an isolated training PC), never per user.
    totp_required = models.BooleanField("管理员与可查看敏感信息的角色须使用动态口令", default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "安全策略"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="security_policy_singleton")]


class ApiTokenQuerySet(models.QuerySet):
    def live(self) -> "ApiTokenQuerySet":
        """Tokens that still open the API: neither revoked nor expired."""
        return self.filter(revoked_at=None, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 digest is stored. A token ends when it
    expires or is revoked (its holder's logout, a password change, a lock, the sysadmin); the
    row stays, so the audit log's token entries keep pointing at something."""

    digest = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="api_tokens")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Issued after a TOTP or recovery code was checked. A token of a user who needs the second
    # factor and was issued without it (before the policy was turned on) is refused.
    otp_verified = models.BooleanField(default=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"


class AuditEntry(models.Model):
    """Append-only audit log (网络安全法 art. 21: kept ≥ 6 months). Each entry carries the
    HMAC-SM3 of its content and of the previous entry's digest, so an edited, deleted or
    inserted row breaks the chain (`manage.py verify_audit`)."""

    class Result(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"
        DENIED = "denied", "拒绝"

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Names are copied, not joined: the chain must verify even after a user or unit is renamed.
    actor_username = models.CharField(max_length=150, blank=True)
    unit_code = models.CharField(max_length=40, blank=True)
    unit_name = models.CharField(max_length=100, blank=True)
    action = models.CharField(max_length=50)
    target = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(max_length=500, blank=True)
    ip = models.CharField(max_length=45, blank=True)
    result = models.CharField(max_length=10, choices=Result.choices, default=Result.SUCCESS)
    detail = models.JSONField(default=dict, blank=True)
    prev_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        indexes = [
            models.Index(fields=["actor_username", "at"], name="audit_actor_at"),  # auditor filters by actor
            models.Index(fields=["action", "at"], name="audit_action_at"),  # ... and by action
        ]


class CalendarYear(models.Model):
    """A year whose holidays and make-up workdays are known. A year without a row falls back
    to weekends-only, and administrators are warned."""

    year = models.PositiveSmallIntegerField(unique=True)
    source = models.CharField("来源", max_length=50)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "日历年度"


class CalendarDay(models.Model):
    """A day that differs from the Monday–Friday rule: a holiday on a weekday or a make-up
    workday (调休上班) on a weekend, per the State Council's yearly notice."""

    date = models.DateField(unique=True)
    is_workday = models.BooleanField("是否工作日")
    name = models.CharField("名称", max_length=50, blank=True)
    source = models.CharField("来源", max_length=50)

    class Meta:
        verbose_name = verbose_name_plural = "节假日与调休"
        ordering = ["date"]


class AuditHead(models.Model):
    """The chain's tip. Appending locks this one row, so concurrent writers queue up and the
    chain never forks."""

    seq = models.PositiveBigIntegerField(default=0)
    digest = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_singleton")]


class IdempotencyKey(models.Model):
    """A client's Idempotency-Key, per user, for every create a client may retry (POST /cases,
    the phone's outbox, and each later app's creates): the hash of the first request's body
    and what it made (`scope` names the record's model, `object_id` its id, empty while the
    first request is still running). One table for every app, as a client's key is one per
    request whatever the endpoint (yimen.core.idempotency)."""

    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    scope = models.CharField(max_length=40)  # "cases.case", "fieldwork.report", …
    request_hash = models.CharField(max_length=64)
    object_id = models.PositiveBigIntegerField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key_once")]


class Generation(models.Model):
    """The version of a set of rarely changed rows that every process keeps a copy of (the
    dispatch catalogue and risk rules read on every registration; yimen.core.generations). Each
    writer of those rows sets a new random value in its own transaction; a reader reloads its
    copy whenever the value differs, so a changed catalogue is never used stale."""

    name = models.CharField(max_length=60, unique=True)
    value = models.BigIntegerField()
