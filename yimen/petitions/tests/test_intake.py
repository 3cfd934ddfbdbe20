"""The petition rules at registration: at most 5 representatives (art. 20), 复查/复核 windows
(arts. 35–36), no 复核 after 复核 and no new petition on a matter answered on 复核 (art. 36),
repeat petitions linked (same petitioner, same matter), accused staff named by account."""

import pytest

from yimen.cases.models import Party
from yimen.core.errors import Conflict, Invalid
from yimen.people.tests.samples import make_resident
from yimen.petitions.rules import FINAL, title_similarity
from yimen.petitions.tests.conftest import REPRESENTATIVES, answered, petition


def test_a_sixth_representative_is_refused_on_parties(seats):
    sixth = {"name": "蒋小军", "role": "representative"}
    with pytest.raises(Invalid) as refused:
        petition(seats, parties=[*REPRESENTATIVES, sixth])
    message = refused.value.errors["parties"][0]
    assert "代表人数不超过 5 人" in message and "第二十条" in message and "6 名代表" in message


def test_five_representatives_are_a_group_visit(seats):
    case = petition(seats)
    assert case.petition.is_group and case.parties.filter(role="representative").count() == 5


def test_review_after_30_days_is_refused_naming_the_last_day(seats, dated):
    dated(2026, 9, 5)
    case = answered(seats, petition(seats))
    dated(2026, 10, 9)  # the window ran to 10-08 (10-05 fell in 国庆)
    with pytest.raises(Invalid) as refused:
        petition(seats, review_of=case.code, category=None)
    message = refused.value.errors["review_of"][0]
    assert "已超过复查申请期限" in message and "2026年10月08日" in message and "第三十五条" in message


def test_review_on_the_last_day_is_accepted(seats, dated):
    dated(2026, 9, 5)
    case = answered(seats, petition(seats))
    dated(2026, 10, 8, 16)
    assert petition(seats, review_of=case.code, category=None).petition.level == "review"


def test_review_before_the_opinion_is_refused(seats):
    case = petition(seats)
    with pytest.raises(Invalid) as refused:
        petition(seats, review_of=case.code, category=None)
    assert refused.value.errors["review_of"] == ["原信访事项尚未出具处理意见书，还不能申请复查。"]


def test_review_rows_need_the_reviewed_code_and_a_review_needs_its_row(seats, dated):
    with pytest.raises(Invalid) as refused:
        petition(seats, category="petition.review")
    assert refused.value.errors["review_of"] == ["复查、复核申请须填写原信访事项编码。"]
    dated(2026, 3, 2)
    case = answered(seats, petition(seats))
    with pytest.raises(Invalid) as refused:
        petition(seats, review_of=case.code, category="petition.land")
    assert refused.value.errors["category"] == ["请求复查的事项，类别须为“复查申请”。"]
    with pytest.raises(Invalid) as refused:
        petition(seats, review_of="450324106-2026-999999", category=None)
    assert "未找到该信访事项" in refused.value.errors["review_of"][0]


def test_review_asked_twice_is_refused(seats, dated):
    dated(2026, 3, 2)
    case = answered(seats, petition(seats))
    first = petition(seats, review_of=case.code, category=None)
    with pytest.raises(Invalid) as refused:
        petition(seats, review_of=case.code, category=None)
    assert refused.value.errors["review_of"] == [f"该事项已申请过复查（{first.code}），不能重复申请。"]


@pytest.fixture
def rereviewed(seats, dated):
    dated(2026, 3, 2)
    original = answered(seats, petition(seats))
    dated(2026, 3, 10)
    review = answered(seats, petition(seats, review_of=original.code, category=None))
    dated(2026, 3, 20)
    return original, answered(seats, petition(seats, review_of=review.code, category=None))


def test_rereview_after_rereview_is_refused(seats, rereviewed):
    _, rereview = rereviewed
    with pytest.raises(Conflict) as refused:
        petition(seats, review_of=rereview.code, category=None)
    assert refused.value.message == FINAL == "该信访事项已经复核，不再受理（信访工作条例第三十六条）。"
    assert refused.value.errors["review_of"] == [FINAL] and refused.value.code == "petition_final"


