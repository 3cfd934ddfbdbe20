"""API.md "Persons": the list and search, the masked card, errors, scoping and query cost."""

import pytest

from yimen.people.tests.samples import XIAOTANG_MICROGRID, make_id_number

ITEM_KEYS = {"id", "name", "gender", "birth_year", "household", "region", "id_number_masked", "phone_masked", "tags"}


def test_list_item_shape(api, resident):
    person = resident("张三", tags=["留守老人"])
    body = api.get("police", "/persons?q=张三").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert set(item) == ITEM_KEYS
    assert item == {
        "id": person.pk,
        "name": "张三",
        "gender": "M",
        "birth_year": 1980,
        "household": {"id": person.household_id, "address": person.household.address},
        "region": {"code": "4503241062000101", "name": "才湾村第一微网格"},
        "id_number_masked": "450324********" + make_id_number()[-4:],
        "phone_masked": "138****0123",
        "tags": ["留守老人"],
    }


def test_search_by_two_characters_full_id_and_full_phone(api, resident):
    zhang = resident("张三", seq=1)
    resident("张三丰", seq=2)
    resident("李张三", seq=3, phone="13900000003")

    def names(q):
        return sorted(item["name"] for item in api.get("dispatcher", f"/persons?q={q}").json()["items"])

    assert names("张三") == ["张三", "张三丰"]  # two characters: exact or prefix
    assert names("张") == ["张三", "张三丰"]
    assert names("张三丰") == ["张三丰"]
    assert names("李张三") == ["李张三"]
    assert names("张三丰丰") == []
    assert names("三丰") == []  # two characters match from the start only (an index range, no scan)
    assert names(make_id_number(seq=1)) == ["张三"]
    assert names("13800000001") == ["张三"]
    assert names("+86%20139-0000-0003") == ["李张三"]
    assert names("0086%20139%200000%200003") == ["李张三"]  # one normal form (yimen.core.identity)
    assert names(make_id_number(seq=99)) == []
    assert zhang.pk in [i["id"] for i in api.get("dispatcher", "/persons").json()["items"]]


def test_substring_from_three_characters(api, resident):
    resident("欧阳小明", seq=1)
    items = api.get("clerk", "/persons?q=阳小明").json()["items"]
    assert [item["name"] for item in items] == ["欧阳小明"]


def test_region_and_tag_filters(api, resident):
    resident("张三", seq=1, tags=["独居"])
    resident("张四", seq=2, micro=XIAOTANG_MICROGRID)
    assert api.get("clerk", "/persons?region=450324106201").json()["count"] == 1
    assert api.get("clerk", "/persons?region=450324106200&q=张").json()["items"][0]["name"] == "张三"
    assert api.get("clerk", "/persons?tag=独居").json()["count"] == 1
    assert api.get("clerk", "/persons?tag=living_alone").json()["count"] == 1


def test_bad_filters(api, resident):
    resident()
    unknown_region = api.get("clerk", "/persons?region=999999")
    assert unknown_region.status_code == 404
    assert unknown_region.json()["code"] == "not_found"
    assert api.get("clerk", "/persons?tag=不存在").status_code == 404
    assert api.get("clerk", "/persons?page=0").status_code == 422
    assert api.get("clerk", "/persons?page=abc").status_code == 422
    assert api.get("clerk", "/persons?pgae=2").json()["errors"] == {"pgae": ["不支持此参数。"]}
    assert api.get("clerk", "/persons?page=99").json() == {"count": 1, "items": []}
    assert api.get("clerk", "/persons/0").status_code == 422
    assert api.get("clerk", "/persons/999999").status_code == 404


def test_scoping(api, resident):
    caiwan = resident("张三", seq=1)
    xiaotang = resident("张四", seq=2, micro=XIAOTANG_MICROGRID)
    # gridworker2 works in 小塘村: a 才湾村 resident does not exist for them, by id, name or ID number.
    assert api.get("gridworker2", f"/persons/{caiwan.pk}").status_code == 404
    assert api.get("gridworker2", f"/persons?q={make_id_number(seq=1)}").json()["count"] == 0
    assert [i["id"] for i in api.get("gridworker2", "/persons?q=张").json()["items"]] == [xiaotang.pk]
    assert [i["id"] for i in api.get("gridworker", "/persons").json()["items"]] == [caiwan.pk]
    assert api.get("gridworker", "/persons?region=450324106201").status_code == 404  # not their village
    assert api.get("gridchief", f"/persons/{xiaotang.pk}").status_code == 404
    assert api.get("dispatcher", "/persons").json()["count"] == 2


def test_detail_is_masked(api, resident):
    person = resident("张三", tags=["残疾"])
    body = api.get("gridworker", f"/persons/{person.pk}").json()
    assert body["id_number_masked"].startswith("450324********")
    assert body["phone_masked"] == "138****0123"
    assert (body["status"], body["relationship"], body["version"], body["tags"]) == ("resident", "户主", 1, ["残疾"])
    assert "birth_date" not in body  # with the region code and last four it would give the whole number away


@pytest.mark.parametrize("rows", [1, 15])
def test_list_cost_is_flat(api, clerk, resident, django_assert_num_queries, rows):
    for i in range(rows):
        resident(f"张{i:02d}", seq=i, tags=["独居", "残疾"])
    api.headers("police")
    # token (with its user), seat, count, the page with its tags
    with django_assert_num_queries(4):
        body = api.get("police", "/persons?q=张").json()
    assert body["count"] == rows
