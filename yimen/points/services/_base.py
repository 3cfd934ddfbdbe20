"""What the points services share: the household's village, the audit line, the ledger write."""

from collections.abc import Callable

from django.db.models import F, Model
from django.utils import timezone

from yimen.core import idempotency
from yimen.core.errors import NotFound
from yimen.geo.models import Region
from yimen.org.models import Membership
from yimen.org.services import audit_as
from yimen.people.models import Household
from yimen.points.models import Balance, Entry, MonthTally


def village_of(household: Household) -> Region:
    """The 村 whose rules, supermarket and board a household belongs to (its micro-grid's ancestor)."""
    codes = [*household.region.ancestor_codes, household.region.code]
    village = Region.objects.filter(code__in=codes, level=Region.Level.VILLAGE).first()
    if village is None:
        raise NotFound("该户不属于任何村（社区），不能记积分。")
    return village


def log(actor: Membership, action: str, target: str, **detail) -> None:
    audit_as(actor, action=action, target=target, detail=detail)


def locked_balance(household: Household) -> Balance:
    """The balance row under a row lock: every ledger write for a household queues here."""
    Balance.objects.get_or_create(household=household)
    return Balance.objects.select_for_update().get(household=household)


def append(balance: Balance, *, points: int, **fields) -> Entry:
    """Append one entry and move the kept balance with it (call with the balance locked)."""
    balance.balance += points
    balance.save(update_fields=["balance"])
    entry = Entry.objects.create(
        household_id=balance.household_id, points=points, balance_after=balance.balance, at=timezone.now(), **fields
    )
    if entry.kind != Entry.Kind.REDEMPTION:  # spending points is no merit lost
        month = timezone.localdate(entry.at).replace(day=1)
        tally, _ = MonthTally.objects.get_or_create(household_id=entry.household_id, month=month, village=entry.village)
        MonthTally.objects.filter(pk=tally.pk).update(points=F("points") + points)
    return entry


def once(*, actor: Membership, key: str | None, scope: str, fields: dict, make: Callable[[], Model], model) -> Model:
    """A create the client may retry: with an Idempotency-Key the first record comes back on a
    retry (core run_once); without one, the create simply runs (API.md names no key here)."""
    if key is None:
        return make()
    done = idempotency.run_once(f"points.{scope}", user=actor.user, key=key, fields=fields, make=make)
    return done.record or model.objects.get(pk=done.object_id)
