"""十户联防 groups kept by hand (issue 15 part 4): form, adjust under a version, retire with a
reason; another village's grid worker finds nothing."""

import pytest

from yimen.core.models import AuditEntry
from yimen.people.models import DefenceGroup, Household
from yimen.people.tests.samples import CAIWAN_MICROGRID, make_defence_group, make_resident


@pytest.fixture
def homes(clerk):
    """Twelve one-person households of 才湾村's first micro-grid, in no group yet."""
    persons = [make_resident(clerk, f"邻居{i}", seq=500 + i) for i in range(12)]
    return [p.household for p in persons]


def form(api, homes, who="gridworker", name="新联防组", n=10):
    body = {"name": name, "region": CAIWAN_MICROGRID, "households": [h.pk for h in homes[:n]], "lead": homes[0].pk}
    return api.post(who, "/joint-defence-groups", body)


def test_grid_worker_forms_a_group_with_its_lead_household(api, homes):
    response = form(api, homes)
    assert response.status_code == 201, response.json()
    group = response.json()
    assert group["lead"] == homes[0].pk and len(group["households"]) == 10 and group["version"] == 1
    assert Household.objects.filter(defence_group_id=group["id"]).count() == 10
    assert AuditEntry.objects.filter(action="defence_group_create", target=f"defence_group:{group['id']}").exists()
    listed = api.get("gridworker", "/joint-defence-groups").json()
    assert [g["name"] for g in listed] == ["新联防组"]


def test_forming_refuses_too_few_households_a_lead_outside_and_a_taken_name(api, homes):
    few = form(api, homes, n=9)
    assert few.status_code == 422
    assert "10–15" in few.json()["errors"]["households"][0]
    body = {"name": "外组", "region": CAIWAN_MICROGRID, "households": [h.pk for h in homes[:10]], "lead": homes[11].pk}
    assert api.post("gridworker", "/joint-defence-groups", body).json()["errors"]["lead"] == ["中心户须是本组的一户。"]
    assert form(api, homes).status_code == 201
    again = form(api, homes[2:], name="新联防组")
    assert again.status_code == 409 and again.json()["errors"]["name"] == ["本网格已有同名联防组。"]


def test_adjusting_needs_the_current_version(api, homes):
    group = form(api, homes).json()
    path = f"/joint-defence-groups/{group['id']}"
    moved = api.patch("gridworker", path, {"version": 1, "households": [h.pk for h in homes[:12]], "lead": homes[5].pk})
    assert moved.status_code == 200, moved.json()
    assert moved.json()["lead"] == homes[5].pk and len(moved.json()["households"]) == 12
    stale = api.patch("gridworker", path, {"version": 1, "name": "改名"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    assert DefenceGroup.objects.get(pk=group["id"]).name == "新联防组"


def test_joining_moves_a_household_out_of_its_old_group(api, clerk, homes):
    old = make_defence_group(clerk)
    taken = list(old.households.all()[:2])
    body = {"name": "东片组", "region": CAIWAN_MICROGRID, "households": [h.pk for h in [*homes[:8], *taken]]}
    assert api.post("gridchief", "/joint-defence-groups", {**body, "lead": homes[0].pk}).status_code == 201
    assert Household.objects.filter(defence_group=old).count() == 8


def test_retiring_needs_a_reason_frees_the_households_and_ends_editing(api, homes):
    group = form(api, homes).json()
    path = f"/joint-defence-groups/{group['id']}"
    blank = api.post("gridworker", f"{path}/retire", {"version": 1, "reason": " "})
    assert blank.status_code == 422 and blank.json()["errors"]["reason"] == ["请填写撤销原因。"]
    done = api.post("gridworker", f"{path}/retire", {"version": 1, "reason": "村民小组合并，重新编组"})
    assert done.status_code == 200 and done.json()["retired_reason"] == "村民小组合并，重新编组"
    assert not Household.objects.filter(defence_group_id=group["id"]).exists()
    assert api.patch("gridworker", path, {"version": 2, "name": "复用"}).json()["code"] == "retired"
    assert api.get("gridworker", "/joint-defence-groups").json() == []
    assert [g["id"] for g in api.get("gridworker", "/joint-defence-groups?retired=true").json()] == [group["id"]]
    entry = AuditEntry.objects.get(action="defence_group_retire")
    assert entry.purpose == "村民小组合并，重新编组"


def test_another_villages_grid_worker_finds_nothing(api, homes):
    group = form(api, homes).json()
    path = f"/joint-defence-groups/{group['id']}"
    assert api.get("gridworker2", path).status_code == 404
    assert api.patch("gridworker2", path, {"version": 1, "name": "夺组"}).status_code == 404
    assert api.post("gridworker2", f"{path}/retire", {"version": 1, "reason": "x"}).status_code == 404
    assert api.get("gridworker2", "/joint-defence-groups").json() == []
    # Their own grid's households are the only ones they can name.
    assert form(api, homes, who="gridworker2", name="越界组").status_code == 422


def test_a_role_that_does_not_keep_groups_is_refused(api, homes):
    assert form(api, homes, who="leader").status_code == 403
    assert form(api, homes, who="police").status_code == 403


def test_the_page_forms_a_group_and_keeps_the_ticks_on_a_refusal(signed_in, homes):
    client = signed_in("gridworker")
    url = f"/groups/new/?region={CAIWAN_MICROGRID}"
    assert "邻居0" in client.get(url).content.decode()
    few = client.post(url, {"name": "页面组", "households": [h.pk for h in homes[:3]], "lead": homes[0].pk})
    assert few.status_code == 422
    body = few.content.decode()
    assert "十户联防组须有 10–15 户，现为 3 户。" in body
    assert f'value="{homes[1].pk}" id="hh-{homes[1].pk}" aria-label="{homes[1].address}" checked' in body
    done = client.post(url, {"name": "页面组", "households": [h.pk for h in homes[:10]], "lead": homes[0].pk})
    group = DefenceGroup.objects.get(name="页面组")
    assert done.status_code == 302 and done.url == f"/groups/{group.pk}/"


def test_the_edit_page_says_when_someone_else_changed_the_group(signed_in, clerk):
    group = make_defence_group(clerk)
    client = signed_in("gridchief")
    ids = list(group.households.values_list("pk", flat=True))
    stale = client.post(
        f"/groups/{group.pk}/edit/", {"version": 99, "name": "改名", "households": ids, "lead": group.lead_id}
    )
    assert stale.status_code == 409 and "该联防组已被他人修改" in stale.content.decode()
    retire = client.post(f"/groups/{group.pk}/retire/", {"version": group.version, "reason": ""})
    assert retire.status_code == 422 and "请说明撤销原因" in retire.content.decode()


@pytest.mark.parametrize("n", [1, 6])
def test_the_group_list_costs_the_same_for_one_group_or_many(signed_in, clerk, django_assert_max_num_queries, n):
    for i in range(n):
        make_defence_group(clerk, first_seq=600 + 20 * i)
        DefenceGroup.objects.filter(name="第一联防组").update(name=f"第{i}组")
    client = signed_in("clerk")
    with django_assert_max_num_queries(12):
        response = client.get("/groups/")
    assert response.status_code == 200 and f"第{n - 1}组" in response.content.decode()
