"""Duplicates and related cases at intake, worked out by hand: the same person, place or issue
within the window, only among the cases the member may see; a link shows on both cases."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yimen.cases.models import Case, TimelineEvent
from yimen.core.errors import Conflict, Invalid
from yimen.smart import selectors, services
from yimen.smart.models import CaseLink
from yimen.smart.tests.conftest import GRID, OTHER_GRID, register

pytestmark = pytest.mark.django_db
NOISE = "村口养猪场臭味熏人苍蝇很多"
ANON = [{"name": "李四", "role": "applicant"}]  # no phone: no "same person"


def found(member, **draft) -> dict[str, str]:
    return {d.case.code: d.reason for d in selectors.duplicates(member=member, **draft)}


def test_same_issue_in_the_same_village_within_the_window(seats):
    clerk = seats["clerk"]
    same = register(clerk, title="村口养猪场臭味熏人", description="苍蝇很多", region=GRID, parties=ANON)
    old = register(clerk, title="村口养猪场臭味熏人", region=GRID, parties=ANON)
    Case.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=120))
    elsewhere = register(clerk, title="村口养猪场臭味熏人", region=OTHER_GRID, parties=ANON)
    unrelated = register(clerk, title="邻居家狗咬伤小孩", region=GRID, parties=ANON)

    hits = found(clerk, title=NOISE, region="450324106200")  # the village, not a grid: no "same place"

    assert set(hits) == {same.code}
    assert hits[same.code].startswith("同一事项（用词相同")
    assert old.code not in hits and elsewhere.code not in hits and unrelated.code not in hits


def test_same_person_by_phone_and_same_place_come_from_the_desks_rule(seats):
    clerk = seats["clerk"]
    by_phone = register(clerk, title="其他事情", region=OTHER_GRID)  # applicant 13907730001
    at_place = register(clerk, title="路灯不亮", region=GRID, parties=ANON)
    hits = found(clerk, title="", region=GRID, phones=["139-0773-0001"])
    assert hits == {by_phone.code: "同一当事人", at_place.code: "同一地点"}


def test_cases_the_member_may_not_see_are_never_shown(seats):
    hidden = register(seats["police"], title="村口养猪场臭味熏人", region=GRID, parties=ANON)
    assert hidden.code not in found(seats["clerk"], title=NOISE, region=GRID)
    assert hidden.code in found(seats["police"], title=NOISE, region=GRID)


def test_a_link_shows_on_both_cases_with_one_event_each(seats):
    clerk = seats["clerk"]
    a = register(clerk, title="村口养猪场臭味熏人", region=GRID, parties=ANON)
    b = register(clerk, title="养猪场臭味", region=GRID, parties=ANON)

    services.case_link(case=b, other=a, actor=clerk, reason="同一养猪场")

    assert CaseLink.objects.count() == 1
    assert [c.code for c, _ in selectors.links_of(member=clerk, case=a)] == [b.code]
    assert [c.code for c, _ in selectors.links_of(member=clerk, case=b)] == [a.code]
    assert TimelineEvent.objects.filter(action="case_link", case__in=[a, b]).count() == 2
    with pytest.raises(Conflict):
        services.case_link(case=a, other=b, actor=clerk, reason="再关联一次")


def test_a_link_needs_a_reason_and_two_cases(seats):
    clerk = seats["clerk"]
    a = register(clerk, title="养猪场臭味", region=GRID, parties=ANON)
    with pytest.raises(Invalid):
        services.case_link(case=a, other=register(clerk, title="x", region=GRID, parties=ANON), actor=clerk, reason=" ")
    with pytest.raises(Invalid):
        services.case_link(case=a, other=a, actor=clerk, reason="自身")


def test_the_case_page_offers_the_link_in_one_click(client, seats):
    clerk = seats["clerk"]
    a = register(clerk, title="村口养猪场臭味熏人", region=GRID, parties=ANON)
    b = register(clerk, title="村口养猪场臭味熏人苍蝇多", region=GRID, parties=ANON)
    client.force_login(clerk.user)
    page = client.get(f"/cases/{b.code}/").content.decode()
    assert 'data-testid="possible-duplicates"' in page and a.code in page

    answer = client.post(f"/smart/cases/{b.code}/links/", {"other": a.code, "reason": "同一事项"})

    assert answer.status_code == 302
    assert 'data-testid="linked-cases"' in client.get(f"/cases/{a.code}/").content.decode()


def test_linking_to_a_case_one_may_not_see_is_not_found(client, seats):
    mine = register(seats["clerk"], title="养猪场臭味", region=GRID, parties=ANON)
    hidden = register(seats["police"], title="养猪场臭味", region=GRID, parties=ANON)
    client.force_login(seats["clerk"].user)
    answer = client.post(f"/smart/cases/{mine.code}/links/", {"other": hidden.code, "reason": "同一事项"})
    assert answer.status_code == 404 and not CaseLink.objects.exists()
