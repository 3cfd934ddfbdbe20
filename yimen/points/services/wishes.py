"""微心愿 (issue 16 part 5, 清水坪镇 seed: "重点关注群众'微心愿'")."""

from django.db import transaction

from yimen.cases import services as cases
from yimen.core.errors import Conflict, Invalid
from yimen.org.models import Membership
from yimen.people.models import Household
from yimen.points.models import Wish
from yimen.points.services._base import log, village_of


@transaction.atomic
def wish_record(*, actor: Membership, household: Household, text: str) -> Wish:
    """A grid worker records a resident's micro-wish in their own area."""
    if not text.strip():
        raise Invalid("请写明心愿内容。", errors={"text": ["此项为必填项。"]})
    wish = Wish.objects.create(household=household, village=village_of(household), text=text.strip(), recorded_by=actor)
    log(actor, "points.wish", f"household:{household.pk}", wish=wish.pk)
    return wish


@transaction.atomic
def wish_close(*, actor: Membership, wish: Wish, state: str, outcome: str) -> Wish:
    """Close an open wish: fulfilled (what was done) or declined — a grave step, so with a reason."""
    wish = Wish.objects.select_for_update().get(pk=wish.pk)
    if wish.state != Wish.State.OPEN:
        raise Conflict(f"该心愿已办结（{wish.get_state_display()}），不能再处理。", code="already_closed")
    if state not in (Wish.State.FULFILLED, Wish.State.DECLINED):
        raise Invalid("结果不正确。", errors={"state": ["须为已实现或不予办理。"]})
    if not outcome.strip():
        raise Invalid("请写明结果或不予办理的理由。", errors={"outcome": ["此项为必填项。"]})
    wish.state, wish.outcome = state, outcome.strip()
    wish.save(update_fields=["state", "outcome"])
    log(actor, "points.wish_close", f"household:{wish.household_id}", wish=wish.pk, state=state)
    return wish


@transaction.atomic
def wish_to_case(*, actor: Membership, wish: Wish) -> Wish:
    """A wish the village cannot meet itself becomes a case (求助/建议, reported through the grid)
    registered by the actor's unit as its first receiver, so it gets one code and lawful
    deadlines; the wish keeps the code (issue 16 part 5)."""
    wish = Wish.objects.select_for_update().select_related("household__head", "household__region").get(pk=wish.pk)
    if wish.state != Wish.State.OPEN:
        raise Conflict(f"该心愿已办结（{wish.get_state_display()}），不能再处理。", code="already_closed")
    head = wish.household.head
    registered = cases.case_register(
        actor=actor,
        kind="appeal",
        channel="grid",
        title=f"微心愿：{wish.text[:60]}",
        description=f"{wish.text}（网格员走访时记录的群众微心愿，村民议事未能解决，转为案件办理。）",
        region=wish.household.region.code,
        parties=[{"name": head.name, "role": "applicant"}] if head else [],
    ).case
    wish.state, wish.case_code, wish.outcome = Wish.State.CASE, registered.code, f"已转为案件 {registered.code}"
    wish.save(update_fields=["state", "case_code", "outcome"])
    log(actor, "points.wish_case", f"household:{wish.household_id}", wish=wish.pk, case=registered.code)
    return wish
