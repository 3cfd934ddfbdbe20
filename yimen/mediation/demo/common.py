"""What the demo modules share: constants, the timeline rows and issuing an agreement."""

import random
from datetime import datetime

from yimen.cases.documents import document_rows
from yimen.cases.models import Case, CaseDocument, TimelineEvent
from yimen.mediation.models import Agreement
from yimen.mediation.paper import agreement_paper
from yimen.org.models import Membership, Unit

TOWN = "450324106"
UNCLE = "唐德明与侄子唐志强田土边界纠纷（叔侄互殴）"
CONSULT = "蒋秀兰咨询离婚及家庭暴力问题"
MEDIATING = ("judicial", "mediation", "court", "police")  # town units that mediate (code suffix)
SKILLS = ["邻里", "土地", "山林", "婚姻家庭", "赡养", "劳资", "借贷", "交通事故", "宅基地", "医疗"]
QUNYING = ["退休教师", "退休村干部", "老党员", "族中长辈", "退休乡镇干部", "乡贤", "退伍军人", "妇女代表"]
# share of final results for a mediation that ran its course
RESULTS = [("agreement", 74), ("partial", 8), ("failed", 13), ("declined", 5)]
PLACES = {"village": "村委会调解室", "town": "综治中心调解室"}
MINUTES_END = {
    "agreement": "双方达成一致。",
    "partial": "双方就部分事项达成一致。",
    "failed": "双方分歧较大。",
    "continue": "约定下次调解时间。",
}


def _pick(rng: random.Random, weighted) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def _event(case: Case, action: str, at: datetime, unit: Unit, note: str, actor: Membership | None = None):
    return TimelineEvent(
        case=case,
        at=at,
        action=action,
        from_state=case.state,
        to_state=case.state,
        note=note,
        unit=unit,
        actor=actor.user if actor else None,
        actor_name=(actor.user.name if actor else "") or unit.name,
    )


def _issue(case: Case, agreement: Agreement, parties: list, at: datetime) -> None:
    """The agreement as it was issued then (history, written with its own time like the rest)."""
    paper = agreement_paper(case=case, agreement=agreement, parties=parties)
    CaseDocument.objects.bulk_create(document_rows(case, "agreement", paper, issued_at=at))
