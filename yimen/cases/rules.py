"""Who may take which step on which case (DESIGN §6, §8; API.md "Who acts").

Each action needs a role permission (yimen.org.roles) and a relation between the actor's unit
and the case: the centre's steps need the first receiver or a jurisdiction over the case; the
handling steps need the actor's unit's own assignment. `authorize` raises the 403 or 409 the
services return; `allowed_actions` answers the same question without raising, for pages."""

from yimen.cases import catalogue, timeline
from yimen.cases.choices import CONFIDENTIAL_KINDS
from yimen.cases.models import Assignment, Case
from yimen.core.errors import Conflict, DomainError, NotAllowed
from yimen.core.permissions import require_permission

# action -> (permission, relation)
#   responsible: the first receiving unit, or a jurisdiction-wide seat whose area holds the case
#   pending / signed: the actor's unit holds an assignment in that state (lead or support)
#   lead_pending / lead_signed: ... the lead assignment in that state
#   involved: responsible, or any active assignment
#   own_lead: the actor's unit registered the case (首接) and the case's catalogue row makes that
#     unit its lead (自办); otherwise it is the centre's to dispatch
ACTION_RULES: dict[str, tuple[str, str]] = {
    "accept": ("case.accept", "responsible"),
    "decline": ("case.decline", "responsible"),
    "dispatch": ("case.dispatch", "responsible"),
    "redispatch": ("case.redispatch", "responsible"),
    "merge": ("case.merge", "responsible"),
    "refer": ("case.refer", "responsible"),
    "review": ("case.review", "responsible"),
    "close": ("case.close", "responsible"),
    "follow_up": ("case.follow_up", "responsible"),
    "archive": ("case.archive", "responsible"),
    "sign": ("case.sign", "pending"),
    "dispute": ("case.dispute", "lead_pending"),
    "reply": ("case.reply", "signed"),
    "extend": ("case.extend", "lead_signed"),
    "urge": ("case.urge", "responsible"),
    "supervise": ("case.supervise", "responsible"),
    "censure": ("case.censure", "responsible"),
    "raise_risk": ("case.raise_risk", "involved"),
    "take": ("case.take", "own_lead"),
    "note": ("case.note", "involved"),
    "release": ("case.release", "responsible"),
}
ACTIONS = tuple(ACTION_RULES)


def is_responsible(member, case: Case) -> bool:
    """首接 or jurisdiction: the unit that received the case, or a jurisdiction-wide seat
    (dispatcher, supervisor, leader, grid chief) whose area holds the case's region."""
    if case.first_unit_id == member.unit_id:
        return True
    return member.sees_jurisdiction and case.region_path.startswith(member.jurisdiction.path)


def may_print_receipt(member, case: Case) -> bool:
    """受理回执: it carries the citizen's lookup token (its QR code), which follows the case and
    files the citizen's rating, so only the first receiver's intake seats print it — the window
    that hands it to the citizen, or reprints it when it is lost. Nobody else who reads the case
    gets the token (issue 12 item 2)."""
    return case.first_unit_id == member.unit_id and member.has_perm("case.register")


# Matters whose very words put the citizen at risk when a slip is found at home (反家庭暴力法;
# 信访工作条例 art. 30 for accusations): their receipt prints the code and the clocks, not the matter.
PRIVATE_MATTER_CATEGORIES = frozenset({"dispute.family.violence", "petition.accusation"})


def receipt_withholds_matter(case: Case) -> bool:
    """The receipt of a confidential kind (petitions, legal services, legal aid) or of a private
    matter (domestic violence, an accusation) leaves out the title and category: a husband who
    finds "称丈夫长期殴打" on a slip learns what his wife reported (issue 21 item 7)."""
    category = case.category.code if case.category_id else ""
    return case.kind in CONFIDENTIAL_KINDS or category in PRIVATE_MATTER_CATEGORIES


def unit_assignments(case: Case, unit_id: int, *, fresh: bool) -> list[Assignment]:
    """The unit's active assignments on the case: fresh from the database inside services, from
    the prefetched `case.assignments` on pages."""
    if fresh:
        return list(Assignment.objects.filter(case=case, unit_id=unit_id, state__in=Assignment.ACTIVE))
    return [a for a in case.assignments.all() if a.unit_id == unit_id and a.state in Assignment.ACTIVE]


def require_involved(member, case: Case, label: str) -> None:
    """403 unless the member may open cases and its unit is on this one: the first receiver, a
    seat over its area, or a unit with an active assignment — who may add to the case's file
    (attachments, issued documents)."""
    require_permission(member, "case.view")
    if not is_responsible(member, case) and not unit_assignments(case, member.unit_id, fresh=True):
        raise NotAllowed(f"本单位与该案件无关，不能{label}。", code="not_involved")


