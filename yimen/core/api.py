"""API: the audit log for the security auditor and the security policy for the security
administrator (API.md; 三员分立: neither reaches the other's, nor does the system administrator)."""

import re
from datetime import date, datetime
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from yimen.core import selectors, services
from yimen.core.models import AuditEntry
from yimen.core.permissions import require_permission
from yimen.core.schemas import ErrorOut, refuse_unknown_query
from yimen.core.security import current_policy

router = Router(tags=["审计与安全策略"])


def _iso_day(value: object) -> object:
    # pydantic alone also takes "0" or "1700000000" as a date (seconds since 1970); the
    # contract is YYYY-MM-DD and nothing else.
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise PydanticCustomError("date_parsing", "Input should be a date in the format YYYY-MM-DD")
    return value


def _no_nul(value: object) -> object:
    # PostgreSQL text cannot hold NUL: refuse it as bad input (422) instead of failing with 500.
    if isinstance(value, str) and "\x00" in value:
        raise PydanticCustomError("null_character", "不能包含空字符。")
    return value


IsoDay = Annotated[date, BeforeValidator(_iso_day)]
Text = Annotated[str, BeforeValidator(_no_nul)]
NO_NUL = r"^[^\x00]*$"  # states _no_nul in the OpenAPI schema


def text_field(max_length: int, *, required: bool = False, description: str = ""):
    """A text of a request body (annotate it `Text`): at most `max_length` characters and no NUL;
    a required one may not be empty, an optional one defaults to ""."""
    if required:
        return Field(..., min_length=1, max_length=max_length, pattern=NO_NUL, description=description)
    return Field("", max_length=max_length, pattern=NO_NUL, description=description)


class AuditQuery(Schema):
    actor: Text = Field("", max_length=150, pattern=NO_NUL, description="用户名（精确匹配）")
    action: Text = Field("", max_length=50, pattern=NO_NUL, description="操作代码，如 login、security_policy_update")
    result: Literal[tuple(AuditEntry.Result.values)] | None = Field(None, description="success、failure 或 denied")
    since: IsoDay | None = Field(None, description="起始日期（含），北京时间 YYYY-MM-DD")
    until: IsoDay | None = Field(None, description="截止日期（含），北京时间 YYYY-MM-DD")
    page: int = Field(1, ge=1, le=1_000_000)  # bounded: a huge offset overflows the database's integer
    page_size: int = Field(50, ge=1, le=200)


class AuditItemOut(Schema):
    at: datetime
    actor: str
    unit: str
    action: str
    target: str
    purpose: str
    ip: str
    result: str

    @staticmethod
    def resolve_at(entry: AuditEntry) -> datetime:
        return timezone.localtime(entry.at)  # +08:00, as API.md promises

    @staticmethod
    def resolve_actor(entry: AuditEntry) -> str:
        return entry.actor_username

    @staticmethod
    def resolve_unit(entry: AuditEntry) -> str:
        return entry.unit_name


class AuditPageOut(Schema):
    count: int
    items: list[AuditItemOut]


@router.get(
    "/audit",
    response={200: AuditPageOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="审计日志（仅安全审计员）",
)
def audit_log(request, filters: Query[AuditQuery]):
    require_permission(request.member, "audit.view")
    refuse_unknown_query(request, AuditQuery.model_fields)
    entries = selectors.audit_entries(
        actor=filters.actor,
        action=filters.action,
        result=filters.result or "",
        since=filters.since,
        until=filters.until,
    )
    start = (filters.page - 1) * filters.page_size
    return {"count": entries.count(), "items": list(entries[start : start + filters.page_size])}


class SecurityPolicyIn(Schema):
    version: int
    failure_limit: int
    lockout_minutes: int
    session_idle_minutes: int
    token_hours: int
    # Optional, so a client written before the switch existed keeps working: left out, unchanged.
    totp_required: bool | None = Field(None, description="管理员与可查看敏感信息的角色须使用动态口令；不传则不变")


class SecurityPolicyOut(SecurityPolicyIn):
    totp_required: bool
    updated_at: datetime

    @staticmethod
    def resolve_updated_at(policy) -> datetime:
        return timezone.localtime(policy.updated_at)


@router.get(
    "/security/policy",
    response={200: SecurityPolicyOut, 401: ErrorOut, 403: ErrorOut},
    summary="安全策略（仅安全管理员）",
)
def security_policy(request):
    require_permission(request.member, "security.manage")
    return current_policy()


@router.put(
    "/security/policy",
    response={200: SecurityPolicyOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="修改安全策略（仅安全管理员；version 过期 → 409）",
)
def security_policy_update(request, payload: SecurityPolicyIn):
    fields = {name: value for name, value in payload.model_dump().items() if value is not None}
    return services.security_policy_update(
        actor=request.member, ip=request.META.get("REMOTE_ADDR", ""), version=fields.pop("version"), **fields
    )
