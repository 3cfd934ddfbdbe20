"""The written documents of a petition (信访工作条例), each one Paper rendered as DOCX and PDF:
受理告知书 (arts. 22–23, 32), 处理意见书 / 复查意见书 / 复核意见书 (arts. 33–36) and 延期告知书
(art. 34). The texts name the petitioner, the matter, the dates, the handling body, the
statutory time limits and the petitioner's next remedy, or that the answer is final."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from yimen.cases.models import Case, Party
from yimen.core.deadlines import deadline_natural_days
from yimen.core.documents import Fields, Heading, Paper, Para
from yimen.geo.models import Region
from yimen.petitions.models import PetitionRecord
from yimen.petitions.rules import REQUEST_DAYS

Level = PetitionRecord.Level
OPINION_KINDS = {Level.ORIGINAL: "handling_opinion", Level.REVIEW: "review_opinion", Level.REREVIEW: "rereview_opinion"}
OPINION_TITLES = {
    Level.ORIGINAL: "信访事项处理意见书",
    Level.REVIEW: "信访事项复查意见书",
    Level.REREVIEW: "信访事项复核意见书",
}
HANDLING_LIMIT = {
    Level.ORIGINAL: (
        "自受理之日起 60 日内办结；情况复杂的，经批准可延长，延长不超过 30 日，并告知延期理由（信访工作条例第三十四条）"
    ),
    Level.REVIEW: "自收到复查请求之日起 30 日内提出复查意见（信访工作条例第三十五条）",
    Level.REREVIEW: "自收到复核请求之日起 30 日内提出复核意见（信访工作条例第三十六条）",
}


def day(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日"


def petitioner(case: Case) -> str:
    """申请人，或集体访的代表人与人数: “张三、李四等 23 人（代表人：张三、李四）”."""
    parties = list(case.parties.all())
    applicants = [p.name for p in parties if p.role == Party.Role.APPLICANT]
    representatives = [p.name for p in parties if p.role == Party.Role.REPRESENTATIVE]
    names = applicants or representatives or ["信访人"]
    text = "、".join(names)
    if case.group_size > len(names):
        text += f"等 {case.group_size} 人"
    if representatives and applicants:
        text += f"（代表人：{'、'.join(representatives)}）"
    elif representatives:
        text += "（代表人）"
    return text


def county_government(case: Case) -> str:
    """The body one level above a township's: the county people's government (复查 goes to the
    handling body's people's government at the same level or its superior, art. 35)."""
    county = Region.objects.filter(code__in=case.region.ancestor_codes, level=Region.Level.COUNTY).first()
    return f"{county.name}人民政府" if county else "上一级人民政府"


def _number(case: Case, word: str) -> str:
    return f"{case.first_unit.name}信{word}〔{timezone.localtime(case.received_at).year}〕{case.code[-6:]}号"


def _matter(case: Case, record: PetitionRecord) -> Fields:
    rows = [
        ("信访人", petitioner(case)),
        ("信访事项", case.title),
        ("事项编码", case.code),
        ("信访形式", record.get_form_display() + ("（集体访）" if record.is_group else "")),
        ("收到日期", day(case.received_at)),
    ]
    if record.review_of_id:
        rows.append((f"请求{record.get_level_display()}的事项", record.review_of.code))
    return Fields(rows)


@dataclass(frozen=True)
class Notice:
    accepted: bool
    reason: str  # why not accepted (the decline or referral reason); "" when accepted
    handling_unit: str


def acceptance_notice(case: Case, record: PetitionRecord, notice: Notice, *, at: datetime) -> Paper:
    """受理告知书: received, accepted or not and why, the handling body, the time limit, and the
    right to request 复查 within 30 days of the handling opinion."""
    blocks = [_matter(case, record)]
    if notice.accepted:
        blocks += [
            Heading("告知事项"),
            Para(
                f"你（们）反映的上述信访事项，本机关已于{day(case.accepted_at or at)}依法受理，"
                f"由{notice.handling_unit}负责办理。"
            ),
            Fields([("办理期限", HANDLING_LIMIT[record.level]), ("办结期限", day(case.deadline))]),
        ]
        if record.level == Level.ORIGINAL:
            blocks.append(
                Para(
                    "对处理意见不服的，可以自收到处理意见书之日起 30 日内请求原办理机关的本级人民政府"
                    "或者上一级主管部门复查（信访工作条例第三十五条）。"
                )
            )
        elif record.level == Level.REVIEW:
            blocks.append(
                Para(
                    "对复查意见不服的，可以自收到复查意见书之日起 30 日内向复查机关的上一级机关请求复核"
                    "（信访工作条例第三十六条）。"
                )
            )
        else:
            blocks.append(Para("复核意见为该信访事项的最终意见（信访工作条例第三十六条）。"))
    else:
        blocks += [
            Heading("告知事项"),
            Para(f"你（们）反映的上述信访事项，本机关决定不予受理。理由：{notice.reason}"),
            Para("请依照法律、法规规定的途径提出，或向有权处理的机关反映（信访工作条例第二十二条、第二十九条）。"),
        ]
    blocks.append(Para("本告知书依照信访工作条例第二十二条、第二十三条于收到信访事项之日起 15 日内书面告知。"))
    return Paper(
        title="信访事项受理告知书" if notice.accepted else "信访事项不予受理告知书",
        issuer=case.first_unit.name,
        number=_number(case, "告"),
        dated=timezone.localtime(at).date(),
        blocks=blocks,
        footer="本告知书一式两份，一份送达信访人，一份存档。",
    )


@dataclass(frozen=True)
class Opinion:
    facts: str
    basis: str
    opinion: str
    next_body: str  # where to request the next level ("" after 复核)


def opinion_paper(case: Case, record: PetitionRecord, opinion: Opinion, *, issuer: str, at: datetime) -> Paper:
    """处理意见书 / 复查意见书 / 复核意见书: facts found, basis, the opinion, and the next remedy
    (复查 or 复核 within 30 days, with the body to apply to) or that the matter is final."""
    until = day(deadline_natural_days(at, REQUEST_DAYS))
    blocks = [
        _matter(case, record),
        Heading("一、查明的事实"),
        Para(opinion.facts),
        Heading("二、处理依据"),
        Para(opinion.basis),
        Heading("三、处理意见" if record.level == Level.ORIGINAL else f"三、{record.get_level_display()}意见"),
        Para(opinion.opinion),
        Heading("四、救济途径"),
    ]
    if record.level == Level.ORIGINAL:
        blocks.append(
            Para(
                f"信访人对本处理意见不服的，可以自收到本意见书之日起 30 日内（至 {until}）"
                f"向{opinion.next_body}请求复查（信访工作条例第三十五条）。"
            )
        )
    elif record.level == Level.REVIEW:
        blocks.append(
            Para(
                f"信访人对本复查意见不服的，可以自收到本意见书之日起 30 日内（至 {until}）"
                f"向{opinion.next_body}请求复核（信访工作条例第三十六条）。"
            )
        )
    else:
        blocks.append(
            Para(
                "本复核意见为最终意见。信访人对复核意见不服，仍以同一事实和理由提出信访的，不再受理（信访工作条例第三十六条）。"
            )
        )
    return Paper(
        title=OPINION_TITLES[record.level],
        issuer=issuer,
        number=_number(case, {"original": "处", "review": "复查", "rereview": "复核"}[record.level]),
        dated=timezone.localtime(at).date(),
        blocks=blocks,
        footer="本意见书送达信访人，并抄送首接单位存档。",
    )


def extension_notice(case: Case, record: PetitionRecord, *, days: int, reason: str, at: datetime) -> Paper:
    """延期告知书 (art. 34): the extension, its reasons and the new deadline."""
    return Paper(
        title="信访事项延期办理告知书",
        issuer=case.lead_unit.name if case.lead_unit else case.first_unit.name,
        number=_number(case, "延"),
        dated=timezone.localtime(at).date(),
        blocks=[
            _matter(case, record),
            Heading("告知事项"),
            Para(
                f"你（们）反映的上述信访事项情况复杂，经本机关负责人批准，办理期限延长 {days} 日，"
                f"至{day(case.deadline)}。"
            ),
            Fields([("延期理由", reason)]),
            Para("延长期限不超过 30 日（信访工作条例第三十四条）。"),
        ],
    )