def test_the_same_matter_after_rereview_is_not_accepted_again(seats, rereviewed, dated):
    dated(2026, 5, 1)
    with pytest.raises(Conflict) as refused:
        petition(seats, title="村民再次反映征地补偿款未足额到位")
    assert refused.value.message.startswith(FINAL) and "前次事项" in refused.value.message


@pytest.mark.parametrize("spelling", ["139-0773-1001", "+86 139 0773 1001"])  # first typed 13907731001
def test_repeat_by_phone_and_same_category(seats, dated, spelling):
    dated(2026, 3, 2)
    first = petition(seats)
    dated(2026, 4, 2)
    again = petition(
        seats,
        title="再次来访：青苗补偿问题",
        parties=[{"name": "蒋光荣", "role": "applicant", "phone": spelling}],
    )
    assert again.petition.repeat_of == first
    assert again.petition.repeat_reason == "同一信访人 · 同一事项类别"


def test_repeat_by_id_number_and_similar_title(seats, dated):
    dated(2026, 3, 2)
    first = petition(
        seats,
        category=None,
        title="反映小塘村低保评定不公",
        parties=[{"name": "甲", "role": "applicant", "id_number": "11010519491231002X"}],
    )
    dated(2026, 3, 9)
    again = petition(
        seats,
        category=None,
        title="再次反映小塘村低保评定不公",
        parties=[{"name": "甲", "role": "applicant", "id_number": "11010519491231002x"}],
    )
    assert again.petition.repeat_of == first and again.petition.repeat_reason == "同一信访人 · 标题相似"


def test_repeat_by_registry_person(seats, dated):
    resident = make_resident(seats["clerk"])
    dated(2026, 3, 2)
    who = [{"name": resident.name, "role": "applicant", "person_id": resident.pk}]
    first = petition(seats, category="petition.wages", title="工地欠薪", parties=who)
    dated(2026, 3, 3)
    assert petition(seats, category="petition.wages", title="讨要工钱", parties=who).petition.repeat_of == first


def test_not_a_repeat_other_person_other_matter_or_over_a_year(seats, dated):
    dated(2025, 1, 2)
    petition(seats)
    dated(2026, 3, 2)
    assert petition(seats).petition.repeat_of is None  # more than a year later
    other = [{"name": "别人", "role": "applicant", "phone": "13800000000"}]
    assert petition(seats, parties=other).petition.repeat_of is None
    same = [{"name": "蒋光荣", "role": "applicant", "phone": "13907731001"}]
    different = petition(seats, category=None, title="反映村道路灯不亮", parties=same)
    assert different.petition.repeat_of is None  # generic category, unrelated title


def test_title_similarity_is_the_dice_of_character_bigrams():
    assert title_similarity("征地补偿款未到位", "征地补偿款未到位") == 1
    assert title_similarity("征地补偿款未到位", "村道路灯不亮") == 0
    assert 0.5 <= title_similarity("反映小塘村低保评定不公", "再次反映小塘村低保评定不公") < 1


def test_accused_staff_named_by_account(seats):
    case = petition(
        seats,
        petition_type="accusation",
        category="petition.accusation",
        title="检举民警违规收费",
        parties=[{"name": "匿名群众", "role": "applicant"}, {"name": "police", "role": "accused"}],
        accused_users=["police"],
    )
    accused = case.accused_people.get()
    assert accused.user == seats["police"].user and accused.party.role == Party.Role.ACCUSED
    assert case.parties.filter(role="accused").count() == 1  # the typed party is linked, not doubled


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"accused_users": ["nobody"]}, "accused_users", "无法核对所列被检举控告的工作人员账号"),
        ({"accused_users": ["petition"]}, "accused_users", "本人被检举控告，须回避"),
        ({"petition_type": "claim", "accused_users": ["police"]}, "accused_users", "只有检举控告类信访"),
    ],
)
def test_accused_staff_refusals(seats, fields, field, message):
    values = {"petition_type": "accusation", "category": "petition.accusation", **fields}
    with pytest.raises(Invalid) as refused:
        petition(seats, **values)
    assert message in refused.value.errors[field][0]


def test_other_kinds_take_neither_review_nor_accused_staff(seats):
    from yimen.cases.tests.conftest import register

    with pytest.raises(Invalid) as refused:
        register(seats["clerk"], review_of="450324106-2026-000001", accused_users=["police"])
    assert set(refused.value.errors) == {"review_of", "accused_users"}
