"""What the case forms share: the datetime input and its messages, the number messages, and the
reason or note textarea (text_field)."""

from django import forms
from django.utils import timezone

MOMENT = "%Y-%m-%dT%H:%M"
MOMENT_ERRORS = {"invalid": "请输入有效时间，例如 2026-01-31 09:30。"}
NUMBER_ERRORS = {"invalid": "请输入整数。", "min_value": "不能小于 %(limit_value)s。"}


def moment_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MOMENT)


def now_minute() -> str:
    return timezone.localtime().strftime(MOMENT)


def text_field(label: str, *, rows: int = 2, required: bool = False) -> forms.CharField:
    """A reason or note: up to 5,000 characters in a textarea, its "required" message naming it."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        widget=forms.Textarea({"rows": rows}),
        error_messages={"required": f"请填写{label}。"},
    )
