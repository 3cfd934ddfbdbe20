"""督办单 (issue 14 part 7): 督办 and 通报 carry a typed reason and issue a numbered order with its
correction deadline, as DOCX and PDF; the addressed unit answers once with its correction record;
the supervision board lists the open orders, the overdue first."""

import re
from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from yimen.cases import selectors, services
from yimen.cases.models import SupervisionOrder, TimelineEvent
from yimen.cases.tests.conftest import POLICE, act, at, case_in
from yimen.cases.tests.test_api import bearer
from yimen.cases.tests.test_documents import docx_text, pdf_text
from yimen.core.errors import Conflict, Invalid, NotAllowed


def supervised(seats, **fields):
    case = case_in("in_progress", seats)
    return act("supervise", case, seats["supervisor"], **{"reason_type": "not_handled", "note": "请加快", **fields})


def test_supervise_issues_a_numbered_order_to_the_lead_unit_with_its_deadline(seats):
    case = supervised(seats, correct_within_days=3)
    order = case.supervision_orders.get()
    assert re.fullmatch(r"督字〔\d{4}〕第0001号", order.number)
    assert (order.kind, order.reason_type, order.text, order.unit.code) == (
        "supervise",
        "not_handled",
        "请加快",
        POLICE,
    )
    assert timedelta(days=3) <= order.correct_by - order.issued_at <= timedelta(days=8)  # 3 working days
    event = case.events.last()
    assert (event.action, event.data["reason_type"], event.data["order"]) == ("supervise", "not_handled", order.number)
    assert case.events.filter(action="supervise").count() == 1
    second = act("censure", case, seats["supervisor"], reason_type="overdue")
    numbers = list(second.supervision_orders.values_list("number", flat=True))
    assert numbers[1].endswith("第0002号")  # one yearly counter


def test_urge_takes_an_optional_reason_and_issues_no_order(seats):
    case = act("urge", case_in("in_progress", seats), seats["supervisor"])
    case = act("urge", case, seats["supervisor"], reason_type="overdue")
    assert case.events.filter(action="urge").last().data["reason_type"] == "overdue"
    assert not case.supervision_orders.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "reason_type"),
        ({"reason_type": "whatever"}, "reason_type"),
        ({"reason_type": "other"}, "note"),  # 其他 needs the text
        ({"reason_type": "overdue", "correct_within_days": 31}, "correct_within_days"),
    ],
)
def test_supervise_and_censure_refuse_a_missing_or_bad_reason(seats, fields, field):
    case = case_in("in_progress", seats)
    for action in ("supervise", "censure"):
        with pytest.raises(Invalid) as refused:
            act(action, case, seats["supervisor"], **fields)
        assert field in refused.value.errors
    assert not SupervisionOrder.objects.exists() and not case.events.filter(action="supervise").exists()


def test_the_order_documents_open_and_carry_number_and_deadline(client, seats):
    case = supervised(seats)
    order = case.supervision_orders.get()
    headers = bearer(seats["police"])
    listed = client.get(f"/api/v1/cases/{case.code}/supervision-orders", headers=headers).json()
    assert [o["number"] for o in listed] == [order.number] and listed[0]["reason_label"] == "应办理未办理"
    deadline = timezone.localtime(order.correct_by).strftime("%Y年%m月%d日")
    for doc in listed[0]["documents"]:
        body = client.get(doc["url"], headers=headers)
        assert body.status_code == 200 and body["Content-Type"] == doc["content_type"]
        text = pdf_text(body.content) if doc["url"].endswith("pdf") else docx_text(body.content)
        assert order.number in text and deadline in text and "应办理未办理" in text


def test_the_addressed_unit_answers_once(client, seats):
    case = supervised(seats)
    order = case.supervision_orders.get()
    url = f"/api/v1/cases/{case.code}/supervision-orders/{order.pk}/answer"
    empty = client.post(url, {"text": "  "}, content_type="application/json", headers=bearer(seats["police"]))
    assert empty.status_code == 422 and "text" in empty.json()["errors"]
    answer = client.post(
        url, {"text": "已约谈当事人，三日内调处完毕"}, content_type="application/json", headers=bearer(seats["police"])
    )
    assert answer.status_code == 200 and answer.json()["answer"] == "已约谈当事人，三日内调处完毕"
    again = client.post(url, {"text": "再次反馈"}, content_type="application/json", headers=bearer(seats["police"]))
    assert again.status_code == 409 and again.json()["code"] == "already_answered"
    assert TimelineEvent.objects.filter(case=case, action="order_answer").count() == 1


