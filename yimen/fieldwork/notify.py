"""The notifier behind 十户联防 alerts: an SMS or voice gateway seen through one method,
`send(to_phone, message) -> result`. The setting YIMEN_NOTIFIER names the class (dotted path);
the default keeps every message in the database (demo, tests, and a town with no gateway yet)."""

from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from yimen.core.crypto import sm4_encrypt
from yimen.core.identity import mask_phone


class Notifier(Protocol):
    def send(self, to_phone: str, message: str) -> str:
        """Send one message; return the gateway's receipt (kept on the alert's call row)."""
        ...


class DatabaseLogNotifier:
    """Stores each message (the phone sealed, as the registry keeps it) instead of sending it."""

    def send(self, to_phone: str, message: str) -> str:
        from yimen.fieldwork.models import NotifierMessage

        row = NotifierMessage.objects.create(
            to_phone_cipher=sm4_encrypt(to_phone), to_phone_masked=mask_phone(to_phone), message=message[:500]
        )
        return f"已记录 #{row.pk}"


@cache
def _notifier_class(path: str) -> type:
    return import_string(path)


def notifier() -> Notifier:
    return _notifier_class(settings.YIMEN_NOTIFIER)()
