"""Domain errors. Services raise them; pages show the message and the API turns them into
API.md's error shape with the matching status.

A refusal may carry an aftermath: writes that must outlive the refused transaction (a wrong SMS
code still counts as a try, else the try limit never bites). The service's transaction rolls
back as the error leaves it; whoever answers the error (the API's handler, the page middleware,
add_service_errors) then calls `settle(exc)`, which runs the aftermath once, in its own
transaction, outside the rolled-back one."""

from collections.abc import Callable

from django.db import transaction


def error_body(detail: str, code: str, errors: dict | None = None) -> dict:
    """API.md's error shape, for the API and for the API's answers made outside it (a body too
    large, a method refused before the API's router sees the request)."""
    return {"detail": detail, "code": code, "errors": errors or {}}


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        errors: dict[str, list[str]] | None = None,
        aftermath: Callable[[], None] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.aftermath: list[Callable[[], None]] = [aftermath] if aftermath else []
        if code:
            self.code = code


def settle(exc: BaseException) -> None:
    """Run a refusal's aftermath once, after the refused transaction rolled back (see above)."""
    pending = getattr(exc, "aftermath", None)
    while pending:
        with transaction.atomic():
            pending.pop(0)()


class Invalid(DomainError):
    status = 422
    code = "invalid"


class NotAllowed(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Locked(DomainError):
    status = 423
    code = "locked"
