"""The legal-aid decision (法律援助法 arts. 32, 42, 43, 44): every exemption grants without a
means check; without a check or an exemption no decision is taken (422 naming the missing
part); a grant needs the check passed; 先行提供 lets the lawyer go first; each step once."""

import pytest

from yimen.cases.models import CaseDocument
from yimen.core.errors import Conflict, Invalid, NotAllowed
from yimen.legal import services
from yimen.legal.models import Exemption, LegalAidFile, Urgency
from yimen.legal.tests.conftest import decide, means


def test_registering_a_legal_aid_case_opens_its_file_with_the_clock(aid_case):
    aid = LegalAidFile.objects.get(case=aid_case)
    assert aid.decide_due > aid_case.received_at and aid.granted is None


@pytest.mark.parametrize("exemption", Exemption.values)
def test_every_exemption_grants_without_a_means_check(aid_case, seats, exemption):
    aid = decide(aid_case, seats["judicial"], reason="属于法定免予核查情形。", exemption=exemption)
    assert aid.granted is True and aid.exemption == exemption and aid.means_checked_at is None
    assert aid.assign_due is not None
    kinds = set(CaseDocument.objects.filter(case=aid_case).values_list("kind", "format"))
    assert kinds == {("legal_aid_grant", "docx"), ("legal_aid_grant", "pdf")}
    event = aid_case.events.get(action="legal_aid_decision")
    assert event.data["exemption"] == exemption and event.data["granted"] is True


@pytest.mark.parametrize("granted", [True, False])
def test_no_decision_without_a_means_check_or_an_exemption(aid_case, seats, granted):
    with pytest.raises(Invalid) as refused:
        decide(aid_case, seats["judicial"], granted=granted)
    assert refused.value.code == "means_check_missing"
    assert "经济困难状况核查" in refused.value.errors["means_check"][0]
    assert "第三十二条" in refused.value.message and "第四十二条" in refused.value.message
    assert LegalAidFile.objects.get(case=aid_case).granted is None
    assert not CaseDocument.objects.filter(case=aid_case).exists()


def test_a_passed_means_check_grants_and_a_failed_one_only_refuses(seats, aid_case):
    means(aid_case, seats["judicial"], income="900", standard="450")
    with pytest.raises(Invalid) as refused:
        decide(aid_case, seats["judicial"])
    assert refused.value.code == "means_not_met"
    aid = decide(aid_case, seats["judicial"], granted=False, reason="家庭人均收入高于当地经济困难标准。")
    assert aid.granted is False and aid.assign_due is None
    assert CaseDocument.objects.filter(case=aid_case, kind="legal_aid_refusal").count() == 2


def test_means_check_compares_income_and_assets_with_the_local_standard(seats, aid_case):
    aid = means(aid_case, seats["judicial"], income="450", standard="450")
    assert aid.means_eligible is True  # at the line is within it
    aid = means(aid_case, seats["judicial"], assets="200000", assets_standard="50000")
    assert aid.means_eligible is False
    assert aid_case.events.filter(action="legal_aid_means").count() == 2


def test_means_check_refuses_bad_numbers_field_by_field(seats, aid_case):
    with pytest.raises(Invalid) as refused:
        means(aid_case, seats["judicial"], income="-1", standard="abc", key_groups=["rich"])
    assert set(refused.value.errors) == {"monthly_income", "income_standard", "key_groups"}


def test_a_decision_is_taken_once_and_a_stale_version_is_refused(seats, aid_case):
    aid = LegalAidFile.objects.get(case=aid_case)
    means(aid_case, seats["judicial"])
    with pytest.raises(Conflict) as stale:
        services.legal_aid_decide(
            case=aid_case, actor=seats["judicial"], version=aid.version, granted=True, reason="符合条件"
        )
    assert stale.value.code == "stale_version"
    decide(aid_case, seats["judicial"])
    with pytest.raises(Conflict) as again:
        decide(aid_case, seats["judicial"], granted=False)
    assert again.value.code == "decided"


@pytest.mark.parametrize("who", ["clerk", "dispatcher", "leader", "adviser"])
def test_only_the_judicial_office_decides(seats, aid_case, village_adviser, who):
    with pytest.raises(NotAllowed):
        decide(aid_case, seats[who], exemption=Exemption.ABUSE_VICTIM)


def test_assignment_follows_a_grant_and_the_aid_closes_with_its_result(seats, aid_case):
    with pytest.raises(Conflict) as early:
        services.legal_aid_assign(case=aid_case, actor=seats["judicial"], version=None, lawyer="莫律师")
    assert early.value.code == "not_granted"
    decide(aid_case, seats["judicial"], exemption=Exemption.ABUSE_VICTIM)
    with pytest.raises(Conflict):
        services.legal_aid_close(case=aid_case, actor=seats["judicial"], version=None, result="调解离婚")
    aid = services.legal_aid_assign(
        case=aid_case, actor=seats["judicial"], version=None, lawyer="莫志远（广西全州律师事务所）"
    )
    assert aid.lawyer.startswith("莫志远") and not aid.assigned_late
    aid = services.legal_aid_close(case=aid_case, actor=seats["judicial"], version=None, result="法院判决准予离婚")
    assert aid.closed_at and aid.result == "法院判决准予离婚"
    actions = list(aid_case.events.values_list("action", flat=True))
    assert actions[-3:] == ["legal_aid_decision", "legal_aid_assign", "legal_aid_close"]


@pytest.mark.parametrize("urgency", Urgency.values)
def test_aid_given_first_lets_the_lawyer_start_before_the_decision(seats, aid_case, urgency):
    """先行提供 (art. 44): limitation within 7 days, or a preservation measure needed at once."""
    aid = services.legal_aid_provide_first(
        case=aid_case, actor=seats["judicial"], version=None, urgency=urgency, note="诉讼时效 5 日后届满"
    )
    assert aid.provided_first_at and aid.assign_due
    aid = services.legal_aid_assign(case=aid_case, actor=seats["judicial"], version=None, lawyer="莫志远")
    assert aid.assigned_at and aid.granted is None
    # The formalities follow: the decision is still taken, on its basis.
    aid = decide(aid_case, seats["judicial"], exemption=Exemption.ABUSE_VICTIM)
    assert aid.granted is True


def test_aid_given_first_needs_a_statutory_ground(seats, aid_case):
    with pytest.raises(Invalid) as refused:
        services.legal_aid_provide_first(case=aid_case, actor=seats["judicial"], version=None, urgency="", note="")
    assert set(refused.value.errors) == {"urgency", "note"}
