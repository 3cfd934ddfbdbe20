"""上报: a worker's report becomes a case (channel grid) once per key; bad input is refused."""

import pytest

from yimen.cases.models import Case
from yimen.core.errors import Conflict, Invalid, NotAllowed
from yimen.core.images import MAX_PHOTO_BYTES
from yimen.fieldwork import services
from yimen.fieldwork.models import Report
from yimen.fieldwork.tests.conftest import IN_CAIWAN, IN_XIAOTANG, jpeg

pytestmark = pytest.mark.django_db


def submit(actor, key="k1", **fields):
    values = {"kind": "hazard", "title": "村口山塘无护栏", "location": IN_CAIWAN}
    values.update(fields)
    return services.report_submit(actor=actor, idempotency_key=key, **values)


def test_a_workers_report_is_located_and_registered_as_a_grid_case(worker):
    done = submit(worker, category="hazard.water.pond", photos=[jpeg()])
    report = Report.objects.get(pk=done.object_id)
    assert done.created and report.state == Report.State.REGISTERED
    assert report.region.code == "4503241062000101" and report.located == "gps"
    assert report.case.channel == "grid" and report.case.kind == "hazard"
    assert report.case.region.code == "4503241062000101" and report.case.category.code == "hazard.water.pond"
    assert report.photos.count() == 1 and report.case.events.get().action == "register"


def test_the_same_key_twice_makes_one_case_and_another_body_is_refused(worker):
    first = submit(worker)
    again = submit(worker)
    assert (again.object_id, again.created) == (first.object_id, False)
    assert Case.objects.count() == 1
    with pytest.raises(Conflict) as refused:
        submit(worker, title="另一件事")
    assert refused.value.code == "idempotency_key_reused"
    assert Case.objects.count() == 1


def test_a_request_report_becomes_an_appeal_and_a_dispute_needs_a_party(worker):
    report = Report.objects.get(pk=submit(worker, kind="request", title="路灯坏了").object_id)
    assert report.case.kind == "appeal"
    with pytest.raises(Invalid) as refused:
        submit(worker, key="k2", kind="dispute", title="两家吵架")
    assert "party_name" in refused.value.errors


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"location": {"lat": 200, "lng": 110.98}}, "location"),
        ({"location": {"lat": "north", "lng": 110.98}}, "location"),
        ({"location": None}, "region"),  # no fix and no grid chosen: asked for it
        ({"location": {"lat": 30.0, "lng": 100.0}}, "region"),  # outside every grid, nothing chosen
        ({"location": IN_XIAOTANG}, "location"),  # another village's grid
        ({"location": None, "region": "45032410620101"}, "region"),  # chosen by hand, not one's own
        ({"photos": [b"GIF89a not a photo"]}, "photos"),
        ({"photos": [b"\xff\xd8\xff" + b"0" * MAX_PHOTO_BYTES]}, "photos"),
        ({"photos": [jpeg()] * 4}, "photos"),
        ({"category": "dispute.general"}, "category"),  # a dispute row for a hazard
        ({"title": "  "}, "title"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(worker, fields, field):
    with pytest.raises(Invalid) as refused:
        submit(worker, **fields)
    assert field in refused.value.errors
    assert not Report.objects.exists() and not Case.objects.exists()


def test_a_grid_chosen_by_hand_when_there_is_no_fix(worker):
    report = Report.objects.get(pk=submit(worker, location=None, region="45032410620001").object_id)
    assert report.located == "hand" and report.case.region.code == "45032410620001"


def test_an_informants_report_waits_for_the_worker_to_verify_and_register_it(worker, informant, worker2):
    report = Report.objects.get(pk=submit(informant).object_id)
    assert report.state == Report.State.PENDING and report.case is None
    with pytest.raises(NotAllowed):
        services.report_register(actor=informant, report=report)
    with pytest.raises(Invalid):
        services.report_register(actor=worker2, report=report)  # another village's worker
    services.report_register(actor=worker, report=report)
    report.refresh_from_db()
    assert report.state == Report.State.REGISTERED and report.registered_by == worker.user
    assert "信息员信息员甲报告" in report.case.description and report.case.first_unit == worker.unit
    with pytest.raises(Conflict):
        services.report_register(actor=worker, report=report)


def test_roles_without_grid_work_may_not_report(persona):
    with pytest.raises(NotAllowed):
        submit(persona("clerk"))
