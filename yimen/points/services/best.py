"""最美农家 (issue 16 part 4; 清水坪镇 seed: "最美农家评选"): chosen from the year's ledger by a
village vote, the count recorded."""

from django.db import IntegrityError, transaction

from yimen.core.errors import Conflict, Invalid
from yimen.geo.models import Region
from yimen.org.models import Membership
from yimen.people.models import Household
from yimen.points import selectors
from yimen.points.models import BestFamily
from yimen.points.services._base import log


@transaction.atomic
def best_family_record(
    *, actor: Membership, village: Region, year: int, household: Household, votes_for: int, voters: int
) -> BestFamily:
    """Record the vote on one candidate. Candidates are the year's top households on the red
    board (so only those who consented to be named); the vote elects with more than half of
    those voting (村民委员会组织法 art. 22)."""
    if voters < 1:
        raise Invalid("请填写参加投票人数。", errors={"voters": ["参加投票人数至少为 1。"]})
    if not 0 <= votes_for <= voters:
        raise Invalid("赞成票不能多于参加投票人数。", errors={"votes_for": ["赞成票须在 0 与投票人数之间。"]})
    candidates = {row["household"]: row["points"] for row in selectors.best_candidates(village, year)}
    if household.pk not in candidates:
        raise Invalid(
            "该户不在本年度候选名单中（候选户须积分靠前且同意公示）。", errors={"household": ["不是候选户。"]}
        )
    try:
        with transaction.atomic():
            best = BestFamily.objects.create(
                village=village,
                year=year,
                household=household,
                points=candidates[household.pk],
                votes_for=votes_for,
                voters=voters,
                recorded_by=actor,
            )
    except IntegrityError:
        raise Conflict("该户本年度的投票结果已登记。", code="already_recorded") from None
    log(actor, "points.best", f"household:{household.pk}", year=year, votes_for=votes_for, voters=voters)
    return best
