"""Reads of smart intake, always within what the member may see (Case.objects.visible_to):
categories and units suggested for a text, duplicates and related cases, the warning board."""

from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yimen.cases import catalogue
from yimen.cases.models import Case, CatalogueRow
from yimen.cases.page_selectors import HINT_LIMIT, NEAR_LEVELS, intake_hints
from yimen.geo.models import Region
from yimen.geo.selectors import region_ancestors
from yimen.org.models import Membership, Unit
from yimen.smart.classifier import Scored, compiled
from yimen.smart.lexicon import enough, words
from yimen.smart.models import CaseLink, EarlyWarning

SIMILAR = 2  # past cases shown as a suggestion's reason
SAME_ISSUE_DAYS = 90
SAME_ISSUE_CANDIDATES = 100  # the newest cases of the place compared word by word
SAME_ISSUE_MIN = 0.3  # share of words in common (Jaccard) that makes "the same issue"
REDISPATCH_NOTE = 0.2  # past cases of a row redispatched this often: the catalogue may be wrong


@dataclass
class CategorySuggestion:
    row: CatalogueRow
    score: float
    words: list[str]
    catalogue_words: list[str]
    similar: list[Case] = field(default_factory=list)


@dataclass
class UnitSuggestion:
    row: CatalogueRow
    lead: Unit | None
    supports: list[Unit]
    note: str  # when past cases of the row were often redispatched


@dataclass
class Duplicate:
    case: Case
    reason: str
    score: float | None = None  # the share of words in common, for the same issue


def suggest_categories(
    *, member: Membership, title: str, description: str = "", kind: str = "", similar: bool = True
) -> list[CategorySuggestion]:
    """Top 3 catalogue rows for the text with their reasons: the words that speak for each row,
    those that are the catalogue's own, and two similar past cases of the row the member may
    see. Empty or very short text → [] (never an error)."""
    text = f"{title} {description}".strip()
    if not enough(text):
        return []
    scored: list[Scored] = compiled().score(text, kind=kind)
    shown = similar_cases(member=member, scored=scored) if similar else {}
    return [
        CategorySuggestion(
            row=s.row,
            score=s.score,
            words=s.words,
            catalogue_words=s.catalogue_words,
            similar=shown.get(s.row.code, []),
        )
        for s in scored
    ]


def similar_cases(*, member: Membership, scored: list[Scored]) -> dict[str, list[Case]]:
    """Per suggested row, its most alike past closed cases the member may see (SIMILAR of them):
    one query over every row's exemplars, scoped by Case.objects.visible_to."""
    wanted = [pk for s in scored for pk in s.exemplars]
    visible = Case.objects.visible_to(member).filter(pk__in=wanted).only("code", "title")
    by_pk = {case.pk: case for case in visible}
    return {s.row.code: [by_pk[pk] for pk in s.exemplars if pk in by_pk][:SIMILAR] for s in scored}


def suggest_units(*, row: CatalogueRow, region: Region | None, redispatch: dict | None = None) -> UnitSuggestion:
    """The lead and support units the catalogue row names for the place (the region's units),
    with a note when past cases of the row were often redispatched."""
    lead, supports = catalogue.suggest_units(row, region_path=region.path) if region else (None, [])
    moved, total = (redispatch if redispatch is not None else compiled().redispatch).get(row.code, [0, 0])
    note = ""
    if total >= 10 and moved / total >= REDISPATCH_NOTE:
        note = f"该类别过去 {total} 件中有 {moved} 件被改派（{moved / total:.0%}），派单目录可能需要调整。"
    return UnitSuggestion(row=row, lead=lead, supports=supports, note=note)


def region_visible(*, member: Membership, code: str) -> Region | None:
    if not code:
        return None
    return Region.objects.visible_to(member).filter(code=code).first()


def issue_place(region: Region) -> Region:
    """Where the same issue is looked for: the grid of a micro-grid, else the region picked (a
    grid, a special grid, a village …): two complaints about one rubbish heap come from one grid."""
    if region.level == Region.Level.MICROGRID:
        return next((r for r in region_ancestors(region) if r.level == Region.Level.GRID), region)
    return region


@lru_cache(maxsize=65536)
def word_set(text: str) -> frozenset[str]:
    """A text's words as a set, remembered: the same past cases are compared again and again."""
    return frozenset(words(text))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def recent_at(place: Region, *, since, until=None, exclude: int | None = None) -> list[tuple]:
    """The newest SAME_ISSUE_CANDIDATES cases at the place since `since` (before `until`), not
    merged, as (id, title, description, region_path) — unscoped: the caller scopes them."""
    recent = Case.unscoped.filter(region_path__startswith=place.path, received_at__gte=since).exclude(state="merged")
    if until is not None:
        recent = recent.filter(received_at__lt=until)
    if exclude:
        recent = recent.exclude(pk=exclude)
    rows = recent.order_by("-received_at", "-id").values_list("pk", "title", "description", "region_path")
    return list(rows[:SAME_ISSUE_CANDIDATES])


