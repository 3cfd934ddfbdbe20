"""API.md "Regions": /regions/{code}, /regions/{code}/summary, /locate — shapes, errors, scoping."""

import pytest

from conftest import PASSWORD
from tests.factories import totp_now
from yimen.geo.locate import locate
from yimen.geo.models import Region
from yimen.geo.services import region_set_geometry

NOT_FOUND = {"detail": "未找到，或不在您的管辖范围内。", "code": "not_found", "errors": {}}


@pytest.fixture
def api(client, persona, demo_town):
    """api("clerk", "/regions/450324106") -> the response, with that persona's bearer token."""
    tokens: dict[str, str] = {}

    def call(name: str, path: str):
        if name not in tokens:
            persona(name)
            issued = client.post(
                "/api/v1/auth/token",
                {"username": name, "password": PASSWORD, "otp": totp_now(name)},
                "application/json",
            )
            tokens[name] = issued.json()["token"]
        return client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {tokens[name]}"})

    return call


def test_town_detail_shape(api):
    response = api("clerk", "/regions/450324106")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"code", "name", "level", "parent", "children"}
    assert (body["code"], body["name"], body["level"]) == ("450324106", "才湾镇", "town")
    assert body["parent"] == {"code": "450324", "name": "全州县"}
    assert body["children"][0] == {"code": "450324106001", "name": "天湖社区", "level": "village"}
    assert {"code": "450324106200", "name": "才湾村", "level": "village"} in body["children"]
    assert [c["level"] for c in body["children"]].count("village") == 17
    assert [c["level"] for c in body["children"]].count("special") == 6


def test_grid_and_province_detail(api):
    grid = api("clerk", "/regions/45032410620001").json()
    assert grid["level"] == "grid" and grid["parent"] == {"code": "450324106200", "name": "才湾村"}
    assert all(c["level"] == "microgrid" and c["code"].startswith("45032410620001") for c in grid["children"])
    province = api("clerk", "/regions/45").json()
    assert province["parent"] is None and province["name"] == "广西壮族自治区"
    assert province["children"] == [{"code": "4503", "name": "桂林市", "level": "city"}]  # only the clerk's line


def test_town_summary(api):
    api("gridworker", "/regions/450324106")  # a second seat inside the town
    response = api("clerk", "/regions/450324106/summary")
    assert response.status_code == 200
    assert response.json() == {
        "code": "450324106",
        "name": "才湾镇",
        "villages": 17,
        "grids": 102,
        "microgrids": 333,
        "special_grids": 6,
        "households": 0,
        "persons": 0,
        "staff": 2,
    }


def test_summary_of_a_grid_counts_its_grid_worker(api):
    body = api("gridworker", "/regions/45032410620001/summary").json()
    assert body["microgrids"] == Region.objects.filter(parent__code="45032410620001").count()
    assert (body["villages"], body["grids"], body["special_grids"], body["staff"]) == (0, 1, 0, 1)


def test_summary_of_the_county_counts_only_what_the_clerk_sees(api):
    body = api("clerk", "/regions/450324/summary").json()
    assert (body["villages"], body["grids"], body["microgrids"]) == (17, 102, 333)  # not the other 17 towns


def test_locate_shape(api):
    micro = Region.objects.get(code="4503241062000102")
    response = api("clerk", f"/locate?lat={micro.lat}&lng={micro.lng}")
    assert response.status_code == 200
    assert response.json() == {
        "town": {"code": "450324106", "name": "才湾镇"},
        "village": {"code": "450324106200", "name": "才湾村"},
        "grid": {"code": "45032410620001", "name": "才湾村第一网格"},
        "microgrid": {"code": "4503241062000102", "name": "才湾村第一网格第2微网格"},
        "special": None,
    }


def test_locate_outside_every_polygon_is_404(api):
    response = api("clerk", "/locate?lat=39.9&lng=116.4")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("lng=110.99", "lat", "此项为必填项。"),
        ("lat=25.86", "lng", "此项为必填项。"),
        ("lat=91&lng=110.99", "lat", "纬度须在 -90 到 90 之间。"),
        ("lat=-90.5&lng=110.99", "lat", "纬度须在 -90 到 90 之间。"),
        ("lat=25.86&lng=180.01", "lng", "经度须在 -180 到 180 之间。"),
        ("lat=nan&lng=110.99", "lat", "纬度须在 -90 到 90 之间。"),
        ("lat=北纬25&lng=110.99", "lat", "格式不正确。"),
    ],
)
def test_locate_bad_coordinates_are_422(api, query, field, message):
    response = api("clerk", f"/locate?{query}")
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail", "code", "errors"} and body["code"] == "invalid"
    assert body["errors"][field] == [message]


@pytest.mark.parametrize("path", ["/regions/450324106", "/regions/450324106/summary", "/locate?lat=25.86&lng=110.99"])
def test_no_token_is_401_and_no_permission_is_403(client, api, path):
    anonymous = client.get(f"/api/v1{path}")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"
    auditor = api("auditor", path)  # 三员分立: the audit admin does not browse regions
    assert auditor.status_code == 403 and auditor.json()["code"] == "forbidden"


def test_unknown_code_is_404(api):
    assert api("clerk", "/regions/999999").json() == NOT_FOUND
    assert api("clerk", "/regions/999999/summary").status_code == 404


def test_another_villages_grid_is_404_exactly_like_an_unknown_one(api):
    """gridworker2 works a grid of 小塘村: 才湾村's grid must look absent, not forbidden."""
    for path in ("/regions/45032410620001", "/regions/45032410620001/summary", "/regions/450324106200"):
        response = api("gridworker2", path)
        assert response.status_code == 404 and response.json() == NOT_FOUND
    assert api("gridworker2", "/regions/45032410620101").status_code == 200


def test_a_grid_worker_sees_the_line_above_but_not_the_neighbours(api):
    town = api("gridworker2", "/regions/450324106").json()
    assert town["children"] == [{"code": "450324106201", "name": "小塘村", "level": "village"}]
    summary = api("gridworker2", "/regions/450324106/summary").json()
    assert (summary["villages"], summary["grids"], summary["special_grids"]) == (1, 1, 0)
    assert summary["staff"] == 1  # only the grid worker's own grid is counted


def test_locate_blanks_what_the_caller_may_not_see(api, keeper):
    caiwan = Region.objects.get(code="450324106200")
    found = api("gridworker2", f"/locate?lat={caiwan.lat}&lng={caiwan.lng}").json()
    assert found["town"] == {"code": "450324106", "name": "才湾镇"}
    assert found["village"] is None and found["grid"] is None and found["microgrid"] is None
    triangle = {"type": "Polygon", "coordinates": [[[1, 1], [2, 1], [2, 2], [1, 1]]]}
    region_set_geometry(actor=keeper, region=Region.objects.get(code="450324101"), geometry=triangle)  # another town
    assert locate(1.5, 1.8)["town"]["code"] == "450324101"
    assert api("gridworker2", "/locate?lat=1.5&lng=1.8").json() == NOT_FOUND


def test_openapi_declares_the_error_responses(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, statuses in (
        ("/api/v1/regions/{code}", {"200", "401", "403", "404"}),
        ("/api/v1/regions/{code}/summary", {"200", "401", "403", "404"}),
        ("/api/v1/locate", {"200", "401", "403", "404", "422"}),
    ):
        responses = paths[path]["get"]["responses"]
        assert statuses <= set(responses)
        assert responses["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
