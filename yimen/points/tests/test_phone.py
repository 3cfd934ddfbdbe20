"""The grid worker's phone screens (/m/points/, /m/wishes/): a proposal for a household of the
worker's grid with a photo, and a 微心愿, under the phone app's layout."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import MembershipFactory
from yimen.core.tests.samples import jpeg
from yimen.org.roles import Role
from yimen.points import services
from yimen.points.models import Award, Wish

from .conftest import award


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("yard.jpg", jpeg((64, 48)), content_type="image/jpeg")


def test_the_worker_finds_only_the_households_of_the_grid(client, seats, homes, django_assert_max_num_queries):
    award(seats, homes["wang"], rule="ind-cooperative")
    client.force_login(seats["gridworker"].user)
    with django_assert_max_num_queries(12):
        page = client.get("/m/points/")
    html = page.content.decode()
    assert page.status_code == 200 and 'class="m-app"' in html  # the phone layout
    assert "王德明" in html and "积分 10" in html and "蒋小塘" not in html
    assert "王德明" not in client.get("/m/points/", {"q": "李秀"}).content.decode()
    assert client.get(f"/m/points/households/{homes['xiaotang'].pk}/").status_code == 404
    client.force_login(seats["village"].user)  # the committee approves; it does not propose
    assert client.get("/m/points/").status_code == 403


def test_a_proposal_from_the_phone_carries_its_photo_and_waits_for_approval(client, seats, homes):
    client.force_login(seats["gridworker"].user)
    url = f"/m/points/households/{homes['wang'].pk}/propose/"
    page = client.get(f"/m/points/households/{homes['wang'].pk}/").content.decode()
    assert "yimen/photo-compress.js" in page and "data-compress" in page
    bare = client.post(url, {"rule": "san-yard", "note": "庭院打扫得干干净净"})
    html = bare.content.decode()
    assert bare.status_code == 422 and "请至少附 1 张现场照片。" in html and 'value="庭院打扫得干干净净"' in html
    assert 'class="m-app"' in html and not Award.objects.exists()
    sent = client.post(url, {"rule": "san-yard", "note": "庭院打扫得干干净净", "photos": [photo()]}, follow=True)
    made = Award.objects.get()
    assert made.state == "proposed" and made.photos.count() == 1 and made.proposed_by == seats["gridworker"]
    shown = sent.content.decode()
    assert "待村两委审核" in shown and 'data-testid="pending"' in shown and "庭院干净整洁" in shown
    assert client.post(f"/m/points/households/{homes['xiaotang'].pk}/propose/", {"rule": "san-yard"}).status_code == 404


def test_a_wish_recorded_on_the_phone_shows_with_what_became_of_it(client, seats, homes):
    client.force_login(seats["gridworker"].user)
    url = f"/m/points/households/{homes['li'].pk}/wishes/"
    blank = client.post(url, {"text": ""})
    assert blank.status_code == 422 and "请写明心愿内容。" in blank.content.decode()
    listed = client.post(url, {"text": "想学用手机和在外打工的儿子视频"}, follow=True).content.decode()
    assert "想学用手机和在外打工的儿子视频" in listed and "待认领" in listed and "微心愿已记录" in listed
    wish = Wish.objects.get()
    assert wish.recorded_by == seats["gridworker"] and wish.household == homes["li"]
    services.wish_close(actor=seats["village"], wish=wish, state=Wish.State.FULFILLED, outcome="志愿者已上门教会")
    assert "志愿者已上门教会" in client.get("/m/wishes/").content.decode()
    client.force_login(seats["gridworker2"].user)  # another village's worker sees none of it
    assert "想学用手机" not in client.get("/m/wishes/").content.decode()


def test_the_phone_apps_home_leads_to_points_and_wishes(client, seats, homes):
    client.force_login(seats["gridworker"].user)
    home = client.get("/m/").content.decode()
    assert 'data-testid="m-points-card"' in home and 'href="/m/points/"' in home and 'href="/m/wishes/"' in home
    worker = seats["gridworker"]  # an informant (信息员) uses the phone app but proposes no points
    informant = MembershipFactory(unit=worker.unit, role=Role.INFORMANT, jurisdiction=worker.jurisdiction)
    client.force_login(informant.user)
    home = client.get("/m/")
    assert home.status_code == 200 and 'data-testid="m-points-card"' not in home.content.decode()