def require_own_lead(member, case: Case, label: str) -> None:
    """自办 (issue 14 part 1, 首接负责): the first unit may handle a matter itself only where the
    catalogue names a unit of its kind over the case's area as the lead — the one suggest_units
    picks; anything else goes to the centre's 待受理 queue for dispatch."""
    if case.first_unit_id != member.unit_id:
        raise NotAllowed(f"只有首接单位可以{label}。", code="not_first_unit")
    lead = catalogue.suggest_units(case.category, region_path=case.region_path)[0] if case.category else None
    if lead is None or lead.pk != member.unit_id:
        raise NotAllowed(
            f"派单目录未将本单位列为该类事项的主办单位，不能{label}，请交综治中心受理派单。", code="not_catalogue_lead"
        )


def authorize(member, case: Case, action: str, *, fresh: bool = True) -> Assignment | None:
    """Raise 403 for a role or unit that may not take `action`, 409 for an assignment in the
    wrong state; return the actor's assignment for the handling steps."""
    perm, relation = ACTION_RULES[action]
    require_permission(member, perm)
    label = timeline.label(action)
    if relation == "responsible":
        if not is_responsible(member, case):
            raise NotAllowed(
                f"本单位不是该案件的首接单位，案件也不在您的管辖范围内，不能{label}。", code="not_responsible"
            )
        return None
    if relation == "own_lead":
        require_own_lead(member, case, label)
        return None
    mine = unit_assignments(case, member.unit_id, fresh=fresh)
    if relation == "involved":
        if not mine and not is_responsible(member, case):
            raise NotAllowed(f"本单位与该案件无关，不能{label}。", code="not_involved")
        return mine[0] if mine else None
    if not mine:
        raise NotAllowed(f"本单位没有该案件的交办任务，不能{label}。", code="not_assigned")
    assignment = mine[0]
    if relation.startswith("lead_") and assignment.role != Assignment.Role.LEAD:
        raise NotAllowed(f"只有主办单位可以{label}。", code="not_lead")
    wanted = relation.removeprefix("lead_")
    state = Assignment.State.PENDING if wanted == "pending" else Assignment.State.SIGNED
    if assignment.state != state:
        raise Conflict(
            f"本单位的交办任务当前为“{assignment.get_state_display()}”，不能{label}。", code="wrong_assignment_state"
        )
    return assignment


def sources_for(action: str, assignment: Assignment | None) -> tuple[frozenset, str | None]:
    """The case states the action may start from and the state it leads to (support units
    sign and reply without moving the case)."""
    if assignment is not None and assignment.role == Assignment.Role.SUPPORT and action in Case.SUPPORT_TRANSITIONS:
        return Case.SUPPORT_TRANSITIONS[action]
    return Case.TRANSITIONS[action]


def allowed_actions(*, case: Case, member) -> list[str]:
    """The actions this member may take on this case now (pages show only these buttons).
    Reads the prefetched `case.assignments`. Raising the risk of a red case is not offered:
    there is nothing above red, and the service refuses it."""
    allowed = []
    for action in ACTIONS:
        if action == "raise_risk" and case.risk == "red":
            continue
        if action == "take" and case.state != Case.State.REGISTERED:
            continue  # its relation reads the catalogue: not asked on every later page view
        try:
            assignment = authorize(member, case, action, fresh=False)
        except DomainError:
            continue
        sources, _ = sources_for(action, assignment)
        if case.state in sources:
            allowed.append(action)
    return allowed


def may_reveal_party(member, case: Case, *, fresh: bool = True) -> bool:
    """The reveal roles (person.reveal) over a case they see, and a handling seat (case.sign) of
    a unit with an active assignment on it: who acts on a case may reach its parties."""
    if member.has_perm("person.reveal"):
        return True
    return member.has_perm("case.sign") and bool(unit_assignments(case, member.unit_id, fresh=fresh))


# 吹哨报到 (issue 14 part 5): who blows, rates and releases a whistle, and who reports arrival.


def is_whistler(member, case: Case, whistle=None) -> bool:
    """The summoner's side: the seat that blew this whistle, or a 政法委员 or dispatcher
    (`case.whistle`) responsible for the case."""
    if whistle is not None and whistle.summoned_by_id == member.pk:
        return True
    return member.has_perm("case.whistle") and is_responsible(member, case)


def require_whistler(member, case: Case, action: str, *, whistle=None) -> None:
    """403 unless the member is on the summoner's side: the role first, then the relation."""
    if whistle is None or whistle.summoned_by_id != member.pk:
        require_permission(member, "case.whistle")
    if not is_whistler(member, case, whistle):
        raise NotAllowed(f"案件不在您的管辖范围内，不能{timeline.label(action)}。", code="not_responsible")


def require_summoned(member, whistle):
    """403 unless the member's unit is summoned by this whistle; returns the unit's call."""
    require_permission(member, "case.view")
    call = whistle.calls.filter(unit_id=member.unit_id).select_related("unit").first()
    if call is None:
        raise NotAllowed("本单位不在这次吹哨的报到单位中，不能报到。", code="not_summoned")
    return call
