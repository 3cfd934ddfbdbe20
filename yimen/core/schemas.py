"""Schemas every API router shares."""

from ninja import Schema

from yimen.core.errors import Invalid


class ErrorOut(Schema):
    """API.md's error shape: a Chinese message, a machine code and field-level messages."""

    detail: str
    code: str
    errors: dict[str, list[str]] = {}


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def refuse_unknown_query(request, allowed) -> None:
    """A misspelt filter (acter=, regoin=) must not quietly widen a list to everything; and a NUL
    byte, which PostgreSQL cannot store or compare, is refused before it reaches a query."""
    unknown = sorted(set(request.GET) - set(allowed))
    if unknown:
        raise Invalid("不支持的查询参数。", errors={name or "(空)": ["不支持此参数。"] for name in unknown})
    bad = sorted(name for name, value in request.GET.items() if "\x00" in value)
    if bad:
        raise Invalid("查询参数含有非法字符。", errors={name: ["含有非法字符。"] for name in bad})
