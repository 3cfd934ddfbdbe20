"""Where later apps add to a person's card without the registry knowing them (the layers of
DESIGN §4 point one way: cases use people, never the reverse). Each app registers in its
AppConfig.ready().

- Person-card panels: `register_person_panel(fn)`, `fn(request, person) -> str` returning
  rendered HTML below the card's facts ("" to show nothing), e.g. the person's cases.
- Reach: `register_person_reach(fn)`, `fn(member) -> Q | Exists | None`, persons outside the
  member's jurisdiction that a later app's record lets the member READ (e.g. the insight app's
  会商 on a person while the session runs). Only `selectors.person_get_readable` (the card and
  `GET /persons/{id}`) widens by it: editing, reveals, notes, tags and exports keep the normal
  scope, so a reached person is as absent there as any other (404).
- Reads: `register_person_read(fn)`, `fn(member, person)` called by
  `selectors.person_get_readable` each time a member opens a person through a reach (page or
  API) — e.g. the 会商 logs the read with the session as its purpose. It may write an audit
  entry; it changes no person."""

from collections.abc import Callable
from typing import Any

from django.db.models import Exists, Q
from django.http import HttpRequest

PersonPanel = Callable[[HttpRequest, object], str]
PERSON_PANELS: list[PersonPanel] = []


def register_person_panel(panel: PersonPanel) -> None:
    if panel not in PERSON_PANELS:
        PERSON_PANELS.append(panel)


def person_panels(request: HttpRequest, person) -> list[str]:
    return [html for panel in PERSON_PANELS if (html := panel(request, person))]


PersonReach = Callable[[Any], Q | Exists | None]
PERSON_REACHES: list[PersonReach] = []


def register_person_reach(rule: PersonReach) -> None:
    if rule not in PERSON_REACHES:
        PERSON_REACHES.append(rule)


def person_reaches(member) -> list[Q | Exists]:
    return [held for rule in PERSON_REACHES if (held := rule(member)) is not None]


PersonRead = Callable[[Any, Any], None]
PERSON_READS: list[PersonRead] = []


def register_person_read(hook: PersonRead) -> None:
    if hook not in PERSON_READS:
        PERSON_READS.append(hook)


def person_read(member, person) -> None:
    for hook in PERSON_READS:
        hook(member, person)
