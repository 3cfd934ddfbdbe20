"""The petition rules that act at registration (信访工作条例). They decide and refuse, and write
nothing: the intake check registered with the case engine (services.petition_intake_check) asks
`petition_intake_decide`, then writes what it decided through the services:

- a group visit names at most 5 representatives (art. 20);
- 复查 is requested within 30 days of the handling opinion, 复核 within 30 days of the 复查
  opinion (arts. 35–36); after 复核 the same matter is not accepted again (art. 36);
- repeat petitions: the same petitioner on the same matter within a year is linked to the
  earlier petition (`repeat_of`, REPEAT_RULE below);
- accusations (检举控告) may name the accused staff by account; the registering clerk may not
  be one of them (回避, art. 46)."""

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone

from yimen.cases import catalogue
from yimen.cases.extensions import IntakeDraft
from yimen.cases.models import Case, Kind, Party, PetitionType
from yimen.cases.services.intake import earlier_petitions
from yimen.core.deadlines import deadline_natural_days
from yimen.core.errors import Conflict, Invalid
from yimen.petitions.models import AccusedPerson, PetitionRecord

Level = PetitionRecord.Level
MAX_REPRESENTATIVES = 5  # art. 20
REQUEST_DAYS = 30  # arts. 35–36: 复查 / 复核 requested within 30 days of the opinion
TITLE_SIMILARITY = 0.5
REPEAT_RULE = (
    "同一信访人（实有人口、身份证号或电话相同的申请人或代表人）一年内就同一事项再次信访："
    "事项类别相同（通用类别除外），或标题说的是同一件事（标题里的字词有一半以上相同）。复查、复核申请不算重复信访。"
)
FINAL = "该信访事项已经复核，不再受理（信访工作条例第三十六条）。"
UNVERIFIED_ACCUSED = "无法核对所列被检举控告的工作人员账号，请核实后重新填写。"
LEVEL_ROWS = {Level.REVIEW: "petition.review", Level.REREVIEW: "petition.rereview"}
GENERIC_ROWS = frozenset({"petition.general", "petition.suggestion", "petition.accusation", "petition.group"})
ARTICLE = {Level.REVIEW: "第三十五条", Level.REREVIEW: "第三十六条"}
OPINION_NAME = {Level.ORIGINAL: "处理意见书", Level.REVIEW: "复查意见书", Level.REREVIEW: "复核意见书"}
FORM_OF_CHANNEL = {
    "visit": PetitionRecord.Form.VISIT,
    "grid": PetitionRecord.Form.VISIT,
    "letter": PetitionRecord.Form.LETTER,
    "referral": PetitionRecord.Form.LETTER,  # 转送 from another body arrives as a letter
    "online": PetitionRecord.Form.ONLINE,
    "phone": PetitionRecord.Form.PHONE,
    "hotline": PetitionRecord.Form.PHONE,
}


def request_until(record: PetitionRecord) -> datetime | None:
    """The last moment to request the next level against `record`'s opinion (30 days, the
    holiday rule applies), None before the opinion is issued or after 复核 (final)."""
    if record.opinion_issued_at is None or record.level == Level.REREVIEW:
        return None
    return deadline_natural_days(record.opinion_issued_at, REQUEST_DAYS)


def bigrams(text: str) -> set[str]:
    chars = [ch for ch in text if ch.isalnum()]
    return {a + b for a, b in pairwise(chars)}


def title_similarity(a: str, b: str) -> float:
    """Dice coefficient of the titles' character bigrams: 2|A∩B| / (|A| + |B|)."""
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def same_matter(draft: IntakeDraft, earlier: Case) -> str:
    """Why `earlier` is the same matter as the draft ("" when it is not)."""
    row = draft.category  # compared by code: a revised catalogue copies its rows
    if row is not None and row.code not in GENERIC_ROWS and earlier.category and earlier.category.code == row.code:
        return "同一事项类别"
    if title_similarity(draft.title, earlier.title) >= TITLE_SIMILARITY:
        return "标题相似"
    return ""


def find_repeat(draft: IntakeDraft) -> tuple[Case, str] | None:
    """The latest earlier petition by the same petitioner on the same matter within a year."""
    earlier = earlier_petitions(draft.parties, draft.received_at).filter(received_at__lt=draft.received_at)
    for case in earlier.select_related("category").order_by("-received_at", "-id")[:50]:
        reason = same_matter(draft, case)
        if reason:
            return case, f"同一信访人 · {reason}"
    return None


def chain_root(case: Case) -> Case:
    """The original petition at the start of a 复查/复核 chain."""
    record = PetitionRecord.objects.filter(case=case).select_related("review_of").first()
    while record is not None and record.review_of is not None:
        case = record.review_of
        record = PetitionRecord.objects.filter(case=case).select_related("review_of").first()
    return case


def is_final(case: Case) -> bool:
    """Has the matter `case` belongs to been answered on 复核 (art. 36)?"""
    root = chain_root(case)
    return PetitionRecord.objects.filter(
        level=Level.REREVIEW, review_of__petition__review_of=root, opinion_issued_at__isnull=False
    ).exists()


