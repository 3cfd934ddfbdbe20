"""The replica router (issue 22 part 6): reports and dashboards read case data from the replica,
never a member's own fresh write, never credentials; nothing changes without a replica."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from yimen.cases.models import Case
from yimen.core.models import ApiToken
from yimen.core.replica import ReplicaMiddleware, ReplicaRouter
from yimen.insight.models import DisplayToken, Rollup

# Real transactions: the router keeps reads inside one on the primary, and a test wrapped in one
# would see nothing else.
pytestmark = pytest.mark.django_db(transaction=True)
router = ReplicaRouter()


@pytest.fixture
def replica(settings):
    cache.clear()  # the writers' marks of an earlier test (user ids are reused after a flush)
    settings.YIMEN_REPLICA_URL = "postgres://postgres@127.0.0.1:5442/yimen"


def serve(member, method: str, path: str, inside=lambda: None):
    """Run one request through the middleware; `inside` runs as the view, and its routing of a
    case read, a token read and a rollup read is returned."""
    request = getattr(RequestFactory(), method.lower())(path)
    request.member = member
    seen = {}

    def view(request):
        inside()
        seen.update(case=router.db_for_read(Case), token=router.db_for_read(ApiToken))
        seen.update(rollup=router.db_for_read(Rollup), display=router.db_for_read(DisplayToken))
        return HttpResponse(status=201 if method == "POST" else 200)

    ReplicaMiddleware(view)(request)
    return seen


def test_a_dashboard_reads_cases_from_the_replica_but_never_credentials(replica, persona):
    leader = persona("leader")
    seen = serve(leader, "GET", "/dashboard/")
    assert seen == {"case": "replica", "token": None, "rollup": "replica", "display": None}
    assert serve(leader, "GET", "/api/v1/kpis")["case"] == "replica"
    # Work pages are not reports: the inbox is read from the primary.
    assert serve(leader, "GET", "/cases/")["case"] is None


def test_a_member_who_wrote_reads_from_the_primary_for_a_while(replica, persona, settings):
    leader, other = persona("leader"), persona("dispatcher")
    serve(leader, "POST", "/dashboard/meetings/new/")
    assert serve(leader, "GET", "/dashboard/")["case"] is None
    assert serve(other, "GET", "/dashboard/")["case"] == "replica"  # the mark is the writer's own


def test_a_request_that_writes_or_runs_a_transaction_reads_from_the_primary(replica, persona):
    leader = persona("leader")
    assert serve(leader, "GET", "/dashboard/", inside=lambda: router.db_for_write(Case))["case"] is None

    def in_transaction():
        with transaction.atomic():
            assert router.db_for_read(Case) is None

    serve(leader, "GET", "/dashboard/", inside=in_transaction)


def test_no_replica_no_routing(persona, settings):
    settings.YIMEN_REPLICA_URL = ""
    assert serve(persona("leader"), "GET", "/dashboard/")["case"] is None
    assert router.allow_migrate("replica", "cases") is False and router.allow_migrate("default", "cases") is True
