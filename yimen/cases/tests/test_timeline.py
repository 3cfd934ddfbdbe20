"""cases.timeline: the one way a step appends its event, and the label registry every app fills
from its AppConfig.ready() (the audit log's registry is the same mechanism)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from yimen.cases import timeline
from yimen.cases.models import TimelineEvent
from yimen.core import audit
from yimen.core.labels import LabelRegistry

from .conftest import register

pytestmark = pytest.mark.django_db


def test_a_step_keeping_the_state_records_who_acted_where(seats):
    case = register(seats["clerk"])
    event = timeline.record(case, "attach", actor=seats["clerk"], note="照片.jpg")
    assert (event.from_state, event.to_state) == (case.state, case.state)
    assert event.unit == seats["clerk"].unit and event.actor_name == (seats["clerk"].user.name or "clerk")
    swept = timeline.record(case, "urge", actor=None)
    assert swept.actor is None and swept.actor_name == "系统"


def test_an_unlabelled_action_is_refused_and_writes_nothing(seats):
    case = register(seats["clerk"])
    before = TimelineEvent.objects.filter(case=case).count()
    with pytest.raises(ValueError, match="no label"):
        timeline.record(case, "made_up_step", actor=seats["clerk"])
    assert TimelineEvent.objects.filter(case=case).count() == before


def test_each_app_labels_its_own_actions():
    # Mediation and petitions register theirs from their AppConfig.ready(): the engine lists none.
    assert timeline.label("mediation_session") == "记录调解"
    assert timeline.label("petition_opinion") == "出具信访意见书"
    assert audit.action_label("mediator_create") == "登记调解员"
    assert timeline.label("gone_app_step") == "gone_app_step"  # an old row shows as its code


def test_one_code_cannot_be_given_two_labels():
    registry = LabelRegistry("test", {"sign": "签收"})
    registry.register({"sign": "签收", "rate": "群众评价"})  # the same label again is fine
    with pytest.raises(ImproperlyConfigured):
        registry.register({"sign": "签字"})
    assert registry.label("sign") == "签收"
    with pytest.raises(ImproperlyConfigured):
        timeline.register_labels({"reply": "回复"})
    with pytest.raises(ImproperlyConfigured):
        audit.register_labels({"login": "登入"})
