"""The phone's 应急任务 page (/m/tasks/): the unit's open tasks in the grid app's layout; accept and
done come back to it; a progress report from the phone's outbox (photos list, GPS, an
Idempotency-Key on every retry) is kept once."""

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from yimen.emergency import services
from yimen.emergency.models import IncidentTask, TaskProgress

from .conftest import call

POLICE = "450324106-police"
TOWN = "450324106"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def tasks_for_police(seats, n: int = 1) -> list[IncidentTask]:
    incident = services.incident_declare(
        actor=seats["emergency"], title="唐某上山未归", kind="missing", level=4, region=TOWN, units=[POLICE]
    )
    return [
        services.incident_task_create(
            actor=seats["emergency"],
            incident=incident,
            unit=POLICE,
            title=f"搜寻第{k}片山林",
            due_at=timezone.now() + timedelta(hours=k - 1),
        )
        for k in range(n)
    ]


@pytest.mark.parametrize("n", [1, 5])
def test_the_phone_lists_the_units_open_tasks_at_a_flat_cost(client, seats, outbox, django_assert_num_queries, n):
    made = tasks_for_police(seats, n)
    client.force_login(seats["police"].user)
    client.get("/m/tasks/")
    with django_assert_num_queries(7):
        page = client.get("/m/tasks/")
    text = page.content.decode()
    assert page.status_code == 200 and "网格工作" in text  # the phone layout
    assert all(t.title in text for t in made)
    assert f'data-url="/api/v1/incidents/{made[0].incident_id}/tasks/{made[0].pk}/progress"' in text
    client.force_login(seats["court"].user)
    assert 'data-testid="m-no-tasks"' in client.get("/m/tasks/").content.decode()


def test_accept_and_done_from_the_phone_come_back_to_it(client, seats, outbox):
    (task,) = tasks_for_police(seats)
    client.force_login(seats["police"].user)
    accepted = client.post(f"/m/tasks/{task.incident_id}/{task.pk}/accept/")
    assert accepted.status_code == 302 and accepted.url == "/m/tasks/"
    page = client.get("/m/tasks/").content.decode()
    assert "已接收任务" in page and f"m-accept-{task.pk}" not in page
    client.post(f"/m/tasks/{task.incident_id}/{task.pk}/done/", {"note": "已找到"})
    task.refresh_from_db()
    assert task.state == IncidentTask.State.DONE and task.note == "已找到"
    after = client.get("/m/tasks/").content.decode()
    assert "已报告完成" in after and f'data-task="{task.pk}"' not in after  # off the list
    # Another unit's phone may not move the task.
    client.force_login(seats["court"].user)
    assert client.post(f"/m/tasks/{task.incident_id}/{task.pk}/accept/").status_code == 404


def test_a_retried_outbox_progress_report_is_kept_once(client, seats, outbox, media):
    (task,) = tasks_for_police(seats)
    url = f"/api/v1/incidents/{task.incident_id}/tasks/{task.pk}/progress"
    body = {
        "note": "在后山垭口发现脚印",
        "location": {"lat": 25.861, "lng": 110.99},
        "photos": ["data:image/jpeg;base64," + base64.b64encode(JPEG).decode()],
    }
    first = call(client, seats["police"], "post", url, body, **{"Idempotency-Key": "phone-1"})
    again = call(client, seats["police"], "post", url, body, **{"Idempotency-Key": "phone-1"})
    assert first.status_code == again.status_code == 201, first.json()
    assert first.json()["id"] == again.json()["id"] and first.json()["photo"] is True
    assert TaskProgress.objects.filter(task=task).count() == 1
    other = call(client, seats["police"], "post", url, {**body, "note": "另一条"}, **{"Idempotency-Key": "phone-1"})
    assert other.status_code == 409
    two = call(client, seats["police"], "post", url, {**body, "photos": body["photos"] * 2})
    assert two.status_code == 422


def test_the_phone_apps_home_shows_the_villages_open_incident_tasks(client, seats, outbox):
    village = seats["gridchief"].unit
    incident = services.incident_declare(
        actor=seats["emergency"], title="唐某上山未归", kind="missing", level=4, region=TOWN, units=[village.code]
    )
    client.force_login(seats["gridchief"].user)
    assert 'data-testid="m-incident-card"' not in client.get("/m/").content.decode()  # no task yet
    for hours in (-1, 2):
        services.incident_task_create(
            actor=seats["emergency"],
            incident=incident,
            unit=village.code,
            title="组织村民搜山",
            due_at=timezone.now() + timedelta(hours=hours),
        )
    home = client.get("/m/").content.decode()
    assert 'data-testid="m-incident-card"' in home and "2 项应急任务未完成" in home and "1 项已超时" in home
    assert 'href="/m/tasks/"' in home
    assert "组织村民搜山" in client.get("/m/tasks/").content.decode()
