"""The one cleaning of a typed text field in services: trimmed, required or not, at most so many
characters, with a Chinese message naming the field (API.md: 422 with `errors` by field)."""

from yimen.core.errors import Invalid


def clean_text(
    value: str | None,
    field: str,
    label: str,
    *,
    limit: int | None = None,
    required: bool = True,
    errors: dict[str, list[str]] | None = None,
) -> str:
    """The trimmed text. A blank required text or one longer than `limit` is refused: with
    `errors`, the message is added under `field` and the caller raises once for all its fields;
    without, it raises Invalid at once. No `limit` leaves the length to the form or schema."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        message = f"请填写{label}。"
    elif limit is not None and len(cleaned) > limit:
        message = f"{label}最多 {limit} 个字。"
    else:
        return cleaned
    if errors is None:
        raise Invalid(message, errors={field: [message]})
    errors.setdefault(field, []).append(message)
    return cleaned
