"""What the home pages show beside the menu: each later app registers a panel, `fn(request) ->
str` (rendered HTML, "" for nothing), in its AppConfig.ready(); the home views stay in org and
fieldwork and never import the apps above them (DESIGN §4 layers). The cases app shows the
member's day on the desk's home page (the window's intake, a unit's inbox, the leaders' red and
overdue cases); the phone app's home (/m/) shows the cards of points, emergency and legal."""

from collections.abc import Callable

from django.http import HttpRequest

Panel = Callable[[HttpRequest], str]


class Panels:
    """An ordered set of panels, rendered for one request."""

    def __init__(self) -> None:
        self.panels: list[Panel] = []

    def register(self, panel: Panel) -> None:
        if panel not in self.panels:
            self.panels.append(panel)

    def render(self, request: HttpRequest) -> list[str]:
        return [html for panel in self.panels if (html := panel(request))]


HOME = Panels()
PHONE = Panels()


def register_home_panel(panel: Panel) -> None:
    HOME.register(panel)


def home_panels(request: HttpRequest) -> list[str]:
    return HOME.render(request)


def register_phone_panel(panel: Panel) -> None:
    """A card on the phone app's home (/m/), which the service worker keeps for offline use."""
    PHONE.register(panel)


def phone_panels(request: HttpRequest) -> list[str]:
    return PHONE.render(request)
