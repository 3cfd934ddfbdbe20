"""The SMS gateway behind citizens' codes: one method, `send(to_phone, message) -> receipt`.
The setting YIMEN_SMS names the class (dotted path), as YIMEN_NOTIFIER does for 十户联防 alerts;
the default keeps every message in the database (demo, tests, a town with no gateway yet), and
only the demo shows that outbox (GET /api/v1/demo/outbox)."""

from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from yimen.core.crypto import blind_index, sm4_encrypt
from yimen.core.identity import mask_phone


class SmsGateway(Protocol):
    def send(self, to_phone: str, message: str) -> str:
        """Send one message; return the gateway's receipt."""
        ...


class DatabaseLogSms:
    """Stores each message (the phone sealed) instead of sending it."""

    def send(self, to_phone: str, message: str) -> str:
        from yimen.citizens.models import SmsMessage

        row = SmsMessage.objects.create(
            to_phone_cipher=sm4_encrypt(to_phone),
            to_phone_index=blind_index(to_phone),
            to_phone_masked=mask_phone(to_phone),
            message=message[:500],
        )
        return f"已记录 #{row.pk}"


@cache
def _gateway_class(path: str) -> type:
    return import_string(path)


def gateway() -> SmsGateway:
    return _gateway_class(settings.YIMEN_SMS)()


def outbox_visible() -> bool:
    """The outbox is shown only in the demo, and only when the messages never left the building."""
    return settings.YIMEN_DEMO and settings.YIMEN_SMS == "yimen.citizens.sms.DatabaseLogSms"
