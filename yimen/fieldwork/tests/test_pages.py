"""The phone pages, the service worker and manifest, the desk pages and the public sign PDF."""

import hashlib
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from yimen.fieldwork import services
from yimen.fieldwork.models import Report
from yimen.fieldwork.tests.conftest import IN_CAIWAN, jpeg

pytestmark = pytest.mark.django_db


def test_phone_pages_render_for_the_worker(client, worker, household, django_assert_max_num_queries):
    done = services.report_submit(
        actor=worker, idempotency_key="k", kind="hazard", title="危桥", location=IN_CAIWAN, photos=[jpeg()]
    )
    report = Report.objects.get(pk=done.object_id)
    client.force_login(worker.user)
    for url in (
        "/m/",
        "/m/households/",
        f"/m/households/{household.pk}/",
        "/m/report/",
        f"/m/reports/{report.pk}/",
        "/m/patrol/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert b"<script>" not in page.content and b"style=" not in page.content
    assert report.case.code in client.get(f"/m/reports/{report.pk}/").content.decode()
    stored = report.photos.get()
    photo = client.get(f"/m/photos/{stored.pk}/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    served, on_disk = b"".join(photo.streaming_content), Path(stored.file.path).read_bytes()
    assert hashlib.sha256(served).hexdigest() == stored.sha256  # unsealed for the worker …
    assert served[:2] == b"\xff\xd8" and served not in on_disk  # … sealed on disk (issue 12 item 6)
    with django_assert_max_num_queries(30):
        client.get("/m/")


def test_the_case_page_shows_the_grid_report_with_its_photo(client, persona, worker):
    done = services.report_submit(
        actor=worker, idempotency_key="k", kind="hazard", title="危桥", location=IN_CAIWAN, photos=[jpeg()]
    )
    report = Report.objects.get(pk=done.object_id)
    dispatcher = persona("dispatcher")
    client.force_login(dispatcher.user)
    page = client.get(f"/cases/{report.case.code}/").content.decode()
    assert "网格上报" in page and f"/m/photos/{report.photos.get().pk}/" in page
    assert client.get(f"/m/photos/{report.photos.get().pk}/").status_code == 200


def test_service_worker_and_manifest_come_from_our_own_files(client):
    sw = client.get("/m/sw.js")
    assert sw.status_code == 200 and sw["Content-Type"].startswith("text/javascript")
    body = sw.content.decode()
    assert "/static/vendor/workbox-sw/" in body and "modulePathCb" in body
    assert "https://" not in body and "http://" not in body  # nothing from outside (政务外网)
    manifest = client.get("/m/manifest.webmanifest").json()
    assert manifest["start_url"] == "/m/" and {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}


def test_desk_pages_and_the_public_sign(client, chief, worker):
    worker.service_phone = "07734561234"
    worker.save()
    client.force_login(chief.user)
    for url in ("/fieldwork/cameras/", "/fieldwork/patrols/", "/fieldwork/signs/"):
        assert client.get(url).status_code == 200, url
    pdf = client.get("/fieldwork/signs/45032410620001.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    assert "网格员公示牌" in text and "gridworker" in text and "07734561234" in text
    assert client.get("/fieldwork/signs/45032410620101.pdf").status_code == 404  # another village's grid
