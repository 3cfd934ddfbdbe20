"""Accusation material never reaches the accused (信访工作条例 arts. 30, 46): not the accused unit,
not the accused person's own account — in no list, page, search, API path, document download,
timeline, notice or petition register — for every role; and the public lookup carries no
personal data."""

import pytest

from conftest import PERSONAS
from yimen.cases import selectors
from yimen.cases.models import Case
from yimen.cases.tests.conftest import COURT, POLICE
from yimen.cases.tests.test_api import bearer
from yimen.petitions.tests.conftest import PETITION, act, notice, petition

TITLE = "检举派出所民警及中心领导违规收取征地协调费"
# Who sees the accusation: the petition office (first receiver and lead), the court (support),
# the centre's dispatcher, supervisor and 政法委员 (confidential view). Not the accused police station,
# not the accused leader's own account, nor anyone without a relation to it.
SEES = {"petition", "court", "dispatcher", "supervisor", "zhengfa"}


@pytest.fixture
def accusation(seats):
    case = petition(
        seats,
        petition_type="accusation",
        category="petition.accusation",
        title=TITLE,
        group_size=None,
        description="举报人称派出所民警与中心领导向村民收取所谓协调费。",
        parties=[
            {"name": "蒋光荣", "role": "applicant", "phone": "13907731001"},
            {"name": "某民警", "role": "accused"},
        ],
        accused_units=[POLICE],
        accused_users=["leader"],
    )
    case = act("accept", case, seats["dispatcher"])
    notice(case, seats["petition"])
    case = act("dispatch", case, seats["dispatcher"], lead_unit=PETITION, support_units=[COURT])
    return act("urge", case, seats["supervisor"])  # a notice to the lead unit and the leaders


def test_scoping_by_role(seats, accusation):
    for role in PERSONAS:
        seen = Case.objects.visible_to(seats[role]).filter(pk=accusation.pk).exists()
        assert seen == (role in SEES), role


def test_the_accused_leader_sees_it_in_no_page(client, seats, accusation):
    client.force_login(seats["leader"].user)
    code = accusation.code
    for url in (
        "/cases/?tab=all",
        f"/cases/?tab=all&q={code}",
        "/cases/?tab=all&q=协调费",
        "/cases/supervision/",
        "/petitions/",
        "/petitions/?q=协调费",
        "/",
    ):
        answer = client.get(url)
        assert answer.status_code == 200, url
        body = answer.content.decode()
        assert f'data-code="{code}"' not in body and TITLE not in body and f"/cases/{code}/" not in body, url
    for url in (
        f"/cases/{code}/",
        f"/cases/{code}/receipt/",
        f"/cases/{code}/documents/acceptance_notice/?format=pdf",
        f"/petitions/{code}/opinion/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/petitions/{code}/notice/", {"version": 1}).status_code == 404


@pytest.mark.parametrize("role", ["leader", "police"])
def test_the_accused_see_it_in_no_api_path(client, seats, accusation, role):
    headers = bearer(seats[role])
    code = accusation.code
    for url in ("/api/v1/cases", f"/api/v1/cases?q={code}", "/api/v1/cases?q=协调费&kind=petition"):
        items = client.get(url, headers=headers).json()["items"]
        assert code not in {i["code"] for i in items}, url
    for path in ("", "/timeline", "/documents", "/documents/receipt", "/documents/acceptance_notice", "/petition"):
        assert client.get(f"/api/v1/cases/{code}{path}", headers=headers).status_code == 404, path
    answer = client.post(f"/api/v1/cases/{code}/petition/notice", {"version": 1}, "application/json", headers=headers)
    assert answer.status_code == 404
    if role == "leader":
        listed = client.get("/api/v1/petitions", headers=headers).json()
        assert code not in {i["code"] for i in listed["items"]} and listed["count"] == 0


def test_no_notice_reaches_the_accused(seats, accusation):
    assert not selectors.notifications_for(member=seats["leader"]).filter(case=accusation).exists()
    assert not selectors.notifications_for(member=seats["police"]).filter(case=accusation).exists()
    assert selectors.notifications_for(member=seats["petition"]).filter(case=accusation).exists()


def test_no_inbox_bucket_or_board_of_the_accused_holds_it(seats, accusation):
    for role in ("leader", "police"):
        member = seats[role]
        assert not any(
            selectors.unit_inbox(member=member, bucket=bucket).filter(case=accusation).exists()
            for bucket in selectors.INBOX_BUCKETS
        )
        assert not selectors.supervision_board(member=member).filter(pk=accusation.pk).exists()


def test_those_who_handle_it_do_see_it(client, seats, accusation):
    for role in sorted(SEES):
        client.force_login(seats[role].user)
        assert client.get(f"/cases/{accusation.code}/").status_code == 200, role
        headers = bearer(seats[role])
        assert client.get(f"/api/v1/cases/{accusation.code}/petition", headers=headers).status_code == 200, role


def test_public_lookup_carries_no_personal_data(client, seats, accusation):
    answer = client.get(f"/api/v1/public/cases/{accusation.public_token}")
    text = answer.content.decode()
    assert answer.status_code == 200
    for secret in ("蒋光荣", "某民警", "13907731001", "139****1001", "协调费", "leader", "派出所"):
        assert secret not in text, secret
    page = client.get(f"/public/cases/{accusation.public_token}/").content.decode()
    for secret in ("蒋光荣", "某民警", "139****1001", "协调费"):
        assert secret not in page, secret


def test_the_accused_cannot_register_it_or_be_its_clerk(seats):
    from yimen.core.errors import Invalid

    with pytest.raises(Invalid) as refused:
        petition(
            seats,
            actor="dispatcher",
            petition_type="accusation",
            category="petition.accusation",
            accused_users=["dispatcher"],
        )
    assert "须回避" in refused.value.errors["accused_users"][0]
