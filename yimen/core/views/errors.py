"""Error answers made outside a view's own handling: in Chinese, on a page or in API.md's JSON
shape under /api/, never Django's English defaults."""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from yimen.core.errors import error_body

API_PREFIX = "/api/"
# Django refuses these while reading the body (DATA_UPLOAD_MAX_MEMORY_SIZE, …_NUMBER_FIELDS,
# …_NUMBER_FILES): the request is too large, which is 413, not a generic 400.
TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)
TOO_LARGE_MESSAGE = "提交的内容过大（或字段、文件过多），请精简后重试。"


def error_answer(
    request: HttpRequest, status: int, message: str, code: str, errors: dict | None = None
) -> HttpResponse:
    """The same refusal for the API (its JSON error shape) and for pages (a Chinese page)."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body(message, code, errors), status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, "error.html", {"status": status, "message": message}, status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: an API path that matches no route (/api/v1/persons/abc) answers the API's
    shape; a page the Chinese 404 page."""
    if request.path.startswith(API_PREFIX):
        return error_answer(request, 404, "未找到，或不在您的管辖范围内。", "not_found")
    return render(request, "404.html", status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: a body too large → 413; any other refused request (a bad Host, a broken
    multipart body) → 400."""
    if isinstance(exception, TOO_LARGE):
        return error_answer(request, 413, TOO_LARGE_MESSAGE, "too_large")
    return error_answer(request, 400, "请求格式有误，无法处理。", "bad_request")
