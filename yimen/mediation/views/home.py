"""The court's part of the home page (registered with yimen.org.home): the 司法确认 applications
waiting on it, nearest due first, since only the court records their steps."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from yimen.mediation import selectors

COURT_ROWS = 10


def court_home(request: HttpRequest) -> str:
    member = getattr(request, "member", None)
    if member is None or not member.has_perm("court.confirm"):
        return ""
    rows = list(selectors.confirmations_awaiting_court(member=member)[: COURT_ROWS + 1])
    context = {"rows": rows[:COURT_ROWS], "more": len(rows) > COURT_ROWS, "shown": COURT_ROWS}
    return render_to_string("mediation/home/_court.html", context, request=request)
