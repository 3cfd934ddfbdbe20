"""Where later apps add to a person's card without the registry knowing them (the layers of
DESIGN §4 point one way: cases use people, never the reverse). Each app registers in its
AppConfig.ready().

- Person-card panels: `register_person_panel(fn)`, `fn(request, person) -> str` returning
  rendered HTML below the card's facts ("" to show nothing), e.g. the person's cases."""

from collections.abc import Callable

from django.http import HttpRequest

PersonPanel = Callable[[HttpRequest, object], str]
PERSON_PANELS: list[PersonPanel] = []


def register_person_panel(panel: PersonPanel) -> None:
    if panel not in PERSON_PANELS:
        PERSON_PANELS.append(panel)


def person_panels(request: HttpRequest, person) -> list[str]:
    return [html for panel in PERSON_PANELS if (html := panel(request, person))]
