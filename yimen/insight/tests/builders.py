"""Cases built straight into the tables for the KPI tests: every moment given by hand, so the
expected figures can be worked out on paper."""

import itertools
from datetime import datetime

from yimen.cases.models import Assignment, Case
from yimen.core.calendar import SHANGHAI
from yimen.geo.models import Region

_serial = itertools.count(1)


def at(text: str) -> datetime:
    """ "2026-03-01 09:00" in Beijing time."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def make_case(region: str, unit, *, received: str, kind: str = "dispute", lead=None, **moments) -> Case:
    """A case in `region` (a code) first received by `unit`; moments as "YYYY-MM-DD HH:MM"
    strings (accepted_at, closed_at, deadline, followed_up_at, public_rated_at …), other
    fields as given."""
    place = Region.objects.get(code=region)
    n = next(_serial)
    fields = {
        name: at(value) if isinstance(value, str) and name.endswith(("_at", "deadline")) else value
        for name, value in moments.items()
    }
    defaults = {"title": f"测试案件{n}", "channel": "visit", "petition_type": "claim" if kind == "petition" else ""}
    return Case.objects.create(
        code=f"T{n:08d}",
        public_token=f"token-{n}",
        kind=kind,
        region=place,
        region_path=place.path,
        received_at=at(received),
        first_unit=unit,
        lead_unit=lead,
        **(defaults | fields),
    )


def make_lead(
    case: Case,
    unit,
    *,
    dispatched: str,
    sign_deadline: str | None = None,
    signed: str | None = None,
    state: str = "signed",
) -> Assignment:
    return Assignment.objects.create(
        case=case,
        unit=unit,
        role="lead",
        state=state,
        dispatched_at=at(dispatched),
        sign_deadline=at(sign_deadline) if sign_deadline else None,
        signed_at=at(signed) if signed else None,
    )
