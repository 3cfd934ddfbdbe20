"""The dispatch catalogue, deadline policies and risk rules are data (DESIGN §2.4), seeded by a
migration, versioned on revision, and applied at intake and dispatch."""

import pytest

from yimen.cases import catalogue, services
from yimen.cases.models import CatalogueRow, DeadlinePolicy, DispatchCatalogue, Kind, RiskRule
from yimen.cases.tests.conftest import register
from yimen.core.errors import Invalid, NotAllowed
from yimen.org.models import Unit

STATUTORY = {
    "petition.route": ("natural_days", 15),
    "petition.object": ("working_days", 5),
    "petition.handle": ("natural_days", 60),
    "petition.review": ("natural_days", 30),
    "petition.rereview": ("natural_days", 30),
    "legal_aid.decide": ("natural_days", 7),
    "hotline.emergency": ("hours", 2),
    "hotline.utilities": ("hours", 24),
    "hotline.general": ("natural_days", 7),
    "hotline.complex": ("natural_days", 15),
    "return.2d": ("natural_days", 2),
}


def test_the_seed_has_the_statutory_policies_and_a_realistic_catalogue(db):
    policies = {p.code: (p.unit, p.amount) for p in DeadlinePolicy.objects.all()}
    assert STATUTORY.items() <= policies.items()
    assert DeadlinePolicy.objects.get(code="petition.handle").max_extension_days == 30
    current = catalogue.catalogue_current()
    rows = list(current.rows.all())
    assert current.version == 1 and len(rows) >= 60
    groups = {r.group for r in rows}
    assert {"邻里纠纷", "土地山林", "婚姻家庭", "劳动保障", "交通治安", "道路交通", "水域安全", "消防安全"} <= groups
    assert {"地质灾害", "环境卫生", "信访", "法律服务", "法律援助"} <= groups
    assert {r.kind for r in rows if r.is_default} == set(Kind.values)
    for row in rows:
        assert catalogue.UnitRef.parse(row.lead).kind in Unit.Kind.values, row.code
        assert all(catalogue.UnitRef.parse(s).kind in Unit.Kind.values for s in row.supports), row.code
    petition = current.rows.get(code="petition.general")
    assert (petition.intake_policy.code, petition.return_policy.code) == ("petition.route", "petition.object")
    assert RiskRule.objects.count() >= 8


def test_seeding_again_changes_nothing(db):
    assert catalogue.catalogue_seed() == 0


def test_rows_suggest_the_town_units(seats):
    labour = Unit.objects.create(
        code="450324106-labour", name="人社所", kind="department", region=seats["clerk"].unit.region
    )
    row = catalogue.catalogue_rows().get(code="dispute.wages.arrears")
    lead, supports = catalogue.suggest_units(row, region_path=seats["gridworker"].jurisdiction.path)
    assert lead == labour
    assert {u.code for u in supports} == {"450324106-judicial", "450324106-police"}
    village_row = catalogue.catalogue_rows().get(code="appeal.sanitation.garbage")
    lead, _ = catalogue.suggest_units(village_row, region_path=seats["gridworker"].jurisdiction.path)
    assert lead == seats["gridworker"].unit


def test_revising_makes_a_new_version_and_needs_the_permission(seats):
    with pytest.raises(NotAllowed):
        services.catalogue_revise(actor=seats["clerk"], changes={}, note="x")
    revised = services.catalogue_revise(
        actor=seats["dispatcher"],
        changes={
            "hazard.general": {"name": "其他隐患（含网格巡查）"},
            "hazard.drone": {
                "name": "无人机巡查发现隐患",
                "group": "安全隐患",
                "kind": "hazard",
                "lead": "department:emergency",
                "supports": ["village"],
                "policy": "hotline.utilities",
                "sign_policy": "sign.standard",
                "return_policy": "return.2d",
            },
            "appeal.utilities.network": {"delete": True},
        },
        note="新增无人机巡查类别",
    )
    assert revised.version == 2 and DispatchCatalogue.objects.get(is_current=True) == revised
    codes = set(revised.rows.values_list("code", flat=True))
    assert "hazard.drone" in codes and "appeal.utilities.network" not in codes
    assert CatalogueRow.objects.filter(code="appeal.utilities.network", catalogue__version=1).exists()
    assert revised.rows.get(code="hazard.general").name.startswith("其他隐患")
    with pytest.raises(Invalid) as refused:
        services.catalogue_revise(actor=seats["dispatcher"], changes={"x.y": {"lead": "spaceport"}}, note="错")
    assert "x.y" in refused.value.errors


def test_new_policies_and_rules_are_checked(seats):
    with pytest.raises(Invalid):
        services.deadline_policy_create(actor=seats["dispatcher"], code="x", name="x", unit="fortnights", amount=1)
    policy = services.deadline_policy_create(
        actor=seats["dispatcher"], code="court.confirm", name="司法确认 15 日", unit="natural_days", amount=15
    )
    assert policy.pk
    with pytest.raises(Invalid) as refused:
        services.risk_rule_create(actor=seats["dispatcher"], name="坏规则", risk="red", pattern="(")
    assert "pattern" in refused.value.errors
    services.risk_rule_create(actor=seats["dispatcher"], name="讨薪跳楼", risk="red", pattern="讨薪")
    assert register(seats["clerk"], title="讨薪未果").risk == "red"


@pytest.mark.parametrize(
    ("fields", "risk"),
    [
        ({"description": "邻居说话声音大"}, "blue"),
        ({"description": "对方扬言要报复社会"}, "red"),
        ({"description": "两家持刀对峙"}, "orange"),
        ({"group_size": 8}, "orange"),
        ({"group_size": 60}, "red"),
        ({"description": "涉及留守儿童"}, "yellow"),
        ({"risk": "orange"}, "orange"),
        ({"category": "dispute.family.violence"}, "orange"),
    ],
)
def test_risk_rules_apply_at_intake(seats, fields, risk):
    case = register(seats["clerk"], **fields)
    assert case.risk == risk
    if risk != "blue" and "risk" not in fields and "category" not in fields:
        assert case.events.get().data["risk_rules"]


def test_repeat_petitions_by_the_same_person_raise_the_risk(seats):
    person = {"name": "蒋秀英", "role": "applicant", "phone": "13907731234"}
    risks = [
        register(seats["petition"], kind="petition", title=f"第{i}次反映", parties=[person]).risk for i in range(5)
    ]
    assert risks == ["yellow", "yellow", "orange", "orange", "red"]


def test_the_desk_finds_a_row_by_the_word_people_say(client, seats):
    """Typing 家暴 or 欠薪 in the category filter finds 家庭暴力 and the unpaid-wages rows
    (issue 21 item 13): each option carries the spoken words that name it."""
    client.force_login(seats["clerk"].user)
    html = client.get("/cases/new/categories/", {"kind": "dispute"}).content.decode()
    violence = next(line for line in html.split("<option") if "家庭暴力" in line and "data-words" in line)
    assert "家暴" in violence
    wages = next(line for line in html.split("<option") if "工资" in line)
    assert "欠薪" in wages and "讨薪" in wages
