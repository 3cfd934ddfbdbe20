"""Issue 12 items 1 and 2, black-box: a member sees what its unit holds only within the member's
own jurisdiction, the confidential kinds only in the seats that may (DESIGN §8); and no staff
answer but the receipt the first receiver prints carries the citizen's public token."""

import io

import pytest
from openpyxl import load_workbook

from conftest import PERSONAS
from tests.factories import MembershipFactory, RegionFactory
from yimen.cases.selectors import CaseFilters
from yimen.cases.tests.conftest import GRID, JUDICIAL, PETITION, VILLAGE, act, case_in, register
from yimen.cases.tests.test_api import bearer, body, pdf_text, post_case
from yimen.geo.models import Region
from yimen.insight.services.exports import cases_export
from yimen.org.roles import Role

GRID_B = "45032410620002"  # 才湾村第二网格: the same village committee as GRID


@pytest.fixture
def grid_b_worker(seats):
    """A grid worker of 才湾村's village committee (like `gridworker`) whose grid is grid B."""
    village = Region.objects.get(code="450324106200")
    grid = RegionFactory(code=GRID_B, name="才湾村第二网格", level=Region.Level.GRID, parent=village)
    return MembershipFactory(
        user__username="gridworker_b", unit=seats["gridworker"].unit, role=Role.GRID_WORKER, jurisdiction=grid
    )


def pending_count(page) -> int:
    """The 待签收 tab's count as the inbox page shows it."""
    return {key: shown for key, _, shown in page.context["tabs"]}["pending"]


def api_sees(client, member, code: str) -> bool:
    """Whether the member finds the case by every API read: its page, the list, and a search."""
    headers = bearer(member)
    detail = client.get(f"/api/v1/cases/{code}", headers=headers).status_code
    listed = {i["code"] for i in client.get("/api/v1/cases", headers=headers).json()["items"]}
    searched = {i["code"] for i in client.get(f"/api/v1/cases?q={code}", headers=headers).json()["items"]}
    assert (detail == 200) == (code in listed) == (code in searched), (detail, listed, searched)
    return detail == 200


def page_sees(client, member, code: str) -> bool:
    """Whether the member finds the case on the case page and in the list page's search."""
    client.force_login(member.user)
    detail = client.get(f"/cases/{code}/").status_code
    listed = f'data-code="{code}"' in client.get("/cases/", {"tab": "all", "q": code}).content.decode()
    assert detail in (200, 404) and (detail == 200) == listed, (detail, listed)
    return detail == 200


def test_a_grid_worker_does_not_see_another_grids_case_their_village_received(client, seats, grid_b_worker):
    hazard = register(grid_b_worker, kind="hazard", title="二网格河塘无护栏", region=GRID_B, parties=[])
    assert hazard.first_unit.code == VILLAGE == seats["gridworker"].unit.code
    assert not api_sees(client, seats["gridworker"], hazard.code)
    assert not page_sees(client, seats["gridworker"], hazard.code)
    for who in (grid_b_worker, seats["gridchief"], seats["dispatcher"]):
        assert api_sees(client, who, hazard.code) and page_sees(client, who, hazard.code), who


def test_a_village_assignment_in_another_grid_reaches_neither_inbox_nor_notices(client, seats, grid_b_worker):
    hazard = register(grid_b_worker, kind="hazard", title="二网格危房", region=GRID_B, parties=[])
    act("accept", hazard, seats["dispatcher"])
    act("dispatch", hazard, seats["dispatcher"], lead_unit=VILLAGE)
    act("urge", hazard, seats["supervisor"], note="请村委会尽快签收")
    inboxes = {}
    for name, member in (("grid A", seats["gridworker"]), ("grid B", grid_b_worker), ("chief", seats["gridchief"])):
        client.force_login(member.user)
        page = client.get("/cases/", {"tab": "pending"})
        inboxes[name] = (
            pending_count(page),
            hazard.code in page.content.decode(),
            [n.case.code for n in page.context["notices"]],
        )
    assert inboxes["grid A"] == (0, False, [])
    assert inboxes["grid B"] == inboxes["chief"] == (1, True, [hazard.code])


def test_confidential_kinds_only_for_the_seats_that_handle_them(client, seats, grid_b_worker):
    neighbour = MembershipFactory(
        user__username="gridworker_a2",
        unit=seats["gridworker"].unit,
        role=Role.GRID_WORKER,
        jurisdiction=Region.objects.get(code=GRID),
    )
    # A grid worker of grid A takes down a petition in grid A: the village committee received it.
    letter = register(
        seats["gridworker"],
        kind="petition",
        title="反映低保评定不公",
        parties=[{"name": "唐建国", "role": "applicant"}],
    )
    assert letter.first_unit.code == VILLAGE
    assert not api_sees(client, neighbour, letter.code) and not page_sees(client, neighbour, letter.code)
    assert not api_sees(client, grid_b_worker, letter.code)
    assert api_sees(client, seats["gridworker"], letter.code)  # who wrote it down keeps it
    assert api_sees(client, seats["gridchief"], letter.code)  # the village's acting seat
    assert not api_sees(client, seats["petition"], letter.code)  # not the petition office's yet
    act("accept", letter, seats["dispatcher"])
    act("dispatch", letter, seats["dispatcher"], lead_unit=PETITION)
    assert api_sees(client, seats["petition"], letter.code) and page_sees(client, seats["petition"], letter.code)
    assert not api_sees(client, neighbour, letter.code)

    # Legal aid, even dispatched to the village committee: only the judicial office and the centre
    # see the file (issue 18, yimen.legal's exclusion) — never the committee or its grid workers.
    aid = register(seats["clerk"], kind="legal_aid", title="申请法律援助（劳务费）")
    act("accept", aid, seats["dispatcher"])
    act("dispatch", aid, seats["dispatcher"], lead_unit=VILLAGE, support_units=[JUDICIAL])
    for who in ("judicial", "clerk", "dispatcher", "leader"):
        assert api_sees(client, seats[who], aid.code) and page_sees(client, seats[who], aid.code), who
    for who in ("gridchief", "village", "gridworker", "police", "petition"):
        assert not api_sees(client, seats[who], aid.code) and not page_sees(client, seats[who], aid.code), who
    client.force_login(seats["gridworker"].user)
    inbox = client.get("/cases/", {"tab": "pending"})
    assert pending_count(inbox) == 0 and aid.code not in inbox.content.decode()


