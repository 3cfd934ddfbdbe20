"""Merging two records of one person (issue 15 part 1): reveal roles only, with a purpose; both
histories stay reachable through the merged record's pointer; different ID numbers → 409."""

from yimen.core.crypto import blind_index, sm4_encrypt
from yimen.core.models import AuditEntry
from yimen.geo.models import Region
from yimen.people import tagging
from yimen.people.models import Household, Person, PoliceContact
from yimen.people.tests.samples import CAIWAN_MICROGRID
from yimen.people.tests.test_police import contact


def walk_in(name: str = "张三") -> Person:
    """A record without an ID number, as a walk-in typed at the window may leave one."""
    return Person.unscoped.create(
        name=name, gender="M", birth_date="1980-01-01", region=Region.objects.get(code=CAIWAN_MICROGRID)
    )


def test_dispatcher_merges_a_duplicate_and_both_histories_stay(api, signed_in, resident, persona, clerk):
    survivor = resident("张三", seq=21, phone="")
    duplicate = walk_in()
    duplicate.phone_cipher, duplicate.phone_index = sm4_encrypt("13900000000"), blind_index("13900000000")
    duplicate.phone_masked = "139****0000"
    duplicate.save()
    tagging.person_tag_add(actor=clerk, person=duplicate, tag="留守老人", reason="村委走访")
    contact(duplicate, persona("police"))
    body = {"version": duplicate.version, "into": survivor.pk, "purpose": "同一人重复登记，经核对身份证"}
    answer = api.post("dispatcher", f"/persons/{duplicate.pk}/merge", body)
    assert answer.status_code == 200, answer.json()
    assert answer.json()["id"] == survivor.pk and answer.json()["tags"] == ["留守老人"]
    assert answer.json()["phone_masked"] == "139****0000"
    duplicate.refresh_from_db()
    assert duplicate.status == "merged" and duplicate.merged_into_id == survivor.pk
    assert duplicate.tag_changes.count() == 1 and PoliceContact.objects.filter(person=duplicate).count() == 1
    survivor.refresh_from_db()
    assert survivor.police_contact_on is not None
    entry = AuditEntry.objects.get(action="person_merge")
    assert entry.purpose == "同一人重复登记，经核对身份证" and entry.target == f"person:{survivor.pk}"
    card = signed_in("dispatcher")
    assert "已合并至" in card.get(f"/persons/{duplicate.pk}/").content.decode()
    assert f"编号 {duplicate.pk}" in card.get(f"/persons/{survivor.pk}/").content.decode()
    again = api.post("dispatcher", f"/persons/{duplicate.pk}/merge", {**body, "version": duplicate.version})
    assert again.status_code == 409 and again.json()["code"] == "already_merged"


def test_merge_refusals(api, resident):
    one, other = resident("张三", seq=22), resident("张三", seq=23)
    body = {"version": one.version, "into": other.pk, "purpose": "疑似重复"}
    assert api.post("clerk", f"/persons/{one.pk}/merge", body).status_code == 403
    assert api.post("gridworker", f"/persons/{one.pk}/merge", body).status_code == 403
    differ = api.post("dispatcher", f"/persons/{one.pk}/merge", body)
    assert differ.status_code == 409 and differ.json()["code"] == "different_id_numbers"
    duplicate = walk_in()
    no_purpose = api.post("dispatcher", f"/persons/{duplicate.pk}/merge", {**body, "version": 1, "purpose": ""})
    assert no_purpose.status_code == 422 and "purpose" in no_purpose.json()["errors"]
    stale = api.post("dispatcher", f"/persons/{duplicate.pk}/merge", {**body, "version": 9})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    self_merge = api.post("dispatcher", f"/persons/{duplicate.pk}/merge", {**body, "version": 1, "into": duplicate.pk})
    assert self_merge.status_code == 422
    assert Person.unscoped.filter(status="merged").count() == 0


def test_merge_page_asks_why_and_takes_the_id_number(signed_in, resident):
    survivor = walk_in()
    duplicate = resident("张三", seq=24)
    client = signed_in("dispatcher")
    form = client.get(f"/persons/{duplicate.pk}/merge/")
    assert form.status_code == 200 and "确认合并" in form.content.decode()
    refused = client.post(f"/persons/{duplicate.pk}/merge/", {"version": duplicate.version, "survivor": survivor.pk})
    assert refused.status_code == 422 and "请说明事由。" in refused.content.decode()
    assert f'value="{survivor.pk}"' in refused.content.decode()
    done = client.post(
        f"/persons/{duplicate.pk}/merge/",
        {"version": duplicate.version, "survivor": survivor.pk, "purpose": "窗口重复登记"},
    )
    assert done.status_code == 302
    survivor.refresh_from_db()
    assert survivor.id_number_masked == duplicate.id_number_masked and survivor.id_number_index
    assert Household.objects.get(pk=duplicate.household_id).head_id == survivor.pk  # it heads the household now
    assert signed_in("clerk").get(f"/persons/{duplicate.pk}/merge/").status_code == 403
