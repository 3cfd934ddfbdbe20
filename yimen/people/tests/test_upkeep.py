"""API.md "Registry upkeep": create and edit persons and households, with their refusals."""

from datetime import date

from yimen.core.models import AuditEntry
from yimen.people.models import Household, Person
from yimen.people.tests.samples import CAIWAN_MICROGRID, XIAOTANG_MICROGRID, make_id_number

NEWCOMER = make_id_number(birth=date(1990, 5, 6), seq=41)


def new_household(api, who="clerk", micro=CAIWAN_MICROGRID, address="才湾村一组8号"):
    response = api.post(who, "/households", {"region": micro, "address": address})
    assert response.status_code == 201, response.json()
    return response.json()


def test_clerk_registers_a_household_and_a_newcomer(api):
    home = new_household(api)
    assert home["region"] == CAIWAN_MICROGRID and home["head"] is None and home["version"] == 1
    body = {
        "id_number": NEWCOMER,
        "name": "王小明",
        "household": home["id"],
        "relationship": "户主",
        "phone": "13912345678",
    }
    response = api.post("clerk", "/persons", body)
    assert response.status_code == 201, response.json()
    person = response.json()
    assert person["name"] == "王小明" and person["birth_year"] == 1990 and person["gender"] == "M"
    assert person["phone_masked"] == "139****5678" and person["id_number_masked"].endswith(NEWCOMER[-4:])
    assert NEWCOMER not in response.content.decode()
    assert api.get("clerk", f"/persons?q={NEWCOMER}").json()["count"] == 1
    assert Household.objects.get(pk=home["id"]).head_id == person["id"]
    assert AuditEntry.objects.filter(action="person_create", target=f"person:{person['id']}").exists()


