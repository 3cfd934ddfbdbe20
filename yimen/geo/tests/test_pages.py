"""Region pages and the grid map, as a clerk and as grid workers (404 outside their scope)."""

import re

import pytest
from django.urls import reverse

from yimen.geo.models import Region


@pytest.fixture
def login(client, persona, demo_town):
    def as_(name: str):
        client.force_login(persona(name).user)
        return client

    return as_


def test_regions_root_goes_to_the_members_town(login):
    response = login("clerk").get(reverse("geo:region_root"))
    assert response.status_code == 302 and response.url == "/regions/450324106/"
    worker = login("gridworker").get(reverse("geo:region_root"))
    assert worker.url == "/regions/450324106/"


def test_town_page_shows_breadcrumb_cards_children_and_map_link(login):
    response = login("clerk").get("/regions/450324106/")
    assert response.status_code == 200
    page = response.content.decode()
    crumbs = re.search(r'data-testid="breadcrumb">(.*?)</ol>', page, re.S).group(1)
    assert crumbs.index("广西壮族自治区") < crumbs.index("桂林市") < crumbs.index("全州县") < crumbs.index("才湾镇")
    assert 'href="/regions/450324/"' in crumbs
    cards = re.search(r'data-testid="summary">(.*?)<h2', page, re.S).group(1)
    for label, value in (("村/社区", "17"), ("网格", "102"), ("微网格", "333"), ("专属网格", "6"), ("工作人员", "1")):
        assert re.search(rf">{label}</div><div class=\"stat-value\">{value}<", cards.replace("\n    ", "")), label
    children = re.search(r'data-testid="children">(.*?)</table>', page, re.S).group(1)
    assert children.count('href="/regions/450324106') == 17 + 6 and children.count("专属网格") >= 6
    assert 'href="/regions/450324106200/">才湾村</a>' in children
    assert f"{reverse('geo:map')}?region=450324106" in page


def test_village_page_lists_its_grids_with_counts(login):
    page = login("clerk").get("/regions/450324106200/").content.decode()
    assert "才湾村委会" in page  # the official name beside the short one
    assert page.count('href="/regions/450324106200') == 7  # its seven grids
    row = re.search(r"才湾村第一网格</a></td>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r">(\d+)</td>", row)[0] == "4"  # micro-grids of the seat's first grid


def test_page_cost_does_not_grow_with_the_children(login, django_assert_max_num_queries):
    client = login("clerk")
    client.get("/regions/45032410620001/")  # warm up session and middleware lookups
    with django_assert_max_num_queries(17) as grid_page:
        client.get("/regions/45032410620001/")  # 4 children
    with django_assert_max_num_queries(len(grid_page.captured_queries)) as town_page:
        client.get("/regions/450324106/")  # 23 children
    assert len(town_page.captured_queries) <= len(grid_page.captured_queries)


def test_out_of_scope_pages_are_404(login):
    client = login("gridworker2")
    for url in ("/regions/45032410620001/", "/regions/450324106200/", "/map/?region=45032410620001"):
        assert client.get(url).status_code == 404, url
    features = client.get(reverse("geo:map_features"), {"region": "45032410620001", "level": "microgrid"})
    assert features.status_code == 404
    assert client.get("/regions/45032410620101/").status_code == 200
    town = client.get("/regions/450324106/").content.decode()
    assert "小塘村" in town and "才湾村" not in town


def test_map_page_draws_from_local_files_only(login):
    response = login("clerk").get("/map/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'src="/static/vendor/leaflet/leaflet.js"' in page and 'href="/static/vendor/leaflet/leaflet.css"' in page
    assert 'src="/static/geo/map.js"' in page
    assert 'data-region="450324106"' in page and 'data-level="village"' in page
    assert 'data-map-level="grid"' in page and 'data-map-level="microgrid"' in page and 'id="map-specials"' in page
    assert "tile" not in page.lower() and "http://" not in page and "https://" not in page
    # CSP: no inline code or style; the only inline script is json_script's data block.
    assert ' style="' not in page
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline == [' id="region-outline" type="application/json"']


def test_map_of_a_village_starts_with_its_grids(login):
    page = login("clerk").get("/map/", {"region": "450324106200"}).content.decode()
    assert 'data-level="grid"' in page and 'data-map-level="village"' in page


def test_map_without_boundaries_says_so(login):
    page = login("clerk").get("/map/", {"region": "450324"}).content.decode()
    assert 'data-level="town"' in page  # the demo town is drawn; the county itself is not
    Region.objects.filter(code__startswith="450324106").update(geometry=None)
    empty = login("clerk").get("/map/", {"region": "450324106"}).content.decode()
    assert "暂无边界数据" in empty and "leaflet.js" not in empty


@pytest.mark.parametrize(("level", "count"), [("village", 17), ("grid", 102), ("microgrid", 333), ("special", 6)])
def test_map_features(login, level, count):
    response = login("clerk").get(reverse("geo:map_features"), {"region": "450324106", "level": level})
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection" and len(body["features"]) == count
    feature = body["features"][0]
    assert feature["type"] == "Feature" and feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert set(feature["properties"]) == {"code", "name", "level"} and feature["properties"]["level"] == level


def test_map_features_of_a_grid_worker_stay_in_their_grid(login):
    client = login("gridworker")
    body = client.get(reverse("geo:map_features"), {"region": "450324106", "level": "microgrid"}).json()
    assert body["features"] and all(f["properties"]["code"].startswith("45032410620001") for f in body["features"])
    villages = client.get(reverse("geo:map_features"), {"region": "450324106", "level": "village"}).json()
    assert [f["properties"]["name"] for f in villages["features"]] == ["才湾村"]
    bad = client.get(reverse("geo:map_features"), {"region": "450324106", "level": "county"})
    assert bad.status_code == 422


def test_pages_need_the_permission(login):
    client = login("auditor")
    assert client.get("/regions/450324106/").status_code == 403
    assert client.get("/map/").status_code == 403
