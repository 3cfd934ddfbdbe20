"""What smart intake adds to the intake desk through the case engine's hooks: the hints block
(categories, units, same-issue cases, each with its reason) and, at registration, the record of
what was suggested and what the clerk chose."""

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string

from yimen.cases.extensions import HintDraft, IntakeDraft
from yimen.smart import selectors
from yimen.smart.tasks import suggestion_log


def intake_hints_block(request: HttpRequest, draft: HintDraft) -> str:
    """The desk's smart block for the text typed so far ("" until it says enough)."""
    member = draft.member
    suggestions = selectors.suggest_categories(
        member=member, title=draft.title, description=draft.description, kind=draft.kind
    )
    if not suggestions:
        return ""
    region = selectors.region_visible(member=member, code=draft.region)
    units = selectors.suggest_units(row=suggestions[0].row, region=region)
    # The desk's own hints show the same person and the same place already; this adds the same issue.
    issues = [
        dup
        for dup in selectors.duplicates(
            member=member, title=draft.title, description=draft.description, region=draft.region
        )
        if dup.reason.startswith("同一事项")
    ]
    context = {"suggestions": suggestions, "units": units, "region": region, "issues": issues}
    return render_to_string("smart/_intake_hints.html", context, request=request)


def record_choice(draft: IntakeDraft) -> Callable | None:
    """At registration: once the case exists and the registration has committed, queue the record
    of what the suggester would have shown for the text and the category the clerk chose (the
    kind's default when left blank)."""
    member_id = draft.actor.pk

    def after(case) -> None:
        transaction.on_commit(lambda: suggestion_log(case.pk, member_id))

    return after
