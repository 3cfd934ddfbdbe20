"""十户联防: the group's call list is notified in order through the configured notifier; the
database-log notifier keeps each message with the phone sealed; acknowledgements are recorded."""

import pytest

from yimen.core.crypto import sm4_decrypt
from yimen.core.errors import Conflict, Invalid
from yimen.fieldwork import services
from yimen.fieldwork.models import AlertCall, NotifierMessage
from yimen.people.tests.samples import make_defence_group, make_resident

pytestmark = pytest.mark.django_db
SENT: list[tuple[str, str]] = []


class RecordingNotifier:
    def send(self, to_phone: str, message: str) -> str:
        SENT.append((to_phone, message))
        return f"ok {len(SENT)}"


def test_the_call_list_is_notified_in_order(worker, chief, settings, django_capture_on_commit_callbacks):
    settings.YIMEN_NOTIFIER = "yimen.fieldwork.tests.test_alerts.RecordingNotifier"
    SENT.clear()
    group = make_defence_group(chief)
    callers = [call.person for call in group.calls.order_by("position")]
    with django_capture_on_commit_callbacks(execute=True):
        alert = services.defence_alert_raise(actor=worker, household=group.lead, message="有人撬门")
    assert [phone for phone, _ in SENT] == [sm4_decrypt(p.phone_cipher) for p in callers]
    assert all("有人撬门" in message and group.name in message for _, message in SENT)
    assert list(alert.calls.values_list("person", "result")) == [(p.pk, f"ok {i}") for i, p in enumerate(callers, 1)]


def test_the_database_log_notifier_keeps_messages_sealed(worker, chief, django_capture_on_commit_callbacks):
    group = make_defence_group(chief)
    with django_capture_on_commit_callbacks(execute=True):
        services.defence_alert_raise(actor=worker, household=group.lead, message="火情")
    rows = list(NotifierMessage.objects.all())
    assert len(rows) == 3 and all("****" in row.to_phone_masked for row in rows)
    assert sm4_decrypt(rows[0].to_phone_cipher) == sm4_decrypt(group.calls.get(position=1).person.phone_cipher)


def test_acknowledgement_once_and_refusals(worker, worker2, chief):
    group = make_defence_group(chief)
    alert = services.defence_alert_raise(actor=worker, household=group.lead, message="可疑人员")
    call = alert.calls.get(position=1)
    assert services.alert_acknowledge(actor=worker, call=call).acknowledged_at is not None
    with pytest.raises(Conflict):
        services.alert_acknowledge(actor=worker, call=AlertCall.objects.get(pk=call.pk))
    with pytest.raises(Invalid):
        services.defence_alert_raise(actor=worker2, household=group.lead, message="越界")
    lonely = make_resident(chief, "独居户", seq=90).household
    with pytest.raises(Invalid) as refused:
        services.defence_alert_raise(actor=worker, household=lonely, message="求助")
    assert "未加入十户联防组" in refused.value.errors["household"][0]
