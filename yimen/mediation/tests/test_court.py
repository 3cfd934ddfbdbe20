"""The court acts itself (issue 14 part 10, 人民调解法 art. 33): the mediating unit applies for
司法确认; the court's own handler accepts, extends and decides it. The mediating side alone can
never mark an agreement confirmed (403 in Chinese), and no other court can either."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import MembershipFactory, UnitFactory
from yimen.cases.models import TimelineEvent
from yimen.cases.tests.test_api import bearer
from yimen.core.errors import NotAllowed
from yimen.mediation import services
from yimen.mediation.models import CourtConfirmation
from yimen.org.roles import Role

from .conftest import AGREEMENT, version
from .test_api import session_body

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def applied(client, seats, case, roster):
    """The judicial office mediates to a written agreement and applies to the town's court."""
    url = f"/api/v1/cases/{case.code}/mediation"
    judicial = bearer(seats["judicial"])
    for path, body in (
        ("sessions", session_body(roster)),
        ("agreement", {**AGREEMENT, "performance_due": str(timezone.localdate())}),
        ("court-confirmation", {"applied_on": str(timezone.localdate())}),
    ):
        answer = client.post(f"{url}/{path}", {**body, "version": version(case)}, "application/json", headers=judicial)
        assert answer.status_code == 201, answer.json()
    return url


def court_step(client, member, url: str, path: str, case, **body):
    return client.post(
        f"{url}/court-confirmation/{path}",
        {**body, "version": version(case)},
        "application/json",
        headers=bearer(member),
    )


def test_the_court_records_its_own_steps(client, seats, case, roster):
    url = applied(client, seats, case, roster)
    today = str(timezone.localdate())
    court = seats["court"]
    assert client.get(f"/api/v1/cases/{case.code}", headers=bearer(court)).status_code == 200
    assert court_step(client, court, url, "accept", case, accepted_on=today).json()["state"] == "accepted"
    assert court_step(client, court, url, "extend", case, reason="需通知当事人补充材料").json()["extended"] is True
    decided = court_step(client, court, url, "decision", case, confirmed=True, decided_on=today)
    assert decided.status_code == 200 and decided.json()["state"] == "confirmed"
    steps = TimelineEvent.objects.filter(case=case, action__in=("court_accept", "court_extend", "court_decision"))
    assert {event.unit_id for event in steps} == {court.unit_id} and steps.count() == 3


@pytest.mark.parametrize("path, body", [("accept", {}), ("decision", {"confirmed": True})])
def test_the_mediating_unit_can_never_record_the_courts_steps(client, seats, case, roster, path, body):
    url = applied(client, seats, case, roster)
    today = str(timezone.localdate())
    dated = {**body, ("accepted_on" if path == "accept" else "decided_on"): today}
    before = version(case)
    refused = court_step(client, seats["judicial"], url, path, case, **dated)
    assert refused.status_code == 403 and refused.json()["code"] == "court_only"
    assert "调解一方不能代为办理" in refused.json()["detail"]
    assert version(case) == before and CourtConfirmation.objects.get().state == "applied"


def test_the_mediating_unit_cannot_confirm_even_after_the_court_accepted(seats, case, client, roster):
    url = applied(client, seats, case, roster)
    court_step(client, seats["court"], url, "accept", case, accepted_on=str(timezone.localdate()))
    for actor in (seats["judicial"], seats["dispatcher"], seats["mediator"]):
        with pytest.raises(NotAllowed):
            services.court_confirmation_decide(
                case=case, actor=actor, version=version(case), confirmed=True, decided_on=timezone.localdate()
            )
    assert CourtConfirmation.objects.get().state == "accepted"


def test_another_court_neither_sees_nor_acts(client, seats, case, roster):
    url = applied(client, seats, case, roster)
    elsewhere = UnitFactory(code="450324-court", kind="court", region=seats["court"].unit.region, name="另一法庭")
    judge = MembershipFactory(
        user__username="judge2", unit=elsewhere, role=Role.HANDLER, jurisdiction=seats["court"].jurisdiction
    )
    hidden = court_step(client, judge, url, "accept", case, accepted_on=str(timezone.localdate()))
    assert hidden.status_code == 404  # not sent to it: as good as absent
    with pytest.raises(NotAllowed) as refused:
        services.court_confirmation_accept(
            case=case, actor=judge, version=version(case), accepted_on=timezone.localdate()
        )
    assert refused.value.code == "not_the_court" and "只有" in refused.value.message


def test_the_court_sees_the_case_only_once_applied(client, seats, case):
    answer = client.get(f"/api/v1/cases/{case.code}", headers=bearer(seats["court"]))
    assert answer.status_code == 404


def test_the_panel_shows_the_courts_buttons_to_the_court_only(client, seats, case, roster):
    applied(client, seats, case, roster)
    detail = reverse("cases:detail", args=[case.code])
    client.force_login(seats["judicial"].user)
    page = client.get(detail).content.decode()
    assert 'data-testid="confirmation"' in page and 'data-step="accept"' not in page
    accept = reverse("mediation:step", args=[case.code, "accept"])
    assert client.post(accept, {"accepted_on": str(timezone.localdate()), "version": version(case)}).status_code == 403
    client.force_login(seats["court"].user)
    page = client.get(detail).content.decode()
    assert 'data-step="accept"' in page and 'data-step="performance"' not in page and 'data-step="apply"' not in page
    done = client.post(accept, {"accepted_on": str(timezone.localdate()), "version": version(case)}, headers=HTMX)
    assert done.status_code == 204 and CourtConfirmation.objects.get().state == "accepted"
    page = client.get(detail).content.decode()
    assert 'data-step="decision"' in page and 'data-step="court-extend"' in page


def test_the_courts_home_lists_what_waits_on_it(client, seats, case, roster, django_assert_max_num_queries):
    applied(client, seats, case, roster)
    client.force_login(seats["court"].user)
    with django_assert_max_num_queries(15):  # the handler's day (its open whistles too) and one for the court's list
        html = client.get("/").content.decode()
    waiting = html[html.index('data-testid="day-court"') :]
    assert case.code in waiting and "前决定是否受理" in waiting
    client.force_login(seats["judicial"].user)
    assert 'data-testid="day-court"' not in client.get("/").content.decode()
