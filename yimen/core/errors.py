"""Domain errors. Services raise them; pages show the message and the API turns them into
API.md's error shape with the matching status."""


def error_body(detail: str, code: str, errors: dict | None = None) -> dict:
    """API.md's error shape, for the API and for the API's answers made outside it (a body too
    large, a method refused before the API's router sees the request)."""
    return {"detail": detail, "code": code, "errors": errors or {}}


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        if code:
            self.code = code


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
