"""Keeping the registry in the browser (issue 15 part 1): register, correct, move, mark left,
and the refusals a clerk or a grid worker meets on the way."""

from datetime import date

from yimen.core.models import AuditEntry
from yimen.people import upkeep
from yimen.people.models import Household, Person
from yimen.people.tests.samples import CAIWAN_MICROGRID, XIAOTANG_MICROGRID, make_id_number

NEWCOMER = make_id_number(birth=date(1992, 3, 4), seq=61)


def walk_in(**fields) -> dict:
    return {
        "id_number": NEWCOMER,
        "name": "王小明",
        "phone": "13912345678",
        "region": CAIWAN_MICROGRID,
        "status": "resident",
        "ethnicity": "汉族",
        **fields,
    }


def edit_form(client, person: Person) -> dict:
    """The edit page's form as the browser would send it back untouched."""
    form = client.get(f"/persons/{person.pk}/edit/").context["form"]
    return {name: "" if value is None else value for name, value in form.initial.items()}


def test_clerk_registers_a_walk_in_without_household(signed_in):
    client = signed_in("clerk")
    assert client.get("/persons/new/").status_code == 200
    response = client.post("/persons/new/", walk_in())
    person = Person.unscoped.get()
    assert response.status_code == 302 and response.url == f"/persons/{person.pk}/"
    assert (person.birth_date, person.gender, person.household_id) == (date(1992, 3, 4), "M", None)
    card = client.get(response.url).content.decode()  # a person without a household has a card
    assert "王小明" in card and "139****5678" in card and NEWCOMER not in card
    assert AuditEntry.objects.filter(action="person_create", target=f"person:{person.pk}").exists()
    assert "王小明" in client.get("/persons/", {"q": "王小明"}).content.decode()


def test_a_double_tap_registers_once(signed_in):
    client = signed_in("clerk")
    key = client.get("/persons/new/").context["form"]["key"].initial
    first = client.post("/persons/new/", walk_in(key=key))
    again = client.post("/persons/new/", walk_in(key=key))
    assert first.status_code == again.status_code == 302 and first.url == again.url
    assert Person.unscoped.count() == 1


def test_bad_input_keeps_what_was_typed(signed_in):
    client = signed_in("clerk")
    bad_number = NEWCOMER[:-1] + ("0" if NEWCOMER[-1] != "0" else "1")
    response = client.post("/persons/new/", walk_in(id_number=bad_number, phone="12345", address="才湾村二组"))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "校验位" in errors["id_number"][0] and "手机号码" in errors["phone"][0]
    body = response.content.decode()
    assert 'value="才湾村二组"' in body and 'value="王小明"' in body
    response = client.post("/persons/new/", walk_in(region=""))
    assert "请选择居住微网格" in response.context["form"].errors["region"][0]
    assert not Person.unscoped.exists()


def test_duplicate_id_number_links_the_person_only_within_reach(signed_in, resident):
    zhang = resident("张三", seq=61, micro=CAIWAN_MICROGRID)
    number = make_id_number(seq=61)
    response = signed_in("gridworker").post("/persons/new/", walk_in(id_number=number, name="张三"))
    assert response.status_code == 409
    assert "该身份证号码已登记" in response.context["form"].errors["id_number"][0]
    assert f'href="/persons/{zhang.pk}/"' in response.content.decode()
    other = signed_in("gridworker2").post(
        "/persons/new/", walk_in(id_number=number, name="张三", region=XIAOTANG_MICROGRID)
    )
    assert other.status_code == 409 and other.context["form"].errors["id_number"] == ["已登记"]
    body = other.content.decode()
    assert f"/persons/{zhang.pk}/" not in body and 'data-testid="existing"' not in body
    assert Person.unscoped.count() == 1


