"""What every registration reads (catalogue rows, risk rules, tiers) is this process's copy,
checked against its generation on each use (issue 22): no second read of those tables while
nothing changed, and a change — through the services, or written by another process — is in
force for the very next registration."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from yimen.cases import catalogue, services
from yimen.cases.models import CatalogueRow, RiskRule
from yimen.cases.tests.conftest import register
from yimen.core.generations import bump


def _tables_read(work) -> set[str]:
    with CaptureQueriesContext(connection) as seen:
        work()
    names = ("cases_cataloguerow", "cases_riskrule", "cases_handlingtier", "cases_dispatchcatalogue")
    return {name for q in seen.captured_queries for name in names if f'FROM "{name}"' in q["sql"]}


def test_a_registration_reads_the_rules_once_while_nothing_changes(seats):
    register(seats["clerk"], category="dispute.land.boundary")  # loads the copy
    assert _tables_read(lambda: register(seats["clerk"], category="dispute.land.boundary")) == set()


def test_a_revised_catalogue_is_used_by_the_next_registration(seats):
    first = register(seats["clerk"], category="dispute.land.boundary")
    services.catalogue_revise(
        actor=seats["dispatcher"], changes={"dispute.land.boundary": {"risk": "orange"}}, note="边界纠纷易激化"
    )
    second = register(seats["clerk"], category="dispute.land.boundary")
    assert first.risk != "orange" and second.risk == "orange"
    assert second.category.catalogue_id == catalogue.catalogue_current().pk != first.category.catalogue_id


def test_a_new_risk_rule_applies_at_once(seats):
    assert register(seats["clerk"], title="讨薪未果").risk != "red"
    services.risk_rule_create(actor=seats["dispatcher"], name="讨薪", risk="red", pattern="讨薪")
    assert register(seats["clerk"], title="讨薪未果").risk == "red"


def test_a_change_made_by_another_process_is_seen_by_its_generation(seats):
    """Another server process changed a rule and bumped the generation: this process's copy is
    not used again."""
    register(seats["clerk"], title="讨薪未果")
    RiskRule.objects.create(name="讨薪", pattern="讨薪", risk="red", order=99)
    CatalogueRow.objects.filter(code="dispute.land.boundary").update(risk="red")
    bump(catalogue.RULES_GENERATION)
    assert register(seats["clerk"], title="讨薪未果").risk == "red"
    assert register(seats["clerk"], category="dispute.land.boundary").risk == "red"
