"""The unit inbox buckets, the centre's queues, similar-case hints and attachments."""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yimen.cases import rules, selectors, services
from yimen.cases.models import Attachment
from yimen.cases.tests.conftest import POLICE, act, at, case_in, register
from yimen.core.errors import Invalid, NotAllowed


def test_unit_inbox_buckets(seats, time_machine):
    time_machine.move_to(at(2026, 3, 2, 9))
    pending = case_in("dispatched", seats)
    working = case_in("in_progress", seats)
    urgent = act("accept", register(seats["clerk"], kind="incident", title="打架"), seats["clerk"])
    urgent = act("dispatch", urgent, seats["dispatcher"], lead_unit=POLICE)
    act("sign", urgent, seats["police"])
    done = case_in("replied", seats)
    time_machine.move_to(at(2026, 3, 2, 12))  # the incident's 2 hours are over
    police = seats["police"]

    def codes(bucket):
        return {a.case.code for a in selectors.unit_inbox(member=police, bucket=bucket)}

    assert codes("pending") == {pending.code}
    assert codes("in_progress") == {working.code, urgent.code}
    assert codes("overdue") == {urgent.code}
    assert codes("done") == {done.code}
    assert selectors.unit_inbox_counts(member=police) == {
        "pending": 1,
        "in_progress": 2,
        "due_soon": 0,
        "overdue": 1,
        "done": 1,
    }
    time_machine.move_to(working.deadline - timedelta(days=1))
    assert working.code in codes("due_soon")


def test_inbox_cost_is_flat(seats):
    for _ in range(3):
        case_in("in_progress", seats)
    with CaptureQueriesContext(connection) as few:
        list(selectors.unit_inbox(member=seats["police"], bucket="in_progress"))
    for _ in range(10):
        case_in("in_progress", seats)
    with CaptureQueriesContext(connection) as many:
        list(selectors.unit_inbox(member=seats["police"], bucket="in_progress"))
    assert len(few) == len(many) == 1


def test_centre_queues(seats):
    case_in("registered", seats)
    case_in("accepted", seats)
    case_in("replied", seats)
    assert selectors.centre_worklist_counts(member=seats["dispatcher"]) == {
        "registered": 1,
        "accepted": 1,
        "disputed": 0,
        "replied": 1,
        "closed": 0,
    }


def test_allowed_actions_follow_role_unit_and_state(seats):
    case = selectors.case_get_visible(member=seats["dispatcher"], code=case_in("dispatched", seats).code)
    assert rules.allowed_actions(case=case, member=seats["police"]) == ["sign", "dispute", "raise_risk", "note"]
    assert rules.allowed_actions(case=case, member=seats["judicial"]) == ["sign", "raise_risk", "note"]
    assert rules.allowed_actions(case=case, member=seats["supervisor"]) == [
        "urge",
        "supervise",
        "censure",
        "raise_risk",
    ]
    assert rules.allowed_actions(case=case, member=seats["clerk"]) == ["note"]  # the first receiver's file
    assert rules.allowed_actions(case=case, member=seats["court"]) == []


def test_similar_cases_by_person_or_place(seats):
    first = register(seats["clerk"], title="第一次来访")
    register(seats["clerk"], title="别村的事", region="45032410620101")
    hints = selectors.similar_cases(member=seats["clerk"], region="450324106200")
    assert [c.code for c in hints] == [first.code]


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


def test_attachments_keep_a_checksum_and_one_event(seats, media):
    case = case_in("in_progress", seats)
    upload = SimpleUploadedFile("现场照片.jpg", b"\xff\xd8\xff photo bytes", content_type="image/jpeg")
    attachment = services.case_attach(case=case, actor=seats["police"], file=upload)
    assert attachment.sha256 == hashlib.sha256(b"\xff\xd8\xff photo bytes").hexdigest()
    assert attachment.size == 15 and attachment.content_type == "image/jpeg"
    assert attachment.file.read() == b"\xff\xd8\xff photo bytes"
    assert case.events.last().action == "attach"
    assert Attachment.objects.filter(case=case).count() == 1
    with pytest.raises(NotAllowed):
        services.case_attach(case=case, actor=seats["court"], file=SimpleUploadedFile("a.txt", b"x"))
    with pytest.raises(Invalid):
        services.case_attach(case=case, actor=seats["police"], file=SimpleUploadedFile("empty.txt", b""))


def test_long_finished_work_is_counted_up_to_a_cap(client, seats, monkeypatch):
    # The counts read the cap where it is defined; the list page reads it from the package.
    monkeypatch.setattr(selectors.inbox, "DONE_COUNT_CAP", 2)
    monkeypatch.setattr(selectors, "DONE_COUNT_CAP", 2)
    for _ in range(3):
        case_in("replied", seats)
    assert selectors.unit_inbox_counts(member=seats["police"])["done"] == 3  # the cap and one more
    client.force_login(seats["police"].user)
    page = client.get("/cases/?tab=done").content.decode()
    assert "已办结 <span" in page and ">2+</span>" in page
    assert "共 逾 2 件" in page
    for _ in range(4):
        register(seats["clerk"])
    assert selectors.centre_worklist_counts(member=seats["clerk"])["registered"] == 3  # 4, counted to 3
