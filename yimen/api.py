"""The JSON API (API.md): one NinjaAPI, one router per app, one error shape."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from yimen.core.errors import DomainError, error_body, settle
from yimen.core.views.errors import TOO_LARGE, TOO_LARGE_MESSAGE
from yimen.org.auth import BearerAuth

api = NinjaAPI(
    title="一门 Yimen API",
    version="1",
    description="综治中心平台接口（API.md）。除 /public/ 外，均需 Authorization: Bearer <token>。",
    auth=BearerAuth(),
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    settle(exc)
    return api.create_response(request, error_body(exc.message, exc.code, exc.errors), status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(part) for part in err.get("loc", []) if part not in ("body", "query", "path", "payload", "header")]
        errors.setdefault(".".join(loc) or "__all__", []).append(_chinese(err))
    return api.create_response(request, error_body("提交的内容有误，请检查标出的字段。", "invalid", errors), status=422)


def _chinese(err: dict) -> str:
    """Pydantic's messages in Chinese, keeping the allowed values or limits it names."""
    kind, ctx = err.get("type", ""), err.get("ctx", {})
    if kind == "missing":
        return "此项为必填项。"
    if kind in ("enum", "literal_error"):
        return f"取值不在允许范围内，可选：{ctx.get('expected', '')}。"
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于 {ctx.get('ge', ctx.get('gt'))}。"
    if kind in ("less_than_equal", "less_than"):
        return f"不能大于 {ctx.get('le', ctx.get('lt'))}。"
    if kind == "string_too_short":
        return f"至少 {ctx.get('min_length')} 个字符。"
    if kind == "string_too_long":
        return f"最多 {ctx.get('max_length')} 个字符。"
    return "格式不正确。"


@api.exception_handler(AuthenticationError)
def not_authenticated(request, exc):
    return api.create_response(
        request, error_body("请先登录（令牌缺失、无效、已过期或已吊销）。", "not_authenticated"), status=401
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, error_body("未找到，或不在您的管辖范围内。", "not_found"), status=404)


def too_large(request, exc):
    """A body past DATA_UPLOAD_MAX_MEMORY_SIZE (or too many fields or files): 413, not Django's
    English 400 page."""
    return api.create_response(request, error_body(TOO_LARGE_MESSAGE, "too_large"), status=413)


for _too_large in TOO_LARGE:
    api.add_exception_handler(_too_large, too_large)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if exc.status_code == 400:  # ninja's "Cannot parse request body": a body that is not JSON
        message = "提交的内容不是有效的 JSON，请检查后重新提交。"
        return api.create_response(request, error_body(message, "invalid", {"__all__": [message]}), status=422)
    return api.create_response(request, error_body(str(exc), "error"), status=exc.status_code)


def _mount() -> None:
    from yimen.cases.api import router as cases_router
    from yimen.cases.api_supervision import router as case_supervision_router
    from yimen.citizens.api import router as citizens_router
    from yimen.citizens.open311 import router as open311_router
    from yimen.core.api import router as core_router
    from yimen.emergency.api import router as emergency_router
    from yimen.fieldwork.api import router as fieldwork_router
    from yimen.fieldwork.api_assets import router as assets_router
    from yimen.geo.api import router as geo_router
    from yimen.insight.api import router as insight_router
    from yimen.insight.api_agenda import router as agenda_router
    from yimen.insight.topics.api import router as topics_router
    from yimen.insight.upstream.api import router as upstream_router
    from yimen.legal.api import router as legal_router
    from yimen.mediation.api import router as mediation_router
    from yimen.org.api import router as org_router
    from yimen.people.api import router as people_router
    from yimen.people.api_defence import router as defence_router
    from yimen.people.api_notifier import router as notifier_router
    from yimen.petitions.api import router as petitions_router
    from yimen.points.api import router as points_router
    from yimen.smart.api import router as smart_router

    api.add_router("/", org_router)
    api.add_router("/", geo_router)
    api.add_router("/", core_router)
    api.add_router("/", people_router)
    api.add_router("/", defence_router)
    api.add_router("/", notifier_router)
    api.add_router("/", cases_router)
    api.add_router("/", case_supervision_router)
    api.add_router("/", mediation_router)
    api.add_router("/", petitions_router)
    api.add_router("/", legal_router)
    api.add_router("/", fieldwork_router)
    api.add_router("/", assets_router)
    api.add_router("/", points_router)
    api.add_router("/", citizens_router)
    api.add_router("/", open311_router)
    api.add_router("/", emergency_router)
    api.add_router("/", smart_router)
    api.add_router("/", insight_router)
    api.add_router("/", agenda_router)
    api.add_router("/", topics_router)
    api.add_router("/", upstream_router)


_mount()
