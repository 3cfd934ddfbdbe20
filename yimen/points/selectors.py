"""Reads of the points app, always within the member's jurisdiction (another village's records
are as good as absent: 404)."""

from django.db.models import Count, QuerySet, Sum
from django.http import Http404

from yimen.geo.models import Region
from yimen.org.models import Membership
from yimen.people.models import Household
from yimen.points.models import Award, Balance, Consent, Entry, Item, Rule, RuleSet


def village_visible(member: Membership, code: str | None) -> Region:
    """A village the member works in or over (a grid worker's grid lies inside it)."""
    village = Region.objects.filter(code=code or "", level=Region.Level.VILLAGE).first()
    if village is None or not (village.is_within(member.jurisdiction) or member.jurisdiction.is_within(village)):
        raise Http404
    return village


def household_visible(member: Membership, household_id: int) -> Household:
    household = Household.objects.visible_to(member).select_related("region", "head").filter(pk=household_id).first()
    if household is None:
        raise Http404
    return household


def current_ruleset(village: Region) -> RuleSet | None:
    """The village's latest version, else the town's default set."""
    for region_id in (village.pk, village.parent_id):
        found = RuleSet.objects.filter(region_id=region_id).order_by("-version").first()
        if found is not None:
            return found
    return None


def rules_for(village: Region) -> list[Rule]:
    ruleset = current_ruleset(village)
    return list(ruleset.rules.all()) if ruleset else []


def award_visible(member: Membership, award_id: int, *, for_update: bool = False) -> Award:
    awards = Award.objects.filter(household__region__path__startswith=member.jurisdiction.path)
    if for_update:
        awards = awards.select_for_update(of=("self",))
    award = awards.select_related("rule", "household", "proposed_by").filter(pk=award_id).first()
    if award is None:
        raise Http404
    return award


def item_visible(member: Membership, item_id: int, village: Region) -> Item:
    item = Item.objects.filter(pk=item_id, village=village).first()
    if item is None:
        raise Http404
    return item


def balance_of(household: Household) -> int:
    """One row read: the balance kept with every entry (bench: ≤ 5 ms at 10,000 entries)."""
    return Balance.objects.filter(household=household).values_list("balance", flat=True).first() or 0


def ledger_sum(household: Household) -> int:
    """The sum over the ledger, to check the kept balance against."""
    return Entry.objects.filter(household=household).aggregate(s=Sum("points"))["s"] or 0


def ledger(household: Household, limit: int = 200) -> QuerySet[Entry]:
    return Entry.objects.filter(household=household).order_by("-at", "-pk")[:limit]


def pending_awards(household: Household) -> QuerySet[Award]:
    return Award.objects.filter(household=household).exclude(state=Award.State.APPROVED).select_related("rule")


def board(village: Region, since, until, size: int = 10) -> dict:
    """红黑榜 for a period: the red board names the consenting households with the most awarded
    points; the black board lists deductions by behaviour, never by name (个人信息保护法)."""
    entries = Entry.objects.filter(
        village=village, at__gte=since, at__lt=until, kind=Entry.Kind.AWARD, reversed_by__isnull=True
    )
    consenting = Consent.objects.filter(withdrawn_at__isnull=True).values("household_id")
    red_rows = (
        entries.filter(points__gt=0, household_id__in=consenting)
        .values("household_id", "household__address", "household__head__name")
        .annotate(points=Sum("points"))
        .order_by("-points", "household_id")[:size]
    )
    red = [
        {"household": r["household_id"], "name": r["household__head__name"] or "", "points": r["points"]}
        for r in red_rows
    ]
    black_rows = (
        entries.filter(points__lt=0)
        .values("category", "label")
        .annotate(points=Sum("points"), count=Count("id"))
        .order_by("points", "label")
    )
    black = [
        {"category": r["category"], "behaviour": r["label"], "count": r["count"], "points": r["points"]}
        for r in black_rows
    ]
    return {"red": red, "black": black}


def member_village(member: Membership) -> Region | None:
    """The village a grid seat or village cadre works in (a grid worker's grid lies inside it)."""
    jurisdiction = member.jurisdiction
    if jurisdiction.level == Region.Level.VILLAGE:
        return jurisdiction
    codes = jurisdiction.ancestor_codes
    return Region.objects.filter(code__in=codes, level=Region.Level.VILLAGE).first()


def awards_waiting(member: Membership) -> QuerySet[Award]:
    """Proposals waiting for the village committee, within the member's jurisdiction."""
    return (
        Award.objects.filter(household__region__path__startswith=member.jurisdiction.path, state=Award.State.PROPOSED)
        .select_related("rule", "household", "household__head", "proposed_by__user")
        .order_by("proposed_at", "pk")
    )
