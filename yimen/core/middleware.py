"""Request guards every page and API path shares: the methods a path accepts, no cached copy
of what Yimen answers, and a domain error escaping a page view answered with its status."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from yimen.core.errors import DomainError, settle
from yimen.core.views.errors import API_PREFIX, error_answer

# Pages are forms and links: GET, HEAD and POST. The API's router answers 405 itself for a method
# a path does not declare, but only for the methods HTTP defines; TRACE echoes the request (and
# its cookies) and CONNECT opens tunnels, so neither reaches any view.
PAGE_METHODS = ("GET", "HEAD", "POST")
API_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


class MethodGuardMiddleware:
    """405 (with Allow) for TRACE, CONNECT and unknown methods everywhere, for anything but
    GET/HEAD/POST on pages, and for anything but GET/HEAD on the OpenAPI document and its docs."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._documents: tuple[str, ...] = ()

    def allowed(self, path: str) -> tuple[str, ...]:
        if not self._documents:  # the URLconf is not loaded yet when middleware is built
            self._documents = (reverse("api:openapi-json"), reverse("api:openapi-view"))
        if path in self._documents:
            return ("GET", "HEAD")
        return API_METHODS if path.startswith(API_PREFIX) else PAGE_METHODS

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = self.allowed(request.path)
        if request.method not in allowed:
            response = error_answer(request, 405, "不支持该请求方法。", "method_not_allowed")
            response["Allow"] = ", ".join(allowed)
            return response
        return self.get_response(request)


class NoStoreMiddleware:
    """Every answer Yimen makes (pages and API; static files are served before this) carries
    personal or scoped data, or may: no browser, proxy or back-button cache keeps a copy. A view
    that sets its own Cache-Control (the phone app's service worker) keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


class DomainErrorPageMiddleware:
    """A page view that lets a domain error escape (a malformed id in a form, say) answers a
    Chinese page with the error's status instead of a 500; the API has its own handlers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError):
            settle(exception)
            return error_answer(request, exception.status, exception.message, exception.code, exception.errors)
        return None