def test_add_a_member_from_the_household_page_and_edit_them(signed_in, resident):
    head = resident("张三", seq=62)
    client = signed_in("gridworker")
    card = client.get(f"/households/{head.household_id}/").content.decode()
    assert f'href="/persons/new/?household={head.household_id}"' in card
    wife = make_id_number(seq=63, male=False)
    fields = walk_in(id_number=wife, name="李芳", household=head.household_id, relationship="配偶", region="")
    response = client.post("/persons/new/", fields)
    assert response.status_code == 302, response.context["form"].errors
    person = Person.unscoped.get(name="李芳")
    assert person.household_id == head.household_id and person.region.code == CAIWAN_MICROGRID
    data = edit_form(client, person)
    response = client.post(f"/persons/{person.pk}/edit/", {**data, "phone": "13700001111", "address": "才湾村9号"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.phone_masked, person.address, person.version) == ("137****1111", "才湾村9号", data["version"] + 1)


def test_stale_version_says_so_and_keeps_the_typed_values(signed_in, resident, clerk):
    person = resident("张三", seq=64)
    client = signed_in("clerk")
    data = edit_form(client, person)
    upkeep.person_update(actor=clerk, person=person, version=person.version, address="他人改过")
    response = client.post(f"/persons/{person.pk}/edit/", {**data, "address": "我的新址"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "已被他人修改" in body and 'value="我的新址"' in body
    assert Person.unscoped.get(pk=person.pk).address == "他人改过"


def test_move_to_another_household_and_set_its_head(signed_in, resident):
    mover = resident("张三", seq=65)
    old_home = mover.household
    client = signed_in("clerk")
    response = client.post("/households/new/", {"region": CAIWAN_MICROGRID, "address": "才湾村三组1号"})
    home = Household.objects.get(address="才湾村三组1号")
    assert response.status_code == 302 and response.url == f"/households/{home.pk}/"
    response = client.post(
        f"/persons/{mover.pk}/edit/", {**edit_form(client, mover), "household": home.pk, "relationship": "子"}
    )
    assert response.status_code == 302
    mover.refresh_from_db()
    old_home.refresh_from_db()
    assert mover.household_id == home.pk and old_home.head_id is None
    home.refresh_from_db()
    assert home.head_id is None
    page = client.get(f"/households/{home.pk}/edit/")
    assert page.status_code == 200
    data = {"version": home.version, "region": CAIWAN_MICROGRID, "address": "才湾村三组1号", "head": mover.pk}
    assert client.post(f"/households/{home.pk}/edit/", data).status_code == 302
    home.refresh_from_db()
    assert home.head_id == mover.pk
    stranger = resident("李四", seq=66)
    data = {"version": home.version, "region": CAIWAN_MICROGRID, "address": "才湾村三组1号", "head": stranger.pk}
    response = client.post(f"/households/{home.pk}/edit/", data)
    assert response.status_code == 422 and "户主须为本户成员" in response.content.decode()


def test_household_edit_stale_and_duplicate_address(signed_in, resident):
    person = resident("张三", seq=67)
    home = Household.objects.get(pk=person.household_id)
    client = signed_in("clerk")
    data = {"version": home.version, "region": CAIWAN_MICROGRID, "address": "才湾村四组1号", "head": ""}
    assert client.post(f"/households/{home.pk}/edit/", data).status_code == 302
    stale = client.post(f"/households/{home.pk}/edit/", {**data, "address": "才湾村四组2号"})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    twice = client.post("/households/new/", {"region": CAIWAN_MICROGRID, "address": "才湾村四组1号"})
    assert twice.status_code == 409 and "该住址已登记一户" in twice.content.decode()


def test_marking_left_asks_a_reason_and_keeps_the_record(signed_in, resident):
    person = resident("张三", seq=68)
    client = signed_in("police")
    card = client.get(f"/persons/{person.pk}/").content.decode()
    assert f'href="/persons/{person.pk}/left/"' in card
    refused = client.post(f"/persons/{person.pk}/left/", {"version": person.version, "status": "moved_out"})
    assert refused.status_code == 422 and "请说明事由" in refused.content.decode()
    done = client.post(
        f"/persons/{person.pk}/left/", {"version": person.version, "status": "moved_out", "purpose": "户籍迁往县城"}
    )
    assert done.status_code == 302
    assert Person.unscoped.get(pk=person.pk).status == "moved_out"
    assert AuditEntry.objects.get(action="person_left").purpose == "户籍迁往县城"
    card = client.get(f"/persons/{person.pk}/").content.decode()
    assert "迁出" in card and f'href="/persons/{person.pk}/left/"' not in card
    assert 'data-testid="member-left">迁出' in client.get(f"/households/{person.household_id}/").content.decode()
    clerk = signed_in("clerk")  # a later correction leaves the status as it is
    assert clerk.post(f"/persons/{person.pk}/edit/", {**edit_form(clerk, person), "address": "县城"}).status_code == 302
    assert Person.unscoped.get(pk=person.pk).status == "moved_out"


def test_another_village_is_404(signed_in, resident):
    person = resident("张三", seq=69)
    client = signed_in("gridworker2")
    for url in (f"/persons/{person.pk}/edit/", f"/households/{person.household_id}/edit/"):
        assert client.get(url).status_code == 404
        assert client.post(url, {"version": 1, "address": "x"}).status_code == 404
    response = client.post("/persons/new/", walk_in(household=person.household_id, region=""))
    assert response.status_code == 422 and "不在您的管辖范围内" in response.context["form"].errors["household"][0]
    response = client.post("/persons/new/", walk_in())  # 才湾村's micro-grid is not a choice here
    assert "不在您的管辖范围内" in response.context["form"].errors["region"][0]
    assert Person.unscoped.count() == 1


def test_wrong_roles_are_refused_and_see_no_buttons(signed_in, resident):
    person = resident("张三", seq=70)
    client = signed_in("leader")
    for url in ("/persons/new/", f"/persons/{person.pk}/edit/", "/households/new/", f"/persons/{person.pk}/left/"):
        assert client.get(url).status_code == 403, url
    assert client.post("/persons/new/", walk_in()).status_code == 403
    assert "/persons/new/" not in client.get("/persons/").content.decode()
    card = client.get(f"/persons/{person.pk}/").content.decode()
    assert f"/persons/{person.pk}/edit/" not in card and 'data-testid="person-actions"' not in card
    assert 'data-testid="household-actions"' not in client.get(f"/households/{person.household_id}/").content.decode()
    worker = signed_in("gridworker")  # keeps the registry, but may not record a death
    assert worker.get(f"/persons/{person.pk}/left/").status_code == 403
    card = worker.get(f"/persons/{person.pk}/").content.decode()
    assert f"/persons/{person.pk}/edit/" in card and f"/persons/{person.pk}/left/" not in card
    assert "/persons/new/" in worker.get("/persons/").content.decode()
    assert Person.unscoped.count() == 1
