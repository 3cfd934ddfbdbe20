"""The statutory periods of mediation as deadline policy rows (DESIGN §2.4, §7: rules are data),
counted by yimen.core.deadlines over the holiday calendar (the start day is not counted; a last
day on a holiday moves to the next working day)."""

from datetime import date, datetime, time

from yimen.cases.catalogue import catalogue_seed
from yimen.cases.deadlines import policy_deadline
from yimen.cases.models import DeadlinePolicy
from yimen.core.calendar import SHANGHAI
from yimen.core.deadlines import deadline_natural_days

MONTH = "mediation.month"  # seeded by the cases catalogue
APPLY, ACCEPT, DECIDE = "confirmation.apply", "confirmation.accept", "confirmation.decide"

# (code, name, unit, amount, max extension in days, source)
POLICIES = [
    (APPLY, "司法确认申请 30 日", "natural_days", 30, 0, "人民调解法第三十三条（调解协议生效之日起三十日内共同申请）"),
    (ACCEPT, "司法确认受理 3 日", "natural_days", 3, 0, "最高人民法院关于人民调解协议司法确认程序的若干规定第三条"),
    (
        DECIDE,
        "司法确认审查 15 日",
        "natural_days",
        15,
        10,
        "最高人民法院关于人民调解协议司法确认程序的若干规定第六条（可延长十日）",
    ),
]


def seed(policy_model=DeadlinePolicy) -> int:
    """Create the rows when absent (idempotent; the data migration passes its historical model)."""
    created = 0
    for code, name, unit, amount, max_ext, source in POLICIES:
        _, made = policy_model.objects.get_or_create(
            code=code,
            defaults={"name": name, "unit": unit, "amount": amount, "max_extension_days": max_ext, "source": source},
        )
        created += made
    return created


def policy(code: str) -> DeadlinePolicy:
    """The policy row of `code`, seeding the rows first on a flushed database (tests)."""
    found = DeadlinePolicy.objects.filter(code=code).first()
    if found is None:
        if code == MONTH:
            catalogue_seed()
        else:
            seed()
        found = DeadlinePolicy.objects.get(code=code)
    return found


def start_of(day: date) -> datetime:
    """A day as the moment a period counted from it starts (the day itself is not counted)."""
    return datetime.combine(day, time(12), tzinfo=SHANGHAI)


def due(code: str, start: datetime | date) -> datetime:
    """The deadline of policy `code` for a period starting at `start` (a date or aware datetime)."""
    moment = start if isinstance(start, datetime) else start_of(start)
    return policy_deadline(policy(code), moment)


def extended_by(code: str, start: date, extra: int) -> datetime:
    """The period of `code` lengthened by `extra` days, counted again from `start` (the court's
    15 days + 10 is one 25-day period from acceptance, with the holiday rule at its end)."""
    return deadline_natural_days(start_of(start), policy(code).amount + extra)
