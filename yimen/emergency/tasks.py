"""Queued jobs of the 快警站 (huey; `manage.py run_huey` runs them)."""

from huey.contrib.djhuey import db_task

from yimen.core.crypto import sm4_decrypt
from yimen.emergency.models import CallListEntry
from yimen.emergency.services.incidents import notify


@db_task()
def alert_call_list(entry_ids: list[int], message: str) -> int:
    """Send one alert to each call-list entry. The queue carries entry ids, never phone numbers
    (the queue's store is not sealed); the entries were committed before the alert was queued."""
    # An entry removed between the report and the send hears no more.
    entries = CallListEntry.objects.filter(pk__in=entry_ids, removed_at__isnull=True)
    ciphers = entries.values_list("phone_cipher", flat=True)
    return notify([sm4_decrypt(c) for c in ciphers], message)
