"""What the home page shows beside the menu: each later app registers a panel, `fn(request) ->
str` (rendered HTML, "" for nothing), in its AppConfig.ready(); the home view stays in org and
never imports the apps above it (DESIGN §4 layers). The cases app shows the member's day: the
window's intake, a unit's inbox, the leaders' red and overdue cases."""

from collections.abc import Callable

from django.http import HttpRequest

HomePanel = Callable[[HttpRequest], str]
HOME_PANELS: list[HomePanel] = []


def register_home_panel(panel: HomePanel) -> None:
    if panel not in HOME_PANELS:
        HOME_PANELS.append(panel)


def home_panels(request: HttpRequest) -> list[str]:
    return [html for panel in HOME_PANELS if (html := panel(request))]