def test_only_a_handler_of_the_addressed_unit_answers(seats):
    case = supervised(seats)
    order = case.supervision_orders.get()
    with pytest.raises(NotAllowed):  # support unit on the case, but not addressed
        services.supervision_order_answer(order=order, actor=seats["judicial"], text="整改")
    with pytest.raises(NotAllowed):  # the centre may not answer for the unit
        services.supervision_order_answer(order=order, actor=seats["supervisor"], text="整改")
    order.refresh_from_db()
    assert order.answered_at is None


def test_another_case_hides_the_order_and_a_hidden_case_is_404(client, seats):
    case = supervised(seats)
    order = case.supervision_orders.get()
    other = case_in("accepted", seats)
    with pytest.raises(Http404):
        selectors.supervision_order_get(case=other, order_id=order.pk)
    hidden = client.get(f"/api/v1/cases/{case.code}/supervision-orders", headers=bearer(seats["court"]))
    assert hidden.status_code == 404


def test_the_board_lists_open_orders_overdue_first_and_drops_answered_ones(client, seats, time_machine):
    time_machine.move_to(at(2026, 3, 2, 9))  # a Monday
    first = supervised(seats, correct_within_days=10)
    second = supervised(seats, correct_within_days=1)
    third = supervised(seats, correct_within_days=2)
    time_machine.move_to(at(2026, 3, 4, 9))  # the 1-day order is overdue, the others not yet
    open_orders = list(selectors.supervision_orders_open(member=seats["supervisor"]))
    assert [o.case for o in open_orders] == [second, third, first]  # the overdue one first
    assert [o.is_overdue for o in open_orders] == [True, False, False]
    services.supervision_order_answer(order=open_orders[1], actor=seats["police"], text="已整改")
    client.force_login(seats["supervisor"].user)
    page = client.get("/cases/supervision/").content.decode()
    assert open_orders[0].number in page and "逾期未反馈" in page
    assert first.supervision_orders.get().number in page and open_orders[1].number not in page


def test_the_case_page_answers_and_keeps_the_text_on_refusal(client, seats):
    case = supervised(seats)
    order = case.supervision_orders.get()
    client.force_login(seats["police"].user)
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert order.number in page and f'data-testid="answer-form-{order.pk}"' in page
    url = f"/cases/{case.code}/supervision-orders/{order.pk}/answer/"
    refused = client.post(url, {"text": ""})
    assert refused.status_code == 422 and "请填写整改情况" in refused.content.decode()
    assert client.post(url, {"text": "已整改到位"}).status_code == 302
    stale = client.post(url, {"text": "第二次反馈的内容"})
    assert stale.status_code == 409 and "第二次反馈的内容" in stale.content.decode()
    client.force_login(seats["judicial"].user)  # on the case, not addressed: no form
    assert "answer-form" not in client.get(f"/cases/{case.code}/").content.decode()


def test_the_supervise_form_on_the_page_needs_a_reason(client, seats):
    case = case_in("in_progress", seats)
    client.force_login(seats["supervisor"].user)
    url = f"/cases/{case.code}/actions/supervise/"
    refused = client.post(url, {"version": case.version, "note": "请尽快"})
    assert refused.status_code == 422 and "请选择督办事由" in refused.content.decode()
    done = client.post(url, {"version": case.version, "reason_type": "overdue", "correct_within_days": "2"})
    assert done.status_code == 302 and case.supervision_orders.get().reason_type == "overdue"


def test_a_stale_supervise_issues_nothing(seats):
    case = case_in("in_progress", seats)
    with pytest.raises(Conflict):
        services.case_supervise(case=case, actor=seats["supervisor"], version=case.version - 1, reason_type="overdue")
    assert not SupervisionOrder.objects.exists()
