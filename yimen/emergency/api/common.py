"""What the emergency API's routers share: the write error shape and the Idempotency-Key rule for
creates."""

from collections.abc import Callable

from django.db import transaction

from yimen.core.idempotency import run_once
from yimen.core.schemas import ERRORS, ErrorOut

WRITE_ERRORS = {400: ErrorOut, **ERRORS}


def once(request, scope: str, fields: dict, make: Callable, model):
    """Creates honour an Idempotency-Key when the client sends one (a retried declaration must not
    page the whole call list twice)."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return make()
    with transaction.atomic():
        done = run_once(scope, user=request.user, key=key, fields=fields, make=make)
    return done.record if done.created else model.objects.get(pk=done.object_id)
