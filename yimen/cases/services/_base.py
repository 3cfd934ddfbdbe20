"""The shared mechanics of the case verbs: the state and version check (409), the conditional
UPDATE on (version, state) that moves a case, so of two concurrent steps on one case only one
succeeds, and the one timeline event each success appends."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import F
from django.utils import timezone

from yimen.cases import catalogue, timeline
from yimen.cases.models import (
    Case,
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


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)


def _default_row(kind: str) -> CatalogueRow | None:
    return catalogue.catalogue_rows(kind=kind).filter(is_default=True).first()
