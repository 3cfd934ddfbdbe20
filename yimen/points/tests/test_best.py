"""最美农家 (issue 16 part 4): candidates from the year's ledger among consenting households, the
village vote recorded once, elected with more than half of those voting."""

import pytest
from django.utils import timezone

from yimen.points import services
from yimen.points.models import BestFamily

from .conftest import award

pytestmark = pytest.mark.django_db


def test_the_vote_is_recorded_on_candidates_only_and_elects_by_majority(client, seats, homes):
    award(seats, homes["wang"], rule="ind-cooperative")
    award(seats, homes["li"], rule="fam-school")
    services.consent_give(actor=seats["village"], household=homes["wang"])  # 李秀英 never consented
    year = str(timezone.localdate().year)
    client.force_login(seats["village"].user)
    page = client.get("/points/best/", {"year": year}).content.decode()
    candidates = page.split('data-testid="best-candidates"')[1]
    assert "王德明" in candidates and "李秀英" not in candidates
    vote = {"year": year, "household": str(homes["wang"].pk), "votes_for": "9", "voters": "7"}
    too_many = client.post("/points/best/vote/", vote, follow=True).content.decode()
    assert "赞成票不能多于参加投票人数。" in too_many and not BestFamily.objects.exists()
    outsider = client.post(
        "/points/best/vote/", {**vote, "household": str(homes["li"].pk), "votes_for": "5"}, follow=True
    )
    assert "该户不在本年度候选名单中" in outsider.content.decode()
    done = client.post("/points/best/vote/", {**vote, "votes_for": "5"}, follow=True).content.decode()
    assert "王德明：当选。" in done and BestFamily.objects.get().elected
    again = client.post("/points/best/vote/", {**vote, "votes_for": "1"}, follow=True).content.decode()
    assert "该户本年度的投票结果已登记。" in again and BestFamily.objects.get().votes_for == 5
    wide = client.post("/points/best/vote/", {**vote, "voters": "７"}, follow=True).content.decode()
    assert "票数须为整数。" in wide
    client.force_login(seats["gridworker"].user)
    assert client.post("/points/best/vote/", vote).status_code == 403
    assert client.get("/points/best/", {"year": "2O26"}).status_code == 422


def test_half_the_votes_is_not_a_majority(seats, homes):
    award(seats, homes["wang"], rule="ind-cooperative")
    services.consent_give(actor=seats["village"], household=homes["wang"])
    best = services.best_family_record(
        actor=seats["village"],
        village=homes["wang"].region.parent.parent,
        year=timezone.localdate().year,
        household=homes["wang"],
        votes_for=4,
        voters=8,
    )
    assert not best.elected and best.points == 10
