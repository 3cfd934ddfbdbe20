"""Incident life cycle through the API (API.md "Emergency command")."""

from datetime import timedelta
from io import BytesIO

from django.utils import timezone
from docx import Document

from .conftest import call

POLICE = "450324106-police"


def declare(client, member, **extra):
    body = {"title": "才湾村村民唐某走失", "kind": "missing", "level": 4, "region": "450324106", "units": [POLICE]}
    return call(client, member, "post", "/api/v1/incidents", {**body, **extra})


def test_life_cycle_declare_task_report_stand_down_report(client, seats, outbox):
    seats["police"].service_phone = "13800000001"
    seats["police"].save()
    made = declare(client, seats["emergency"])
    assert made.status_code == 201, made.json()
    incident = made.json()
    assert incident["state"] == "active" and incident["code"].startswith("YJ")
    assert any(phone == "13800000001" for phone, _ in outbox)  # the police station was paged at once
    url = f"/api/v1/incidents/{incident['id']}"
    due = (timezone.now() + timedelta(hours=2)).isoformat()
    task = call(
        client, seats["emergency"], "post", f"{url}/tasks", {"unit": POLICE, "title": "沿河搜寻", "due_at": due}
    )
    assert task.status_code == 201 and task.json()["overdue"] is False
    tid = task.json()["id"]
    # Another unit may not report the police station's task done.
    assert call(client, seats["emergency"], "post", f"{url}/tasks/{tid}/done", {"note": "x"}).status_code == 403
    done = call(client, seats["police"], "post", f"{url}/tasks/{tid}/done", {"note": "在河边找到"})
    assert done.status_code == 200 and done.json()["state"] == "done"
    assert call(client, seats["police"], "post", f"{url}/reports", {"text": "人员已送医"}).status_code == 201
    assert call(client, seats["emergency"], "get", f"{url}/documents").json() == []
    closed = call(client, seats["emergency"], "post", f"{url}/stand_down", {"summary": "两小时内找到，处置得当。"})
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    documents = call(client, seats["emergency"], "get", f"{url}/documents").json()
    assert {d["content_type"] for d in documents} == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    docx_url = next(d["url"] for d in documents if "docx" in d["url"])
    docx = call(client, seats["emergency"], "get", docx_url)
    text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    assert "两小时内找到" in text and "人员已送医" in text
    pdf = call(client, seats["emergency"], "get", docx_url.replace("docx", "pdf"))
    assert pdf.content.startswith(b"%PDF")
    # A closed incident takes no more tasks.
    again = call(client, seats["emergency"], "post", f"{url}/tasks", {"unit": POLICE, "title": "再搜", "due_at": due})
    assert again.status_code == 409


def test_task_to_a_unit_outside_the_incident_is_422(client, seats, outbox):
    incident = declare(client, seats["emergency"], units=[]).json()
    due = timezone.now().isoformat()
    answer = call(
        client,
        seats["emergency"],
        "post",
        f"/api/v1/incidents/{incident['id']}/tasks",
        {"unit": POLICE, "title": "搜", "due_at": due},
    )
    assert answer.status_code == 422 and "unit" in answer.json()["errors"]


def test_overdue_task_is_flagged(client, seats, outbox):
    incident = declare(client, seats["emergency"]).json()
    past = (timezone.now() - timedelta(minutes=5)).isoformat()
    url = f"/api/v1/incidents/{incident['id']}"
    call(client, seats["emergency"], "post", f"{url}/tasks", {"unit": POLICE, "title": "设卡", "due_at": past})
    assert call(client, seats["police"], "get", url).json()["tasks"][0]["overdue"] is True


def test_who_may_declare_and_bad_fields(client, seats, outbox):
    assert declare(client, seats["police"]).status_code == 403
    assert declare(client, seats["clerk"]).status_code == 403
    for name in ("zhengfa", "dispatcher", "leader"):
        assert declare(client, seats[name]).status_code == 201, name
    bad = declare(client, seats["emergency"], level=5)
    assert bad.status_code == 422 and "level" in bad.json()["errors"]
    assert declare(client, seats["emergency"], case="NOPE").status_code == 422


def test_unit_outside_the_incident_gets_404(client, seats, outbox):
    incident = declare(client, seats["emergency"], units=[]).json()
    assert call(client, seats["police"], "get", f"/api/v1/incidents/{incident['id']}").status_code == 404
    assert call(client, seats["court"], "get", "/api/v1/incidents").json() == []


def test_idempotent_declare(client, seats, outbox):
    first = declare(client, seats["emergency"], **{}).json()
    body = {"title": "洪水", "kind": "flood", "level": 3, "region": "450324106"}
    a = call(client, seats["emergency"], "post", "/api/v1/incidents", body, **{"Idempotency-Key": "k1"})
    b = call(client, seats["emergency"], "post", "/api/v1/incidents", body, **{"Idempotency-Key": "k1"})
    assert a.json()["id"] == b.json()["id"] != first["id"]
    other = call(
        client, seats["emergency"], "post", "/api/v1/incidents", {**body, "level": 2}, **{"Idempotency-Key": "k1"}
    )
    assert other.status_code == 409


def test_incident_list_has_no_n_plus_one(client, seats, outbox, django_assert_max_num_queries):
    for _ in range(5):
        declare(client, seats["emergency"])
    with django_assert_max_num_queries(12):
        listed = call(client, seats["emergency"], "get", "/api/v1/incidents")
    assert len(listed.json()) == 5 and all(i["state"] == "active" for i in listed.json())
