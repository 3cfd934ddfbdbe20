"""The dispatch catalogue (派单目录): its seed (the data in catalogue_data.py) loaded, and the
functions that read it: the current catalogue, a category by code, the units a row suggests.

The seed is loaded by the data migration 0002 and by `catalogue_seed()` (idempotent, for a flushed
test database). Administrators revise the catalogue through services.catalogue_revise(), which
makes a new version: cases keep the row and the deadlines they were routed by."""

from dataclasses import dataclass

from django.db.models import QuerySet

from yimen.cases.catalogue_data import POLICIES, RISK_RULES, ROWS, SYNONYMS
from yimen.core.generations import Cached, bump
from yimen.org.models import Unit


@dataclass(frozen=True)
class UnitRef:
    kind: str
    function: str = ""

    @classmethod
    def parse(cls, text: str) -> "UnitRef":
        kind, _, function = text.partition(":")
        return cls(kind, function)


def seed(*, policy_model, catalogue_model, row_model, rule_model) -> int:
    """Load POLICIES, the first catalogue version and RISK_RULES when absent (idempotent).
    Takes the model classes so the data migration can pass its historical models."""
    created = 0
    policies = {}
    for code, name, unit, amount, max_ext, source in POLICIES:
        policies[code], made = policy_model.objects.get_or_create(
            code=code,
            defaults={"name": name, "unit": unit, "amount": amount, "max_extension_days": max_ext, "source": source},
        )
        created += made
    if not catalogue_model.objects.exists():
        catalogue = catalogue_model.objects.create(version=1, is_current=True, note="初始派单目录")
        defaults_seen = set()
        rows = []
        for order, (code, name, group, kind, lead, supports, policy, risk) in enumerate(ROWS):
            is_default = code == f"{kind}.general" and kind not in defaults_seen
            if is_default:
                defaults_seen.add(kind)
            rows.append(
                row_model(
                    catalogue=catalogue,
                    code=code,
                    name=name,
                    group=group,
                    kind=kind,
                    lead=lead,
                    supports=supports,
                    policy=policies[policy],
                    intake_policy=policies["petition.route"] if kind == "petition" else None,
                    sign_policy=policies["sign.urgent" if kind == "incident" else "sign.standard"],
                    return_policy=policies["petition.object" if kind == "petition" else "return.2d"],
                    risk=risk,
                    is_default=is_default,
                    order=order,
                )
            )
        row_model.objects.bulk_create(rows)
        created += len(rows)
    if not rule_model.objects.exists():
        rule_model.objects.bulk_create(
            rule_model(
                name=name, pattern=pattern, kinds=kinds, min_group_size=size, min_repeat=repeat, risk=risk, order=i
            )
            for i, (name, pattern, kinds, size, repeat, risk) in enumerate(RISK_RULES)
        )
    return created


def catalogue_seed() -> int:
    """Load the seed into the live models (e.g. after a test flushed the database)."""
    from yimen.cases.models import CatalogueRow, DeadlinePolicy, DispatchCatalogue, RiskRule

    made = seed(
        policy_model=DeadlinePolicy, catalogue_model=DispatchCatalogue, row_model=CatalogueRow, rule_model=RiskRule
    )
    bump(RULES_GENERATION)
    return made


# What every registration reads (the catalogue in force, its rows, the active risk rules and the
# handling tiers), kept per process and checked against this generation on each use (issue 22).
# Every writer of those rows bumps it in its transaction: catalogue_seed, tiers' seeding, and the
# services of services/catalogue_admin.py.
RULES_GENERATION = "cases.rules"


@dataclass(frozen=True)
class IntakeRules:
    catalogue_id: int
    rows: dict  # code -> CatalogueRow of the current catalogue (its policies joined)
    defaults: dict  # kind -> that kind's default row
    risk_rules: tuple  # the active RiskRules, in their order
    tiers: dict  # risk -> HandlingTier (its report policy joined)


def _load_rules() -> IntakeRules:
    from yimen.cases.models import HandlingTier, RiskRule

    current = catalogue_current()
    rows = {row.code: row for row in current.rows.select_related("policy", "intake_policy")}
    return IntakeRules(
        catalogue_id=current.pk,
        rows=rows,
        defaults={row.kind: row for row in rows.values() if row.is_default},
        risk_rules=tuple(RiskRule.objects.filter(is_active=True)),
        tiers={tier.risk: tier for tier in HandlingTier.objects.select_related("report_policy")},
    )


_RULES = Cached(RULES_GENERATION, _load_rules)


def intake_rules() -> IntakeRules:
    """The catalogue rows, risk rules and tiers in force, from this process's copy while their
    generation stands. Read-only: the rows are shared by every request of the process."""
    return _RULES.get()


def catalogue_current():
    """The catalogue version in force (seeding it on a flushed database)."""
    from yimen.cases.models import DispatchCatalogue

    current = DispatchCatalogue.objects.filter(is_current=True).first()
    if current is None:
        catalogue_seed()
        current = DispatchCatalogue.objects.get(is_current=True)
    return current


def spoken_words(row) -> str:
    """The spoken words that name this row (for the desk's filter), space-separated."""
    text = f"{row.name}{row.group}"
    return " ".join(word for word, formal in SYNONYMS.items() if formal in text)


def catalogue_rows(*, kind: str | None = None) -> QuerySet:
    """The current catalogue's rows (for the intake desk's picker and GET /catalogue)."""
    rows = catalogue_current().rows.select_related("policy")
    return rows.filter(kind=kind) if kind else rows


def units_for(ref: str, *, region_path: str) -> QuerySet[Unit]:
    """Active units matching a catalogue unit reference whose area covers the case's region,
    nearest (deepest) first."""
    parsed = UnitRef.parse(ref)
    covering = [region_path[: i + 1] for i, ch in enumerate(region_path) if ch == "/"]
    units = Unit.objects.filter(is_active=True, kind=parsed.kind, region__path__in=covering)
    if parsed.function:
        units = units.filter(code__endswith=f"-{parsed.function}")
    return units.select_related("region").order_by("-region__depth", "code")


def suggest_units(row, *, region_path: str) -> tuple[Unit | None, list[Unit]]:
    """The lead unit and support units a catalogue row suggests for a case in `region_path`."""
    lead = units_for(row.lead, region_path=region_path).first()
    supports = []
    for ref in row.supports:
        unit = units_for(ref, region_path=region_path).first()
        if unit is not None and unit != lead and unit not in supports:
            supports.append(unit)
    return lead, supports
