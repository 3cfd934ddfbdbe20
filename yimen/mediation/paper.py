"""The 人民调解协议书 as a Paper (rendered to DOCX and PDF by yimen.core.documents), with what
人民调解法 art. 29 requires: the parties' names and basic facts about them, the main facts of
the dispute, the points in dispute, each party's responsibility, the agreed terms, the manner
and time of performance; signature lines for each party and the mediator, the committee's seal
line, and one copy for each party plus one kept by the committee.

The copy the system keeps (readable by everyone who may open the case) prints ID numbers masked
(450324********1234). The copies handed to the parties to sign and take to the court for 司法确认
carry the full numbers: they are drawn fresh on request by a member who acts on the case, with
a purpose, audited (mediation.services.agreement_for_parties), and never stored (issue 21
item 7)."""

from django.utils import timezone

from yimen.cases.models import Case, Party
from yimen.core.documents import Fields, Heading, Paper, Para, Signatures
from yimen.mediation.models import Agreement

EFFECT = (
    "本协议自各方当事人签名（盖章或按指印）、人民调解员签名并加盖人民调解委员会印章之日起生效（人民调解法第二十九条）。"
)


def copies_line(copies: int) -> str:
    return f"本协议一式 {copies} 份，当事人各执一份，调解委员会留存一份。"


def _basics(party: Party, full_id: str = "") -> str:
    person = party.person
    parts = [party.name]
    if person is not None:
        parts += [person.get_gender_display(), f"{person.birth_date.year}年生"]
    shown = full_id or party.id_number_masked or (person.id_number_masked if person else "")
    if shown:
        parts.append(f"身份证号 {shown}")
    address = person.address if person and person.address else ""
    if person and not address and person.household_id:
        address = person.household.address
    if address:
        parts.append(f"住址：{address}")
    return "，".join(parts)


def agreement_paper(
    *, case: Case, agreement: Agreement, parties: list[Party], id_numbers: dict[int, str] | None = None
) -> Paper:
    """The agreement; `id_numbers` ({party id: full number}) only for the parties' copies."""
    id_numbers = id_numbers or {}
    signed = timezone.localtime(agreement.signed_at).date()
    due = agreement.performance_due
    title = "人民调解协议书" + ("（部分达成）" if agreement.partial else "")
    return Paper(
        title=title,
        issuer=agreement.committee,
        number=f"案件编码：{case.code}",
        dated=signed,
        blocks=[
            Heading("当事人"),
            Fields([(party.get_role_display(), _basics(party, id_numbers.get(party.pk, ""))) for party in parties]),
            Heading("纠纷的主要事实"),
            Para(agreement.facts),
            Heading("争议事项"),
            Para(agreement.dispute_points),
            Heading("各方当事人的责任"),
            Para(agreement.responsibilities),
            Heading("经调解，各方当事人自愿达成如下协议"),
            Para(agreement.terms),
            Heading("履行方式和时间"),
            Para(f"{agreement.performance_manner}；于 {due.year}年{due.month}月{due.day}日 前履行完毕。"),
            Para(EFFECT),
            Para(copies_line(agreement.copies)),
            Signatures([f"{p.get_role_display()} {p.name}（签名或按指印）" for p in parties]),
            Signatures([f"人民调解员 {agreement.mediator.name}（签名）"]),
            Para(f"{agreement.committee}（印章）"),
        ],
        footer="当事人可自本协议生效之日起三十日内共同向人民法院申请司法确认（人民调解法第三十三条）。",
    )
