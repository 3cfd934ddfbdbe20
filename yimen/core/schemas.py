"""Schemas every API router shares."""

from ninja import Schema


class ErrorOut(Schema):
    """API.md's error shape: a Chinese message, a machine code and field-level messages."""

    detail: str
    code: str
    errors: dict[str, list[str]] = {}


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
