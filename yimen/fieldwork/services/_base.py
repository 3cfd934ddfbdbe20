"""What the field verbs share: the outbox's idempotency (one record per user and key, whatever
the number of retries) and the scope checks of the grid roles."""

from collections.abc import Callable

from django.db.models import Model

from yimen.core import idempotency
from yimen.core.idempotency import Once
from yimen.geo.models import Region
from yimen.org.models import Membership

OUTSIDE = "不存在或不在您负责的网格内。"


def submit_once(*, actor: Membership, key: str, kind: str, fields: dict, make: Callable[[], Model]) -> Once:
    """Make the record once per (user, key) of the phone's outbox, through the one Idempotency-Key
    mechanism (yimen.core.idempotency, as for POST /cases): a retry with the same body returns
    the first record, the same key with another body is refused (409). Call inside the verb's
    transaction."""
    return idempotency.run_once(
        f"fieldwork.{kind}", user=actor.user, key=key, fields={"kind": kind, **fields}, make=make
    )


def in_area(actor: Membership, region: Region | None) -> bool:
    return region is not None and region.is_within(actor.jurisdiction)
