"""The member's day on the home page (issue 14 part 9): scoped reads only, each a few rows,
urgent first, each list in a fixed number of queries.

- the window (窗口): today's intake by its unit, and the repeat visitors among it — parties who
  came before with the same registry person, phone or ID number (the intake hints' rule);
- a handling unit (any unit that signs, villages included): 待签收, 即将超期, 已超期 from the
  inbox buckets, and the notes owed;
- the centre's leader, supervisor and dispatcher: red cases and overdue cases."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from yimen.cases.models import Assignment, Case, Party, Risk, TimelineEvent
from yimen.cases.page_selectors import HINT_DAYS
from yimen.cases.selectors import DONE_COUNT_CAP, unit_assignments, unit_inbox, unit_inbox_counts
from yimen.core.calendar import day_start

HOME_ROWS = 5  # a glance, not a list: each section links to the full list
# A lead unit that signed a case and has said nothing on it for a week owes the citizen a progress
# note: the shortest handling clocks (15 days for a 简易 matter, 信访 acceptance in 15) are half gone
# by then, and the follow-up (回访) asks whether anyone was contacted.
NOTE_EVERY = timedelta(days=7)
INTAKE_SCAN = 200  # a window's busiest day; the repeat check reads at most this many of today's cases
PETITIONERS = (Party.Role.APPLICANT, Party.Role.REPRESENTATIVE)


@dataclass
class Section:
    """One list of the day: its rows (cases or assignments), how many there are, where the rest is."""

    key: str
    title: str
    rows: list
    count: int | str
    more_url: str
    empty: str
    urgent: bool = False  # red when it has rows: late or red-risk work


def capped(rows: QuerySet) -> int | str:
    found = rows.order_by()[: DONE_COUNT_CAP + 1].count()
    return f"{DONE_COUNT_CAP}+" if found > DONE_COUNT_CAP else found


def todays_intake(*, member, now: datetime | None = None) -> QuerySet[Case]:
    """What the member's unit received today (Beijing day), newest first."""
    start = day_start(timezone.localdate(now or timezone.now()))
    cases = Case.objects.visible_to(member).filter(first_unit_id=member.unit_id, received_at__gte=start)
    return cases.select_related("region").order_by("-received_at", "-id")


def repeat_visitors(*, member, cases: list[Case]) -> dict[int, int]:
    """{case id: earlier visible cases of the same applicant or representative} for the given
    cases that have any: the same registry person, phone or ID number (blind index), received in
    the HINT_DAYS before. Two queries whatever the number of cases."""
    parties = list(
        Party.objects.filter(case__in=[c.pk for c in cases], role__in=PETITIONERS).values_list(
            "case_id", "person_id", "phone_index", "id_number_index"
        )
    )
    same = Q()
    for _, person, phone, id_number in parties:
        same |= Q(person_id=person) if person else Q()
        same |= Q(phone_index=phone) if phone else Q()
        same |= Q(id_number_index=id_number) if id_number else Q()
    if not same:
        return {}
    since = timezone.now() - timedelta(days=HINT_DAYS)
    earlier = Case.objects.visible_to(member).filter(received_at__gte=since)
    found = list(
        Party.objects.filter(same, case__in=earlier, role__in=PETITIONERS).values_list(
            "case_id", "case__received_at", "person_id", "phone_index", "id_number_index"
        )
    )
    received = {c.pk: c.received_at for c in cases}
    repeats: dict[int, set[int]] = {}
    for case_id, person, phone, id_number in parties:
        keys = {("p", person), ("t", phone), ("i", id_number)} - {("p", None), ("t", ""), ("i", "")}
        for other, at, *theirs in found:
            if other != case_id and at < received[case_id] and keys & set(zip("pti", theirs, strict=True)):
                repeats.setdefault(case_id, set()).add(other)
    return {case_id: len(others) for case_id, others in repeats.items()}


def notes_owed(*, member, now: datetime | None = None) -> QuerySet[Assignment]:
    """The unit's signed lead assignments with no progress note (`note`) from the unit within
    NOTE_EVERY, signed at least that long ago; the longest silent first."""
    since = (now or timezone.now()) - NOTE_EVERY
    noted = TimelineEvent.objects.filter(
        case_id=OuterRef("case_id"), unit_id=member.unit_id, action="note", at__gte=since
    )
    rows = unit_assignments(member).filter(
        role=Assignment.Role.LEAD, state=Assignment.State.SIGNED, signed_at__lt=since
    )
    return rows.exclude(Exists(noted)).select_related("case", "case__region").order_by("signed_at", "id")


def inbox_sections(*, member, now: datetime | None = None) -> tuple[dict[str, int], dict[str, list[Assignment]]]:
    """The inbox bucket sizes and the first rows of 待签收, 已超期 and 即将超期."""
    now = now or timezone.now()
    counts = unit_inbox_counts(member=member, now=now)
    rows = {
        b: list(unit_inbox(member=member, bucket=b, now=now)[:HOME_ROWS]) for b in ("overdue", "due_soon", "pending")
    }
    return counts, rows


def red_cases(*, member) -> QuerySet[Case]:
    """Open red cases, the nearest deadline first."""
    cases = Case.objects.visible_to(member).active().filter(risk=Risk.RED)
    return cases.select_related("region", "lead_unit").order_by("deadline", "id")


def overdue_cases(*, member, now: datetime | None = None) -> QuerySet[Case]:
    """Open cases past their deadline (or their acceptance deadline), the longest late first."""
    cases = Case.objects.visible_to(member).overdue(now)
    return cases.select_related("region", "lead_unit").order_by("deadline", "accept_deadline", "id")
