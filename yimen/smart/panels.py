"""The case page's related-cases panel: possible duplicates found for the case (same person,
place or issue) and the cases linked to it, each linkable in one click (both ways)."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from yimen.smart import selectors


def related_panel(request: HttpRequest, case) -> str:
    member = getattr(request, "member", None)
    if member is None or not member.has_perm("case.link"):
        return ""
    linked = selectors.links_of(member=member, case=case)
    shown = {other.pk for other, _ in linked}
    found = [
        dup
        for dup in selectors.duplicates(
            member=member,
            title=case.title,
            description=case.description,
            region=case.region.code if case.region_id else "",
            person_ids=[p.person_id for p in case.parties.all() if p.person_id],
            exclude=case.pk,
        )
        if dup.case.pk not in shown
    ]
    if not linked and not found:
        return ""
    context = {"case": case, "linked": linked, "found": found[:6]}
    return render_to_string("smart/_related_panel.html", context, request=request)
