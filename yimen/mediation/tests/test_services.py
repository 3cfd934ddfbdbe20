"""The mediation verbs through the services: what each records, its timeline event, and every
refusal (403 wrong role or unit, 409 wrong state, 422 bad fields)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yimen.cases.models import Case, CaseDocument
from yimen.cases.tests.conftest import act
from yimen.core.errors import Conflict, Invalid, NotAllowed
from yimen.mediation import services
from yimen.mediation.models import Mediation, TeamMember

from .conftest import AGREEMENT, INITIATIVE, dispute, version

pytestmark = pytest.mark.django_db


def session(case, actor, mediators, **extra):
    fields = {
        "held_at": timezone.now(),
        "place": "综治中心调解室",
        "mediators": [m.pk for m in mediators],
        "attendees": ["唐建国", "唐明华"],
        "minutes": "双方陈述意见，调解员释明法律规定。",
        "outcome": "continue",
    }
    fields.update(extra)
    return services.mediation_session_record(case=case, actor=actor, version=version(case), **fields)


def actions(case):
    return list(case.events.order_by("at", "id").values_list("action", flat=True))


def test_first_session_starts_the_mediation_with_the_month_from_signing(seats, case, roster):
    record = session(case, seats["judicial"], [roster["people"], roster["police"]])
    mediation = Mediation.objects.get(case=case)
    signed = case.assignments.get(role="lead").signed_at
    assert mediation.started_at == signed
    assert timezone.localtime(mediation.due).date() >= timezone.localtime(signed).date() + timedelta(days=30)
    assert mediation.result == "pending" and mediation.level == "town"
    assert mediation.committee == "才湾镇人民调解委员会"
    # the session's mediators join the team in the role of their kind, the first presiding
    team = {t.mediator.name: (t.role, t.is_chief) for t in mediation.team.all()}
    assert team == {"唐桂芳": ("people", True), "蒋建军": ("administrative", False)}
    assert list(record.mediators.all()) == [roster["people"], roster["police"]]
    assert actions(case)[-1] == "mediation_session"
    case.refresh_from_db()
    assert case.state == "in_progress"


def consent_all(case, actor, consented=True):
    for party in case.parties.filter(role__in=("applicant", "respondent")).order_by("id"):
        services.mediation_consent_record(
            case=case, actor=actor, version=version(case), party=party.pk, consented=consented, manner="oral"
        )


def test_a_team_waits_for_the_parties_consent_or_says_why_not(seats, case, roster):
    """人民调解法 arts. 3, 17: mediation is voluntary; the team is formed after consent, or with
    the reason it comes first; a refusal stops it (issue 21 item 8)."""
    judicial, members = seats["judicial"], [roster["people"].pk]
    services.mediation_consent_record(
        case=case,
        actor=judicial,
        version=version(case),
        party=case.parties.order_by("id")[0].pk,
        consented=True,
        manner="oral",
    )
    with pytest.raises(Invalid) as unasked:
        services.mediation_team_assemble(case=case, actor=judicial, version=version(case), members=members)
    assert "唐明华" in unasked.value.errors["without_consent_reason"][0] and not TeamMember.objects.exists()
    services.mediation_team_assemble(
        case=case, actor=judicial, version=version(case), members=members, without_consent_reason=INITIATIVE
    )
    assert INITIATIVE in case.events.get(action="mediation_team").note

    other = dispute(seats, title="邻里排水纠纷")
    consent_all(other, judicial)
    services.mediation_team_assemble(case=other, actor=judicial, version=version(other), members=members)
    assert "理由" not in other.events.get(action="mediation_team").note

    refused = dispute(seats, title="鱼塘承包纠纷")
    consent_all(refused, judicial, consented=False)
    with pytest.raises(Conflict):
        services.mediation_team_assemble(
            case=refused, actor=judicial, version=version(refused), members=members, without_consent_reason=INITIATIVE
        )


def test_joint_team_roles_and_chief(seats, case, roster):
    members = [roster["people"].pk, roster["police"].pk, roster["judge"].pk, roster["qunying"].pk]
    consent_all(case, seats["judicial"])
    services.mediation_team_assemble(
        case=case, actor=seats["judicial"], version=version(case), members=members, chief=roster["judge"].pk
    )
    roles = dict(TeamMember.objects.values_list("mediator__name", "role"))
    assert roles == {"唐桂芳": "people", "蒋建军": "administrative", "王明华": "judicial", "唐永生": "qunying"}
    assert TeamMember.objects.get(is_chief=True).mediator == roster["judge"]
    assert actions(case)[-1] == "mediation_team"
    with pytest.raises(Invalid) as refused:
        services.mediation_team_assemble(
            case=case, actor=seats["judicial"], version=version(case), members=[roster["people"].pk, 999999]
        )
    assert "members" in refused.value.errors


@pytest.mark.parametrize("who", ["police", "clerk", "court", "gridworker"])
def test_only_the_lead_units_handler_records(seats, case, roster, who):
    with pytest.raises(NotAllowed):
        session(case, seats[who], [roster["people"]])
    assert not Mediation.objects.exists()


def test_sessions_need_the_case_in_progress(seats, case, roster):
    act("reply", case, seats["judicial"], text="已调解")
    with pytest.raises(Conflict) as refused:
        session(case, seats["judicial"], [roster["people"]])
    assert "已答复" in refused.value.message


def test_session_fields_are_named_in_chinese(seats, case, roster):
    with pytest.raises(Invalid) as refused:
        session(case, seats["judicial"], [roster["people"]], place=" ", minutes="", attendees=[], outcome="won")
    assert set(refused.value.errors) == {"place", "minutes", "attendees", "outcome"}
    assert refused.value.errors["place"] == ["请填写调解地点。"]
    with pytest.raises(Invalid) as future:
        session(case, seats["judicial"], [roster["people"]], held_at=timezone.now() + timedelta(days=1))
    assert "held_at" in future.value.errors


def test_a_refusal_stops_mediation_and_ends_it_as_declined(seats, case, roster):
    respondent = case.parties.get(role="respondent")
    services.mediation_consent_record(
        case=case,
        actor=seats["judicial"],
        version=version(case),
        party=respondent.pk,
        consented=False,
        manner="oral",
        note="坚持起诉",
    )
    with pytest.raises(Conflict) as refused:
        session(case, seats["judicial"], [roster["people"]])
    assert "人民调解法第十七条" in refused.value.message
    ended = services.mediation_end(
        case=case,
        actor=seats["judicial"],
        version=version(case),
        result="declined",
        next_channel="litigation",
        note="告知可向法庭起诉。",
    )
    assert ended.result == "declined" and ended.ended_at is not None and ended.next_channel == "litigation"
    assert actions(case)[-2:] == ["mediation_consent", "mediation_end"]
    with pytest.raises(Conflict):
        session(case, seats["judicial"], [roster["people"]])


def test_declined_needs_a_recorded_refusal(seats, case):
    with pytest.raises(Invalid) as refused:
        services.mediation_end(
            case=case, actor=seats["judicial"], version=version(case), result="declined", next_channel="other", note="x"
        )
    assert "result" in refused.value.errors


def test_failed_session_ends_the_mediation_with_the_next_channel(seats, case, roster):
    session(case, seats["judicial"], [roster["people"]], outcome="failed", next_channel="litigation")
    mediation = Mediation.objects.get(case=case)
    assert (mediation.result, mediation.next_channel) == ("failed", "litigation")
    with pytest.raises(Conflict) as refused:
        session(case, seats["judicial"], [roster["people"]])
    assert "调解已结束" in refused.value.message


def test_extension_needs_every_partys_consent_and_stays_within_the_policy(seats, case, roster):
    session(case, seats["judicial"], [roster["people"]])
    parties = list(case.parties.values_list("pk", flat=True))
    before = Mediation.objects.get(case=case).due
    with pytest.raises(Invalid) as refused:
        services.mediation_extend(
            case=case,
            actor=seats["judicial"],
            version=version(case),
            days=15,
            reason="需实地测量",
            consented_parties=parties[:1],
        )
    assert "须经双方当事人同意" in refused.value.errors["consented_parties"][0]
    with pytest.raises(Invalid) as too_long:
        services.mediation_extend(
            case=case, actor=seats["judicial"], version=version(case), days=31, reason="x", consented_parties=parties
        )
    assert "最多延长 30 日" in too_long.value.errors["days"][0]
    mediation = services.mediation_extend(
        case=case,
        actor=seats["judicial"],
        version=version(case),
        days=15,
        reason="需实地测量",
        consented_parties=parties,
    )
    assert mediation.extension_days == 15 and mediation.due > before
    assert mediation.extensions.get().consented_by == ["唐建国", "唐明华"]
    assert actions(case)[-1] == "mediation_extend"


def test_agreement_without_art_29_contents_is_refused_naming_them(seats, case, roster):
    session(case, seats["judicial"], [roster["people"]], outcome="agreement")
    with pytest.raises(Invalid) as refused:
        services.mediation_agreement_record(
            case=case,
            actor=seats["judicial"],
            version=version(case),
            **{**AGREEMENT, "facts": "", "terms": " "},
            performance_due=None,
        )
    assert set(refused.value.errors) == {"facts", "terms", "performance_due"}
    assert "纠纷的主要事实" in refused.value.message and "协议内容" in refused.value.message
    assert refused.value.errors["facts"] == ["请填写纠纷的主要事实。"]
    assert not CaseDocument.objects.filter(kind="agreement").exists()


def test_agreement_issues_the_document_and_ends_the_mediation(seats, case, roster):
    session(case, seats["judicial"], [roster["people"], roster["judge"]], outcome="agreement")
    due = timezone.localdate() + timedelta(days=10)
    agreement, documents = services.mediation_agreement_record(
        case=case,
        actor=seats["judicial"],
        version=version(case),
        **AGREEMENT,
        performance_due=due,
        seek_confirmation=True,
    )
    assert sorted(d.format for d in documents) == ["docx", "pdf"]
    assert agreement.copies == 3 and agreement.mediator == roster["people"] and not agreement.partial
    mediation = Mediation.objects.get(case=case)
    assert mediation.result == "agreement" and mediation.ended_at == agreement.signed_at
    assert actions(case)[-1] == "mediation_agreement"
    with pytest.raises(Conflict):
        services.mediation_agreement_record(
            case=case, actor=seats["judicial"], version=version(case), **AGREEMENT, performance_due=due
        )


def test_oral_agreement_is_recorded_without_a_document(seats, case, roster):
    session(case, seats["judicial"], [roster["people"]], outcome="partial")
    agreement, documents = services.mediation_agreement_record(
        case=case,
        actor=seats["judicial"],
        version=version(case),
        **AGREEMENT,
        performance_due=timezone.localdate(),
        oral=True,
    )
    assert documents == [] and agreement.oral and agreement.partial
    assert Mediation.objects.get(case=case).result == "partial"
    with pytest.raises(Conflict) as refused:
        services.court_confirmation_apply(
            case=case, actor=seats["judicial"], version=version(case), applied_on=timezone.localdate()
        )
    assert "口头协议" in refused.value.message


def test_agreement_needs_two_parties_and_a_mediator(seats, roster):
    single = dispute(seats, parties=[{"name": "唐建国", "role": "applicant"}])
    with pytest.raises(Invalid) as refused:
        services.mediation_agreement_record(
            case=single,
            actor=seats["judicial"],
            version=version(single),
            **AGREEMENT,
            performance_due=timezone.localdate(),
        )
    assert set(refused.value.errors) == {"parties", "mediator"}


def test_confirmation_follow_up_and_performance_after_closing(seats, case, roster):
    session(case, seats["judicial"], [roster["people"]], outcome="agreement")
    services.mediation_agreement_record(
        case=case, actor=seats["judicial"], version=version(case), **AGREEMENT, performance_due=timezone.localdate()
    )
    act("sign", case, seats["police"])  # the supporting police station answers its part first
    act("reply", case, seats["police"], text="派出所协助调解")
    act("reply", case, seats["judicial"], text="已调解，签订协议")
    act("review", case, seats["dispatcher"], approved=True)
    case.refresh_from_db()
    assert case.state == Case.State.CLOSED
    today = timezone.localdate()
    confirmation = services.court_confirmation_apply(
        case=case, actor=seats["judicial"], version=version(case), applied_on=today
    )
    assert confirmation.court.kind == "court" and confirmation.state == "applied"
    with pytest.raises(Conflict):
        services.court_confirmation_apply(case=case, actor=seats["judicial"], version=version(case), applied_on=today)
    with pytest.raises(Conflict):
        services.court_confirmation_decide(
            case=case, actor=seats["court"], version=version(case), confirmed=True, decided_on=today
        )
    services.court_confirmation_accept(case=case, actor=seats["court"], version=version(case), accepted_on=today)
    services.court_confirmation_extend(
        case=case, actor=seats["court"], version=version(case), reason="需通知当事人补充材料"
    )
    with pytest.raises(Conflict) as twice:
        services.court_confirmation_extend(case=case, actor=seats["court"], version=version(case), reason="再延")
    assert "至多延长十日" in twice.value.message
    done = services.court_confirmation_decide(
        case=case, actor=seats["court"], version=version(case), confirmed=True, decided_on=today
    )
    assert done.state == "confirmed"
    agreement = services.performance_record(
        case=case, actor=seats["judicial"], version=version(case), performance="performed", note="已付清"
    )
    assert agreement.performance == "performed"
    assert actions(case)[-5:] == [
        "court_confirmation",
        "court_accept",
        "court_extend",
        "court_decision",
        "performance_check",
    ]
    with pytest.raises(NotAllowed):
        services.performance_record(case=case, actor=seats["police"], version=version(case), performance="performed")


def test_confirmation_dates_are_checked(seats, case, roster):
    session(case, seats["judicial"], [roster["people"]], outcome="agreement")
    services.mediation_agreement_record(
        case=case, actor=seats["judicial"], version=version(case), **AGREEMENT, performance_due=timezone.localdate()
    )
    today = timezone.localdate()
    for bad in (today - timedelta(days=1), today + timedelta(days=1)):
        with pytest.raises(Invalid) as refused:
            services.court_confirmation_apply(case=case, actor=seats["judicial"], version=version(case), applied_on=bad)
        assert "applied_on" in refused.value.errors
    services.court_confirmation_apply(case=case, actor=seats["judicial"], version=version(case), applied_on=today)
    with pytest.raises(Invalid):
        services.court_confirmation_accept(
            case=case, actor=seats["court"], version=version(case), accepted_on=today - timedelta(days=1)
        )
