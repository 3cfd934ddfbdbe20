"""Small helpers shared by the case pages."""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme


def htmx_fragment(request: HttpRequest) -> bool:
    # A history restore after a cache miss also carries HX-Request but needs the whole page.
    return bool(request.htmx) and not request.htmx.history_restore_request


def private(response: HttpResponse) -> HttpResponse:
    """Cases carry personal data: no browser, proxy or back-button cache keeps a copy."""
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


def safe_next(request: HttpRequest) -> str | None:
    """A same-site path to return to after a form (e.g. the supervision board), else None."""
    target = request.POST.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return None
