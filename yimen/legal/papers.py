"""The 给予法律援助决定书 and 不予法律援助决定书 as Papers (rendered to DOCX and PDF by
yimen.core.documents). Art. 43 ¶1 of 法律援助法: a refusal is told to the applicant in writing
with its reason; art. 49: the applicant who objects may raise it with the 司法行政部门 that set
up the legal-aid body, which reviews within 5 days, and then apply for 行政复议 or sue."""

from django.utils import timezone

from yimen.cases.models import Case, Party
from yimen.core.documents import Fields, Heading, Paper, Para
from yimen.geo.models import Region
from yimen.legal.models import Exemption, LegalAidFile

GRANT_KIND, REFUSAL_KIND = "legal_aid_grant", "legal_aid_refusal"
GRANT_TITLE, REFUSAL_TITLE = "给予法律援助决定书", "不予法律援助决定书"


def day(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日"


def justice_bureau(case: Case) -> str:
    """The 司法行政部门 above a township's judicial office: the county's 司法局 (art. 49)."""
    county = Region.objects.filter(code__in=case.region.ancestor_codes, level=Region.Level.COUNTY).first()
    return f"{county.name}司法局" if county else "设立法律援助机构的司法行政部门"


def remedy(case: Case) -> str:
    bureau = justice_bureau(case)
    return (
        f"申请人对本决定有异议的，可以向设立法律援助机构的司法行政部门（{bureau}）提出；"
        "司法行政部门应当自收到异议之日起五日内进行审查，作出维持或者责令改正的决定。"
        "对司法行政部门维持本决定不服的，可以依法申请行政复议或者提起行政诉讼（《中华人民共和国法律援助法》第四十九条）。"
    )


def _basis(aid: LegalAidFile) -> str:
    if aid.exemption:
        return Exemption(aid.exemption).label
    verdict = "符合" if aid.means_eligible else "不符合"
    return (
        f"经济困难状况核查：家庭人均月收入 {aid.monthly_income} 元，当地标准 {aid.income_standard} 元，"
        f"{verdict}经济困难标准（{day(aid.means_checked_at)}核查）"
    )


def decision_paper(*, case: Case, aid: LegalAidFile, issuer: str) -> Paper:
    """The decision as issued: the parties, the matter, the basis (means check or exemption),
    the decision and its reason; for a grant the 3-day assignment, for a refusal the remedy."""
    parties = list(case.parties.order_by("id"))
    applicants = [p for p in parties if p.role == Party.Role.APPLICANT] or parties[:1]
    names = "、".join(p.name for p in applicants) or "申请人"
    rows = [(p.get_role_display(), p.name) for p in parties]
    rows += [
        ("援助事项", aid.matter or case.title),
        ("申请时间", day(case.received_at)),
        ("审查依据", _basis(aid)),
    ]
    if aid.key_groups:
        rows.append(("重点对象", "、".join(aid.key_group_labels())))
    if aid.granted:
        decision = [
            Para(f"经审查，{names}的申请符合法律援助条件，本机构决定给予法律援助。", bold=True),
            Para(f"理由：{aid.decision_reason}"),
            Para(
                "本机构将自本决定作出之日起三日内指派法律援助人员提供法律援助（《中华人民共和国法律援助法》第四十三条）。"
            ),
        ]
    else:
        decision = [
            Para(f"经审查，{names}的申请不符合法律援助条件，本机构决定不予法律援助。", bold=True),
            Para(f"理由：{aid.decision_reason}"),
            Heading("救济途径"),
            Para(remedy(case)),
        ]
    return Paper(
        title=GRANT_TITLE if aid.granted else REFUSAL_TITLE,
        issuer=issuer,
        number=f"案件编码：{case.code}",
        dated=timezone.localtime(aid.decided_at).date(),
        blocks=[Heading("申请人及案件"), Fields(rows), Heading("决定"), *decision, Para(f"{issuer}（印章）")],
    )
