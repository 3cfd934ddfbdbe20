"""Reaching a party: the full phone and ID number of a case's party, for the unit that must call
them — the police officer assigned a domestic-violence case must be able to reach the victim
(issue 21 item 1) — and every reveal logged with its purpose."""

from yimen.cases.models import Case, Party
from yimen.cases.rules import may_reveal_party
from yimen.core.crypto import sm4_decrypt
from yimen.core.errors import NotAllowed, NotFound
from yimen.core.text import clean_text
from yimen.org.models import Membership
from yimen.org.services import audit_as
from yimen.people.services import PURPOSE_MAX


def case_party_reveal(*, case: Case, actor: Membership, index: int, purpose: str, ip: str = "") -> dict[str, str]:
    """查看当事人联系方式: the full phone and ID number of the case's party at `index` (0-based,
    in the order the case lists them), for a member who may act on the case
    (`may_reveal_party`), with a stated purpose recorded in the audit log (DESIGN §2.5;
    个人信息保护法 art. 6: only for the task at hand). The caller has already found the case
    visible to the actor; a party that does not exist is 404."""
    if not may_reveal_party(actor, case):
        raise NotAllowed("只有承办该案件的单位或有权查看的人员可以查看当事人联系方式。", code="not_assigned")
    purpose = clean_text(purpose, "purpose", "查看目的", limit=PURPOSE_MAX)
    parties = list(Party.objects.filter(case=case).order_by("id"))
    if not 0 <= index < len(parties):
        raise NotFound("该案件没有这位当事人。")
    party = parties[index]
    revealed = {
        "phone": sm4_decrypt(party.phone_cipher) if party.phone_cipher else "",
        "id_number": sm4_decrypt(party.id_number_cipher) if party.id_number_cipher else "",
    }
    detail = {"case": case.code, "party": index, "name": party.name, "phone_masked": party.phone_masked}
    audit_as(actor, action="case_party_reveal", target=f"case:{case.code}", purpose=purpose, ip=ip, detail=detail)
    return revealed


def case_parties_id_numbers(
    *, case: Case, actor: Membership, parties: list[Party], purpose: str, document: str, ip: str = ""
) -> dict[int, str]:
    """The full ID numbers of `parties` (of this case) for a document issued to them — a paper
    the parties sign and take to the court for 司法确认 must identify them in full (人民调解法
    art. 33; 最高人民法院关于人民调解协议司法确认程序的若干规定) — for a member who may act on
    the case, with the purpose and the document named in one audit record. Screens and the
    stored copy stay masked. Returns {party id: number} for the parties that have one."""
    if not may_reveal_party(actor, case):
        raise NotAllowed("只有承办该案件的单位或有权查看的人员可以打印含完整身份证号的文书。", code="not_assigned")
    purpose = clean_text(purpose, "purpose", "用途", limit=PURPOSE_MAX)
    numbers = {p.pk: number for p in parties if p.case_id == case.pk and (number := _id_number(p))}
    detail = {"case": case.code, "document": document, "parties": [p.name for p in parties if p.pk in numbers]}
    audit_as(actor, action="case_party_document", target=f"case:{case.code}", purpose=purpose, ip=ip, detail=detail)
    return numbers


def _id_number(party: Party) -> str:
    """The party's own number as typed at intake, else the registry's for the linked person."""
    cipher = party.id_number_cipher or (party.person.id_number_cipher if party.person_id else "")
    return sm4_decrypt(cipher) if cipher else ""
