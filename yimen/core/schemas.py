"""Schemas and input checks every API router and page shares: client input is checked here and
refused with a 4xx (API.md's error shape) before it reaches int() or a query."""

import base64
import binascii
from typing import Annotated

from ninja import Schema
from pydantic import BeforeValidator, Field

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


# Record ids are BigAutoFields: a longer number names no row and must not reach the database.
ID_MAX = 2**63 - 1
ID_DIGITS = len(str(ID_MAX))
Id = Annotated[int, Field(ge=1, le=ID_MAX)]


def parse_id(value: str | None, *, field: str) -> int:
    """A record id the client sent as text (a header, a form field, a JSON key): ASCII digits
    only — int() also takes "１２", " 12" and "1_2", and chokes on "²" — within ID_MAX. Anything
    else is Invalid (422) naming the field, never a ValueError or an overflow (a 500)."""
    text = value or ""
    if text.isascii() and text.isdigit() and len(text) <= ID_DIGITS and 0 < int(text) <= ID_MAX:
        return int(text)
    raise Invalid("编号格式不正确。", errors={field: ["须为正整数编号。"]})


def _photo(value: object) -> bytes:
    if not isinstance(value, str):
        raise ValueError("照片须为 base64 编码的 JPEG。")
    try:
        return base64.b64decode(value.split(",", 1)[-1], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("照片须为 base64 编码的 JPEG。") from None


# A photo in a JSON body: base64, with or without a data: prefix; what it holds is checked by
# core/images.checked_photos in the service (kind, size, count).
Photo = Annotated[bytes, BeforeValidator(_photo)]