def test_field_errors_are_chinese_and_per_field(api):
    home = new_household(api)
    bad = NEWCOMER[:-1] + ("0" if NEWCOMER[-1] != "0" else "1")
    response = api.post(
        "clerk", "/persons", {"id_number": bad, "name": "王小明", "household": home["id"], "phone": "12345"}
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "校验位" in errors["id_number"][0]
    response = api.post(
        "clerk", "/persons", {"id_number": NEWCOMER, "name": "", "household": home["id"], "phone": "12345"}
    )
    assert set(response.json()["errors"]) == {"name", "phone"}
    response = api.post(
        "clerk", "/persons", {"id_number": NEWCOMER, "name": "王", "gender": "F", "household": home["id"]}
    )
    assert "第 17 位" in response.json()["errors"]["gender"][0]
    assert not Person.unscoped.exists()


def test_duplicate_id_number_points_at_the_person_only_within_reach(api, resident):
    zhang = resident("张三", micro=CAIWAN_MICROGRID, seq=5)
    number = make_id_number(seq=5)
    home = new_household(api, "gridworker")
    response = api.post("gridworker", "/persons", {"id_number": number, "name": "张三", "household": home["id"]})
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_id_number"
    assert response.json()["errors"]["existing"] == [str(zhang.pk)]
    other = new_household(api, "gridworker2", micro=XIAOTANG_MICROGRID, address="小塘村3号")
    response = api.post("gridworker2", "/persons", {"id_number": number, "name": "张三", "household": other["id"]})
    assert response.status_code == 409
    assert response.json()["detail"] == "已登记" and "existing" not in response.json()["errors"]
    assert "张三" not in response.content.decode()


def test_idempotent_create_replays(api):
    home = new_household(api)
    body = {"id_number": NEWCOMER, "name": "王小明", "household": home["id"]}
    first = api.post("clerk", "/persons", body, key="k-1")
    again = api.post("clerk", "/persons", body, key="k-1")
    assert (first.status_code, again.status_code) == (201, 200), again.json()
    assert first.json()["id"] == again.json()["id"]
    assert Person.unscoped.count() == 1


def test_edit_with_version_and_stale_refused(api, resident):
    person = resident("张三", seq=7)
    response = api.patch("clerk", f"/persons/{person.pk}", {"version": person.version, "address": "新址1号"})
    assert response.status_code == 200, response.json()
    assert response.json()["address"] == "新址1号" and response.json()["version"] == person.version + 1
    stale = api.patch("clerk", f"/persons/{person.pk}", {"version": person.version, "address": "又一址"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    assert Person.unscoped.get(pk=person.pk).address == "新址1号"


def test_correcting_the_id_number_fixes_the_birth_date(api, resident):
    person = resident("张三", seq=8)
    fixed = make_id_number(birth=date(1981, 2, 3), seq=8)
    response = api.patch("clerk", f"/persons/{person.pk}", {"version": person.version, "id_number": fixed})
    assert response.status_code == 200, response.json()
    assert response.json()["birth_year"] == 1981
    taken = resident("李四", seq=9)
    clash = api.patch("clerk", f"/persons/{taken.pk}", {"version": taken.version, "id_number": fixed})
    assert clash.status_code == 409 and clash.json()["code"] == "duplicate_id_number"


def test_move_between_households_and_set_the_head(api, resident):
    mover = resident("张三", seq=10)
    old_home = mover.household
    home = new_household(api, address="才湾村二组2号")
    moved = api.patch(
        "clerk", f"/persons/{mover.pk}", {"version": mover.version, "household": home["id"], "relationship": "子"}
    )
    assert moved.status_code == 200 and moved.json()["household"]["id"] == home["id"]
    old_home.refresh_from_db()
    assert old_home.head_id is None
    response = api.patch("clerk", f"/households/{home['id']}", {"version": home["version"], "head": mover.pk})
    assert response.status_code == 200, response.json()
    assert response.json()["head"] == mover.pk
    stranger = resident("李四", seq=11)
    response = api.patch(
        "clerk", f"/households/{home['id']}", {"version": response.json()["version"], "head": stranger.pk}
    )
    assert response.status_code == 422 and "本户成员" in response.json()["errors"]["head"][0]


def test_household_edit_stale_and_duplicates(api):
    home = new_household(api)
    ok = api.patch("clerk", f"/households/{home['id']}", {"version": 1, "address": "才湾村一组9号"})
    assert ok.status_code == 200 and ok.json()["address"] == "才湾村一组9号"
    stale = api.patch("clerk", f"/households/{home['id']}", {"version": 1, "address": "x"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    twice = api.post("clerk", "/households", {"region": CAIWAN_MICROGRID, "address": "才湾村一组9号"})
    assert twice.status_code == 409
    numbered = api.post("clerk", "/households", {"region": CAIWAN_MICROGRID, "address": "甲", "number": "H1"})
    assert numbered.status_code == 201
    again = api.post("clerk", "/households", {"region": CAIWAN_MICROGRID, "address": "乙", "number": "H1"})
    assert again.status_code == 409 and again.json()["errors"]["number"] == ["该户号已登记。"]


def test_other_village_is_404_and_out_of_reach_region_is_a_field_error(api, resident):
    person = resident("张三", seq=12)
    response = api.patch("gridworker2", f"/persons/{person.pk}", {"version": 1, "address": "x"})
    assert response.status_code == 404
    response = api.patch("gridworker2", f"/households/{person.household_id}", {"version": 1, "address": "x"})
    assert response.status_code == 404
    response = api.post("gridworker2", "/households", {"region": CAIWAN_MICROGRID, "address": "才湾村1号"})
    assert response.status_code == 422 and "region" in response.json()["errors"]


def test_roles_without_registry_rights_are_refused(api, resident):
    person = resident("张三", seq=13)
    for who in ("leader", "mediator"):
        response = api.post(who, "/households", {"region": CAIWAN_MICROGRID, "address": "才湾村5号"})
        assert response.status_code == 403, (who, response.json())
        response = api.post(who, "/persons", {"id_number": make_id_number(seq=13), "name": "张三"})
        assert response.status_code == 403, (who, response.json())
        assert "张三" not in response.content.decode()
    assert Person.unscoped.get(pk=person.pk).version == person.version


def test_marking_deceased_needs_reveal_and_a_purpose_and_keeps_the_record(api, resident, client):
    person = resident("张三", seq=14)
    assert api.get("police", "/regions/450324106/summary").json()["persons"] == 1
    body = {"version": person.version, "status": "deceased", "purpose": ""}
    assert api.post("gridworker", f"/persons/{person.pk}/left", body).status_code == 403
    refused = api.post("police", f"/persons/{person.pk}/left", body)
    assert refused.status_code == 422 and "purpose" in refused.json()["errors"]
    via_patch = api.patch("clerk", f"/persons/{person.pk}", {"version": person.version, "status": "deceased"})
    assert via_patch.status_code == 422 and "status" in via_patch.json()["errors"]
    done = api.post("police", f"/persons/{person.pk}/left", {**body, "purpose": "家属报告，村委核实"})
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "deceased"
    assert api.get("police", f"/persons/{person.pk}").status_code == 200  # kept
    assert Household.objects.get(pk=person.household_id).head_id is None
    entry = AuditEntry.objects.get(action="person_left")
    assert entry.purpose == "家属报告，村委核实"
    summary = api.get("police", "/regions/450324106/summary").json()
    assert summary["persons"] == 0