def _review_level(draft: IntakeDraft, code: str, errors: dict) -> tuple[str, Case | None]:
    """The level the draft asks for and the case it asks to review (arts. 35–36)."""
    row = draft.category
    row_level = next((level for level, c in LEVEL_ROWS.items() if row is not None and row.code == c), None)
    if not code:
        if row_level:
            errors["review_of"] = ["复查、复核申请须填写原信访事项编码。"]
        return Level.ORIGINAL, None
    reviewed = Case.objects.visible_to(draft.actor).filter(code=code, kind=Kind.PETITION).first()
    record = PetitionRecord.objects.filter(case=reviewed).first() if reviewed else None
    if record is None:
        errors["review_of"] = ["未找到该信访事项，或不在您的可见范围内。"]
        return Level.ORIGINAL, None
    if record.level == Level.REREVIEW:
        raise Conflict(FINAL, code="petition_final", errors={"review_of": [FINAL]})
    level = Level.REVIEW if record.level == Level.ORIGINAL else Level.REREVIEW
    label, opinion = level.label, OPINION_NAME[record.level]
    until = request_until(record)
    taken = PetitionRecord.objects.filter(review_of=reviewed).select_related("case").first()
    if until is None:
        errors["review_of"] = [f"原信访事项尚未出具{opinion}，还不能申请{label}。"]
    elif draft.received_at > until:
        day = timezone.localtime(until).strftime("%Y年%m月%d日")
        errors["review_of"] = [
            f"已超过{label}申请期限：应自收到{opinion}之日起 {REQUEST_DAYS} 日内（至 {day}）提出"
            f"（信访工作条例{ARTICLE[level]}）。"
        ]
    elif taken is not None:
        errors["review_of"] = [f"该事项已申请过{label}（{taken.case.code}），不能重复申请。"]
    if row is None:
        draft.category = catalogue.catalogue_rows().filter(code=LEVEL_ROWS[level]).first()
    elif row_level != level:
        errors["category"] = [f"请求{label}的事项，类别须为“{label}申请”。"]
    return level, reviewed


def _accused_users(draft: IntakeDraft, usernames: list[str], errors: dict) -> list:
    if not usernames:
        return []
    if draft.petition_type != PetitionType.ACCUSATION:
        errors["accused_users"] = ["只有检举控告类信访才能列出被检举控告的工作人员。"]
        return []
    users = list(get_user_model().objects.filter(username__in=usernames, is_active=True))
    if len(users) != len(usernames):
        # One answer, naming no account, for a name that does not exist and for a disabled
        # account: the intake must not tell a registrant which staff usernames exist.
        errors["accused_users"] = [UNVERIFIED_ACCUSED]
    elif draft.actor.user_id in {u.pk for u in users}:
        errors["accused_users"] = ["本人被检举控告，须回避，请交由其他工作人员登记（信访工作条例第四十六条）。"]
    return users


def _refuse_other_kinds(draft: IntakeDraft, review_code: str, usernames: list[str]) -> None:
    errors = {}
    if review_code:
        errors["review_of"] = ["只有信访件才能请求复查或复核。"]
    if usernames:
        errors["accused_users"] = ["只有检举控告类信访才能列出被检举控告的工作人员。"]
    if errors:
        raise Invalid("登记内容有误，请检查标出的字段。", errors=errors)


@dataclass(frozen=True)
class PetitionIntake:
    """What the rules decided about a petition being registered: the level it asks for, the case
    it asks to review, the earlier petition it repeats (with why), the accused staff accounts and
    whether it is a group visit. The services write it (services.petition_intake_check)."""

    level: str
    reviewed: Case | None
    repeat: tuple[Case, str] | None
    accused: list
    is_group: bool


def petition_intake_decide(draft: IntakeDraft) -> PetitionIntake | None:
    """The petition rules at registration (信访工作条例 arts. 20, 35, 36, 46; module docstring).
    Refuses with 422 (field errors) or 409 (a matter already answered on 复核); writes nothing
    (it may only set a blank `draft.category` to 复查申请/复核申请). None for other kinds."""
    review_code = (draft.sent.get("review_of") or "").strip()
    usernames = list(dict.fromkeys(u.strip() for u in draft.sent.get("accused_users") or () if u.strip()))
    if draft.kind != Kind.PETITION:
        _refuse_other_kinds(draft, review_code, usernames)
        return None
    errors: dict[str, list[str]] = {}
    representatives = sum(p["role"] == Party.Role.REPRESENTATIVE for p in draft.parties)
    if representatives > MAX_REPRESENTATIVES:
        errors["parties"] = [
            f"多人走访应推选代表，代表人数不超过 {MAX_REPRESENTATIVES} 人（信访工作条例第二十条），"
            f"本次填写了 {representatives} 名代表。"
        ]
    accused = _accused_users(draft, usernames, errors)
    level, reviewed = _review_level(draft, review_code, errors)
    if errors:
        raise Invalid("信访登记有误，请检查标出的字段。", errors=errors)
    repeat = None if reviewed else find_repeat(draft)
    if repeat is not None and is_final(repeat[0]):
        raise Conflict(f"{FINAL}前次事项：{repeat[0].code}。", code="petition_final")
    is_group = representatives > 0 or draft.group_size >= MAX_REPRESENTATIVES
    return PetitionIntake(level=level, reviewed=reviewed, repeat=repeat, accused=accused, is_group=is_group)


def hidden_from_accused(member) -> Exists:
    """The cases that name the member's own account as accused (arts. 30, 46): registered with
    the case engine's visibility exclusions, so every scoped read leaves them out."""
    return Exists(AccusedPerson.objects.filter(case=OuterRef("pk"), user_id=member.user_id))
