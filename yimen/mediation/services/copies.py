"""The parties' copies of the 人民调解协议书: the stored copy is masked; the copies the parties
sign and take to the court for 司法确认 identify them by their full ID numbers (issue 21 item 7)."""

from django.db import transaction

from yimen.cases.models import Case
from yimen.cases.services import case_parties_id_numbers
from yimen.core.documents import Paper
from yimen.core.errors import Conflict
from yimen.mediation.models import Agreement
from yimen.mediation.paper import agreement_paper
from yimen.mediation.services._base import mediating_parties
from yimen.org.models import Membership


@transaction.atomic
def agreement_for_parties(*, case: Case, actor: Membership, purpose: str, ip: str = "") -> Paper:
    """协议书（当事人持有）: the written agreement with each party's full ID number, for a member
    who acts on the case (cases.rules.may_reveal_party), with a purpose recorded in the audit log
    (个人信息保护法 art. 6). Drawn fresh and never stored, so the case's 文书 card keeps only
    the masked copy. 409 when the case has no written agreement (an oral one has no paper)."""
    agreement = Agreement.objects.filter(mediation__case=case, oral=False).select_related("mediator").first()
    if agreement is None:
        raise Conflict("该案件尚无书面调解协议。", code="no_agreement")
    parties = mediating_parties(case)
    numbers = case_parties_id_numbers(
        case=case, actor=actor, parties=parties, purpose=purpose, document="人民调解协议书（当事人持有）", ip=ip
    )
    return agreement_paper(case=case, agreement=agreement, parties=parties, id_numbers=numbers)
