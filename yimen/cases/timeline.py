"""The case timeline (DESIGN §2.3: every step leaves who, which unit, when, what, from which state
to which): `record` is the one way a step appends its event, for the case engine's own verbs and
for the apps that record steps beside a case (mediation, petitions). Each app labels the actions
it records with `register_labels` from its AppConfig.ready(); the pages, the API and the 409
messages read the labels here."""

from datetime import datetime

from django.utils import timezone

from yimen.cases.models import Case, TimelineEvent
from yimen.core.labels import LabelRegistry
from yimen.org.models import Membership

ACTION_LABELS = LabelRegistry(
    "timeline",
    {
        "register": "登记",
        "accept": "受理",
        "decline": "不予受理",
        "dispatch": "派单",
        "sign": "签收",
        "dispute": "退单",
        "redispatch": "改派",
        "reply": "答复",
        "review": "审核",
        "extend": "延期",
        "close": "办结",
        "follow_up": "回访",
        "archive": "归档",
        "merge": "并单",
        "refer": "转办",
        "urge": "催办",
        "supervise": "督办",
        "censure": "通报",
        "raise_risk": "调整风险等级",
        "rate": "群众评价",
        "attach": "上传附件",
        "take": "自办",
        "note": "办理记录",
        "release": "撤回协办",
        "whistle": "吹哨",
        "arrive": "报到",
        "rate_arrival": "报到评价",
        "release_whistle": "撤哨",
        "order_answer": "反馈整改情况",
        "report_upward": "向上报告",
        "party_register": "当事人建档",
    },
)


def register_labels(app_labels: dict[str, str]) -> None:
    """Label the timeline actions an app records (called from its AppConfig.ready())."""
    ACTION_LABELS.register(app_labels)


def label(action: str) -> str:
    return ACTION_LABELS.label(action)


def record(
    case: Case,
    action: str,
    *,
    actor: Membership | None,
    from_state: str | None = None,
    to_state: str | None = None,
    note: str = "",
    data: dict | None = None,
    at: datetime | None = None,
) -> TimelineEvent:
    """Append the step's one timeline event, in the step's transaction. A step that keeps the
    case's state leaves `from_state` and `to_state` out. No actor means the system (the sweep,
    the citizen's rating). An action nobody labelled is refused: it would show as a bare code on
    every timeline."""
    if action not in ACTION_LABELS:
        raise ValueError(f"timeline action {action!r} has no label: register it in the app's AppConfig.ready()")
    from_state = case.state if from_state is None else from_state
    return TimelineEvent.objects.create(
        case=case,
        at=at or timezone.now(),
        actor=actor.user if actor else None,
        actor_name=(actor.user.name or actor.user.username) if actor else "系统",
        unit=actor.unit if actor else None,
        action=action,
        from_state=from_state,
        to_state=from_state if to_state is None else to_state,
        note=note,
        data=data or {},
    )


def iso(moment: datetime | None) -> str | None:
    """A time as event data keeps it: ISO 8601 in Beijing time (API.md), None for none."""
    return timezone.localtime(moment).isoformat() if moment else None