def issue_shares(text: str, candidates: list[tuple]) -> dict[int, float]:
    """Candidate id → share of words in common with the text, for those at SAME_ISSUE_MIN or more."""
    mine = word_set(text)
    if not mine:
        return {}
    shares = {pk: similarity(mine, word_set(f"{title} {description}")) for pk, title, description, _ in candidates}
    return {pk: share for pk, share in shares.items() if share >= SAME_ISSUE_MIN}


def duplicates(
    *,
    member: Membership,
    title: str,
    description: str = "",
    region: str = "",
    person_ids=(),
    phones=(),
    id_numbers=(),
    exclude: int | None = None,
) -> list[Duplicate]:
    """Possible duplicates and related cases the member may see, each once with its reason: the
    same person (registry link or blind index of phone / ID number, the intake desk's own rule,
    cases.page_selectors.intake_hints), the same place (a grid or finer, NEAR_LEVELS) and the same
    issue (text similarity at issue_place), both among the place's newest cases of 90 days."""
    found = {
        case.pk: Duplicate(case=case, reason=reason)
        for case, reason in intake_hints(member=member, person_ids=person_ids, phones=phones, id_numbers=id_numbers)
        if case.pk != exclude
    }
    picked = region_visible(member=member, code=region)
    place = picked or member.jurisdiction
    since = timezone.now() - timedelta(days=SAME_ISSUE_DAYS)
    candidates = recent_at(issue_place(place), since=since, exclude=exclude)
    visible = set(
        Case.objects.visible_to(member).filter(pk__in=[c[0] for c in candidates]).values_list("pk", flat=True)
    )
    candidates = [c for c in candidates if c[0] in visible]
    reasons: dict[int, list[str]] = {}
    if picked is not None and picked.level in NEAR_LEVELS:
        near = [c[0] for c in candidates if c[3].startswith(picked.path)]
        for pk in near[:HINT_LIMIT]:
            reasons.setdefault(pk, []).append("同一地点")
    text = f"{title} {description}".strip()
    shares = issue_shares(text, candidates) if enough(text) else {}
    for pk, share in sorted(shares.items(), key=lambda item: item[1], reverse=True)[:HINT_LIMIT]:
        reasons.setdefault(pk, []).append(f"同一事项（用词相同 {share:.0%}）")
    fields = ("code", "title", "state", "received_at", "region_id")
    # Ids of `visible` only (scoped above): the rows for the answer.
    for case in Case.unscoped.filter(pk__in=list(reasons)).only(*fields):
        if case.pk in found:
            found[case.pk].reason = "；".join([found[case.pk].reason, *reasons[case.pk]])
        else:
            found[case.pk] = Duplicate(case=case, reason="；".join(reasons[case.pk]), score=shares.get(case.pk))
    return sorted(found.values(), key=lambda d: (d.case.received_at, d.case.pk), reverse=True)


def links_of(*, member: Membership, case: Case) -> list[tuple[Case, CaseLink]]:
    """The case's linked cases the member may see (both directions)."""
    links = list(CaseLink.objects.filter(first=case) | CaseLink.objects.filter(second=case))
    others = {link.second_id if link.first_id == case.pk else link.first_id: link for link in links}
    visible = Case.objects.visible_to(member).filter(pk__in=list(others)).select_related("region")
    return [(other, others[other.pk]) for other in visible.order_by("-received_at")]


def warnings_visible(*, member: Membership, state: str = EarlyWarning.State.OPEN) -> QuerySet[EarlyWarning]:
    """The warning board: warnings whose place lies in the member's jurisdiction, newest first."""
    if not member.has_perm("warning.view"):
        return EarlyWarning.objects.none()
    mine = EarlyWarning.objects.filter(state=state, region_path__startswith=member.jurisdiction.path)
    return mine.select_related("rule", "region").order_by("-raised_at", "-id")


def warning_get_visible(*, member: Membership, warning_id: int) -> EarlyWarning:
    return get_object_or_404(warnings_visible(member=member), pk=warning_id)


def warning_board(*, member: Membership, limit: int = 100) -> list[EarlyWarning]:
    """The open warnings of the board, each with `shown_cases`: its evidence cases the member may
    see (three queries whatever the number of warnings)."""
    warnings = list(warnings_visible(member=member).prefetch_related("cases__region")[:limit])
    ids = {case.pk for warning in warnings for case in warning.cases.all()}
    visible = set(Case.objects.visible_to(member).filter(pk__in=ids).values_list("pk", flat=True))
    for warning in warnings:
        warning.shown_cases = [case for case in warning.cases.all() if case.pk in visible]
    return warnings
