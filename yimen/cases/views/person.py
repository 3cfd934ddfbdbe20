"""The person card's 案件 panel (registered with yimen.people.extensions): the cases of that
person the member may see, newest first, so a clerk sees a returning caller's history at once."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from yimen.cases import selectors

PERSON_CASES_SHOWN = 20  # a card, not a list: a person with more has the case list's filters


def person_cases_panel(request: HttpRequest, person) -> str:
    member = getattr(request, "member", None)
    if member is None or not member.has_perm("case.view"):
        return ""
    cases = selectors.person_cases(member=member, person=person)
    rows = list(cases[: PERSON_CASES_SHOWN + 1])
    context = {"cases": rows[:PERSON_CASES_SHOWN], "more": len(rows) > PERSON_CASES_SHOWN, "shown": PERSON_CASES_SHOWN}
    return render_to_string("cases/_person_cases.html", context, request=request)
