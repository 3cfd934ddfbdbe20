"""The shared mechanics of the case verbs: the state and version check (409), the conditional
UPDATE on (version, state) that moves a case, so of two concurrent steps on one case only one
succeeds, and the one timeline event each success appends."""

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from yimen.cases import catalogue, timeline
from yimen.cases.models import (
    Case,
    CaseCounter,
    CatalogueRow,
)
from yimen.core.calendar import SHANGHAI
from yimen.core.errors import Conflict
from yimen.org.models import Membership


class CaseConflict(Conflict):
    """409: the case is not in a state for the step, or was changed since the caller read it."""

    @classmethod
    def wrong_state(cls, state: str, action: str) -> "CaseConflict":
        label = Case.State(state).label
        return cls(f"案件当前状态为“{label}”，不能{timeline.label(action)}。", code="wrong_state")

    @classmethod
    def stale(cls, current: int) -> "CaseConflict":
        return cls(f"案件已被他人更新（当前版本 {current}），请刷新后重试。", code="stale_version")


# ---------------------------------------------------------------------------------------------
# The shared mechanics: state and version check, the conditional UPDATE, the timeline event.


def _check(case: Case, action: str, version: int, sources: Iterable[str]) -> str:
    """409 unless the case is (still) in one of `sources` at `version`; returns its state."""
    state, current = Case.unscoped.filter(pk=case.pk).values_list("state", "version").get()
    if state not in sources:
        raise CaseConflict.wrong_state(state, action)
    if current != version:
        raise CaseConflict.stale(current)
    return state


def _apply(
    case: Case,
    action: str,
    *,
    actor: Membership | None,
    version: int,
    from_state: str,
    to_state: str | None,
    updates: dict | None = None,
    note: str = "",
    data: dict | None = None,
    now: datetime | None = None,
) -> Case:
    """Move the case with one conditional UPDATE (stale version or changed state → 409), append
    the action's one timeline event and refresh the case."""
    now = now or timezone.now()
    target = to_state or from_state
    _move(case, version, from_state, {"state": target, "updated_at": now, **(updates or {})})
    timeline.record(case, action, actor=actor, from_state=from_state, to_state=target, note=note, data=data, at=now)
    case.refresh_from_db()
    return case


def _move(case: Case, version: int, from_state: str, fields: dict) -> None:
    """The conditional UPDATE on (version, state): it matches no row when another step got there
    first (on PostgreSQL it waits for that step's commit, then finds the version gone) → 409."""
    moved = Case.unscoped.filter(pk=case.pk, version=version, state=from_state).update(
        version=F("version") + 1, **fields
    )
    if moved != 1:
        raise CaseConflict.stale(Case.unscoped.filter(pk=case.pk).values_list("version", flat=True).get())


# ---------------------------------------------------------------------------------------------
# Published for the apps that record steps beside a case (mediation): the same compare-and-set
# as the case's own verbs (their event goes through cases.timeline.record, like every verb's).


def case_version_take(case: Case, action: str, *, version: int, states: Iterable[str]) -> Case:
    """Take the case for a step that keeps its state (a mediation session, an agreement …):
    409 unless the case is in one of `states` at `version`, then one conditional UPDATE raises
    the version, so of two concurrent steps with the same version exactly one goes on — portably,
    where `select_for_update` does nothing on SQLite. Call it inside the step's transaction
    before the step writes anything: the loser's 409 then leaves nothing behind. Returns the case
    as taken, a fresh object (a later refusal rolls the version back, so the caller's object is
    left as it was read); the step ends with its one `timeline.record`."""
    state = _check(case, action, version, states)
    _move(case, version, state, {"updated_at": timezone.now()})
    return Case.unscoped.get(pk=case.pk)


def case_touch(case: Case, *, now: datetime | None = None) -> None:
    """A step recorded beside a case without a version of its own (a 督办单 answer, the report
    to the county, a joint-meeting slot) still takes one, as the sweep's raises do: every event
    after registration is a new version, and a form drawn before it is refused as stale."""
    Case.unscoped.filter(pk=case.pk).update(version=F("version") + 1, updated_at=now or timezone.now())


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)


def _default_row(kind: str) -> CatalogueRow | None:
    return catalogue.intake_rules().defaults.get(kind)


def counter_next(prefix: str, year: int) -> int:
    """The next number of a yearly sequence (一案一码's per town, 督办单's 督字): the counter row
    is bumped by one conditional UPDATE, which holds its lock until the calling transaction
    ends, so concurrent callers queue and never share a number."""
    number = _bump(prefix, year)
    if number is None:
        try:
            with transaction.atomic():
                CaseCounter.objects.create(prefix=prefix, year=year, last=1)
            return 1
        except IntegrityError:  # another caller created it first
            number = _bump(prefix, year)
    return number


def _bump(prefix: str, year: int) -> int | None:
    """The counter's next number, by one UPDATE … RETURNING (PostgreSQL, SQLite ≥ 3.35); None
    when the (prefix, year) row does not exist yet."""
    table = CaseCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE prefix = %s AND year = %s RETURNING last",  # noqa: S608
            [prefix, year],
        )
        row = cursor.fetchone()
    return row[0] if row else None