# ---------------------------------------------------------------------------------------------
# The public token


def test_no_staff_answer_carries_the_public_token(client, seats):
    case = case_in("dispatched", seats)  # the centre received it; police lead, judicial support
    token = case.public_token
    seeing = set()
    for role in PERSONAS:
        member = seats[role]
        headers = bearer(member)
        answers = [client.get(f"/api/v1/cases{path}", headers=headers) for path in ("", f"/{case.code}")]
        answers += [
            client.get(f"/api/v1/cases/{case.code}/{path}", headers=headers) for path in ("timeline", "documents")
        ]
        client.force_login(member.user)
        answers += [client.get(f"/cases/{case.code}/"), client.get("/cases/", {"tab": "all"}), client.get("/")]
        for answer in answers:
            assert token not in answer.content.decode(), (role, answer.request["PATH_INFO"])
        if answers[1].status_code == 200:
            seeing.add(role)
    assert seeing == {
        "clerk",
        "dispatcher",
        "supervisor",
        "leader",
        "zhengfa",
        "gridchief",
        "police",
        "kuaijing",
        "judicial",
    }
    signed = client.post(
        f"/api/v1/cases/{case.code}/actions/sign",
        {"version": case.version},
        "application/json",
        headers=bearer(seats["police"]),
    )
    assert signed.status_code == 200 and token not in signed.content.decode()
    export = cases_export(actor=seats["dispatcher"], purpose="月度统计", filters=CaseFilters())
    cells = {
        str(c) for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True) for c in row
    }
    assert case.code in cells and not any(token in c for c in cells)


def test_only_the_first_receiver_prints_the_receipt_with_the_token(client, seats):
    case = case_in("dispatched", seats)
    lookup = f"/public/cases/{case.public_token}/".encode()
    for role in ("clerk", "dispatcher"):  # the centre's intake seats
        headers = bearer(seats[role])
        assert "receipt" in {
            d["kind"] for d in client.get(f"/api/v1/cases/{case.code}/documents", headers=headers).json()
        }
        pdf = client.get(f"/api/v1/cases/{case.code}/documents/receipt", headers=headers)
        assert pdf.status_code == 200 and lookup in pdf_text(pdf.content), role
        client.force_login(seats[role].user)
        assert lookup in pdf_text(client.get(f"/cases/{case.code}/receipt/").content), role
        assert 'data-testid="receipt"' in client.get(f"/cases/{case.code}/").content.decode()
    for role in ("supervisor", "leader", "police", "judicial", "gridchief"):  # they read the case, not the token
        headers = bearer(seats[role])
        assert client.get(f"/api/v1/cases/{case.code}", headers=headers).status_code == 200, role
        assert "receipt" not in {
            d["kind"] for d in client.get(f"/api/v1/cases/{case.code}/documents", headers=headers).json()
        }
        assert client.get(f"/api/v1/cases/{case.code}/documents/receipt", headers=headers).status_code == 404, role
        client.force_login(seats[role].user)
        assert client.get(f"/cases/{case.code}/receipt/").status_code == 404, role
        assert 'data-testid="receipt"' not in client.get(f"/cases/{case.code}/").content.decode(), role


def test_the_registration_answer_carries_the_token_for_the_receipt(client, seats):
    first = post_case(client, seats["clerk"], body(), key="scope-receipt-1")
    again = post_case(client, seats["clerk"], body(), key="scope-receipt-1")
    assert first.status_code == 201 and first.json() == again.json()
    code, token = first.json()["code"], first.json()["public_token"]
    assert client.get(f"/api/v1/public/cases/{token}").json()["code"] == code
    assert "public_token" not in client.get(f"/api/v1/cases/{code}", headers=bearer(seats["clerk"])).json()


def test_the_registering_grid_worker_gets_the_petitions_answer_and_receipt(client, seats):
    answer = post_case(client, seats["gridworker"], body(kind="petition", title="反映修路占地补偿"))
    assert answer.status_code == 201 and answer.json()["public_token"]
    code = answer.json()["code"]
    receipt = client.get(f"/api/v1/cases/{code}/documents/receipt", headers=bearer(seats["gridworker"]))
    assert receipt.status_code == 200 and answer.json()["public_token"].encode() in pdf_text(receipt.content)
    for other in ("gridworker2", "police", "petition"):  # none of them holds it
        assert client.get(f"/api/v1/cases/{code}", headers=bearer(seats[other])).status_code == 404, other
