"""Where later apps (mediation, petitions, fieldwork …) add to the case page without the case
engine knowing them: each registers, in its AppConfig.ready(), a panel function
`(request, case) -> str` returning rendered HTML for the page's main column ("" to show nothing).
Dependencies keep pointing one way: cases never imports those apps."""

from collections.abc import Callable

from django.http import HttpRequest

CasePanel = Callable[[HttpRequest, object], str]
CASE_PANELS: list[CasePanel] = []


def register_case_panel(panel: CasePanel) -> None:
    if panel not in CASE_PANELS:
        CASE_PANELS.append(panel)


def case_panels(request: HttpRequest, case) -> list[str]:
    return [html for panel in CASE_PANELS if (html := panel(request, case))]
