"""Where later apps (mediation, petitions, fieldwork …) add to the case engine without the case
engine knowing them. Each registers its functions in its AppConfig.ready(); dependencies keep
pointing one way: cases never imports those apps.

- Case-page panels: `register_case_panel(fn)`, `fn(request, case) -> str` returning rendered
  HTML for the page's main column ("" to show nothing).
- Intake checks: `register_intake_check(fn)`, `fn(draft: IntakeDraft)` called by
  `case_register` inside the registering transaction once the intake's own field checks have
  passed and before the case is written. A check refuses by raising `Invalid` (422, field
  errors named like the API body: "parties", "review_of" …) or `Conflict` (409); it may set
  `draft.category` when the sender left it blank; it returns None, or a function
  `after(case)` that runs once the case and its parties exist (to create and link the app's own
  records), still in the same transaction.
- Visibility exclusions: `register_case_exclusion(fn)`, `fn(member) -> Q | Exists | None`, a condition on
  Case rows the member must never see (e.g. accusations naming the member's own user), applied
  by `CaseQuerySet.visible_to` — the one scoping function every list, detail, search and API
  path starts from.
- Reach: `register_case_reach(fn)`, `fn(member) -> Q | Exists | None`, cases a later app's record
  puts in the member's unit's hands beside its first receipt and assignments (e.g. the court a
  mediation agreement was sent to for 司法确认); visible_to treats them as held by the unit
  (within held_reach, never past an exclusion).
- Reads: `register_case_read(fn)`, `fn(member, case)` called by `selectors.case_get_visible`
  each time a member opens a case (page or API) — e.g. the insight app's 会商 logs a read of the
  case file by an invited unit with the session as its purpose. It may write an audit entry;
  it changes no case.
- Public-rating checks: `register_public_rating_check(fn)`, `fn(case, code)` called by
  `case_rate_public` inside its transaction; it refuses by raising `Invalid` (e.g. citizens: the
  SMS code sent to the applicant's phone). With no check registered the public rating is refused,
  so that a staff member holding the public token can never rate (issue 19).
- Intake hints: `register_intake_hints(fn)`, `fn(request, draft: HintDraft) -> str` returning
  rendered HTML shown in the intake desk's hints box while the clerk types ("" for nothing), e.g.
  the smart app's suggested categories and units and the same-issue duplicates, each with its
  reason (issue 23). It only reads, scoped to `draft.member`, and never picks for the clerk."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, Q
from django.http import HttpRequest

CasePanel = Callable[[HttpRequest, object], str]
CASE_PANELS: list[CasePanel] = []


def register_case_panel(panel: CasePanel) -> None:
    if panel not in CASE_PANELS:
        CASE_PANELS.append(panel)


def case_panels(request: HttpRequest, case) -> list[str]:
    return [html for panel in CASE_PANELS if (html := panel(request, case))]


@dataclass
class IntakeDraft:
    """A registration that passed the intake's own checks, before the case is written."""

    actor: Any  # org.Membership
    kind: str
    title: str
    description: str
    channel: str
    received_at: datetime
    category: Any  # cases.CatalogueRow or None (the kind's default row is used then)
    petition_type: str
    accused_units: list
    parties: list[dict]  # cleaned: name, role, person_id, blind indexes, masked values
    group_size: int
    sent: dict = field(default_factory=dict)  # every field as the caller sent it (review_of …)


IntakeCheck = Callable[[IntakeDraft], Callable[[Any], None] | None]
INTAKE_CHECKS: list[IntakeCheck] = []


def register_intake_check(check: IntakeCheck) -> None:
    if check not in INTAKE_CHECKS:
        INTAKE_CHECKS.append(check)


def run_intake_checks(draft: IntakeDraft) -> list[Callable[[Any], None]]:
    """Run every registered check; the `after(case)` functions they return, in order."""
    return [after for check in INTAKE_CHECKS if (after := check(draft)) is not None]


CaseExclusion = Callable[[Any], Q | Exists | None]
CASE_EXCLUSIONS: list[CaseExclusion] = []


def register_case_exclusion(rule: CaseExclusion) -> None:
    if rule not in CASE_EXCLUSIONS:
        CASE_EXCLUSIONS.append(rule)


def case_exclusions(member) -> list[Q | Exists]:
    return [hidden for rule in CASE_EXCLUSIONS if (hidden := rule(member)) is not None]


CaseReach = Callable[[Any], Q | Exists | None]
CASE_REACHES: list[CaseReach] = []


def register_case_reach(rule: CaseReach) -> None:
    if rule not in CASE_REACHES:
        CASE_REACHES.append(rule)


def case_reaches(member) -> list[Q | Exists]:
    return [held for rule in CASE_REACHES if (held := rule(member)) is not None]


CaseRead = Callable[[Any, Any], None]
CASE_READS: list[CaseRead] = []


def register_case_read(hook: CaseRead) -> None:
    if hook not in CASE_READS:
        CASE_READS.append(hook)


def case_read(member, case) -> None:
    for hook in CASE_READS:
        hook(member, case)


PublicRatingCheck = Callable[[Any, str], None]
PUBLIC_RATING_CHECKS: list[PublicRatingCheck] = []


def register_public_rating_check(check: PublicRatingCheck) -> None:
    if check not in PUBLIC_RATING_CHECKS:
        PUBLIC_RATING_CHECKS.append(check)


def public_rating_checks() -> list[PublicRatingCheck]:
    return list(PUBLIC_RATING_CHECKS)


@dataclass
class HintDraft:
    """What the clerk has typed at the intake desk so far (nothing is written yet)."""

    member: Any  # org.Membership
    title: str = ""
    description: str = ""
    kind: str = ""
    region: str = ""  # a region code as picked
    person_ids: list[int] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    id_numbers: list[str] = field(default_factory=list)


IntakeHints = Callable[[HttpRequest, HintDraft], str]
INTAKE_HINTS: list[IntakeHints] = []


def register_intake_hints(fn: IntakeHints) -> None:
    if fn not in INTAKE_HINTS:
        INTAKE_HINTS.append(fn)


def intake_hint_blocks(request: HttpRequest, draft: HintDraft) -> list[str]:
    return [html for fn in INTAKE_HINTS if (html := fn(request, draft))]
