"""Reads owned by core. The auditor's page and GET /api/v1/audit read the log through the same
function, so both filter alike."""

from datetime import date

from django.db.models import QuerySet

from yimen.core.calendar import day_end, day_start
from yimen.core.models import AuditEntry


def audit_entries(
    *,
    actor: str = "",
    action: str = "",
    result: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """The audit log, newest first, narrowed as the auditor asks: `actor` is a username, `since`
    and `until` are whole days, both inclusive (`until` before `since` selects nothing). Every
    field shown is a copied column of the entry itself, so a page of any length costs one
    query (plus the count)."""
    entries = AuditEntry.objects.all()
    if actor:
        entries = entries.filter(actor_username=actor)
    if action:
        entries = entries.filter(action=action)
    if result:
        entries = entries.filter(result=result)
    # The first and last representable days bound nothing, and their edges overflow in UTC.
    if since and since > date.min:
        entries = entries.filter(at__gte=day_start(since))
    if until and until < date.max:
        entries = entries.filter(at__lt=day_end(until))
    # `at` first so the (actor, at) and (action, at) indexes serve the order; seq breaks ties
    # so that pages never overlap.
    return entries.order_by("-at", "-seq")


def audit_last_check() -> AuditEntry | None:
    """The most recent chain verification (manual, command line or nightly), for the status panel."""
    return AuditEntry.objects.filter(action="audit_verify").order_by("-at", "-seq").first()
