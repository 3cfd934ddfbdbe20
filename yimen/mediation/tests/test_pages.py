"""The pages: the roster and the statistics (flat query counts), the mediator form, the panel
on the case page and its htmx steps."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import RegionFactory
from yimen.cases.models import CaseDocument
from yimen.geo.models import Region
from yimen.mediation import services
from yimen.mediation.models import Mediation, Mediator, Session

from .conftest import AGREEMENT, INITIATIVE, dispute, make_mediator, version
from .test_services import session

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize("n", [1, 15])
def test_roster_cost_is_flat(client, seats, django_assert_max_num_queries, n):
    for i in range(n):
        make_mediator(f"调解员{i}", "people", skills=["邻里"])
    other = RegionFactory(code="450324107", name="另一镇", parent=Region.objects.get(code="450324"))
    make_mediator("外镇调解员", "people", region=other.code)  # another town's: not in this roster
    client.force_login(seats["dispatcher"].user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("mediation:roster"))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == n
    assert "外镇调解员" not in response.content.decode()


def test_roster_filters_and_htmx_rows(client, seats, roster):
    client.force_login(seats["clerk"].user)
    page = client.get(reverse("mediation:roster"), {"kind": "qunying"}, headers=HTMX)
    assert [m.name for m in page.context["page_obj"]] == ["唐永生"]
    assert "<html" not in page.content.decode()
    by_skill = client.get(reverse("mediation:roster"), {"skill": "土地"})
    assert [m.name for m in by_skill.context["page_obj"]] == ["唐桂芳"]
    assert "登记调解员" not in by_skill.content.decode()  # the clerk does not keep the roster


def test_mediator_form_adds_and_refuses(client, seats):
    client.force_login(seats["dispatcher"].user)
    refused = client.post(reverse("mediation:mediator_new"), {"name": "", "kind": "people", "region": "450324106"})
    assert refused.status_code == 422 and "请填写姓名" in refused.content.decode()
    saved = client.post(
        reverse("mediation:mediator_new"),
        {
            "name": "唐秀英",
            "kind": "qunying",
            "region": "450324106200",
            "villages": ["450324106200"],
            "skills": "婚姻家庭、邻里",
            "is_active": "yes",
        },
    )
    assert saved.status_code == 302
    mediator = Mediator.objects.get(name="唐秀英")
    assert mediator.skills == ["婚姻家庭", "邻里"] and [v.code for v in mediator.villages.all()] == ["450324106200"]
    edit = reverse("mediation:mediator_edit", args=[mediator.pk])
    stale = client.post(edit, {"version": 0, "name": "唐秀英", "kind": "qunying", "region": "450324106200"})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    client.force_login(seats["gridchief"].user)
    assert client.get(edit).status_code == 403


def test_stats_page(client, seats, roster, django_assert_max_num_queries):
    client.force_login(seats["leader"].user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("mediation:stats"))
    assert response.status_code == 200 and "小事不出村" in response.content.decode()


def test_case_panel_and_htmx_steps(client, seats, case, roster):
    client.force_login(seats["judicial"].user)
    page = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert 'data-testid="mediation-panel"' in page and 'data-step="session"' in page
    url = reverse("mediation:step", args=[case.code, "session"])
    fields = {
        "held_at": (timezone.localtime() + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"),  # after registering
        "place": "综治中心调解室",
        "mediators": [roster["people"].pk],
        "attendees": "唐建国、唐明华",
        "minutes": "",
        "outcome": "agreement",
        "version": version(case),
    }
    refused = client.post(url, fields, headers=HTMX)
    assert refused.status_code == 200 and "请填写调解记录" in refused.content.decode()
    assert "唐建国、唐明华" in refused.content.decode()  # what was typed stays
    done = client.post(url, {**fields, "minutes": "双方达成一致。"}, headers=HTMX)
    assert done.status_code == 204 and done["HX-Redirect"] == reverse("cases:detail", args=[case.code])
    agreement = {**AGREEMENT, "performance_due": str(timezone.localdate()), "version": version(case)}
    plain = client.post(reverse("mediation:step", args=[case.code, "agreement"]), {**agreement, "terms": ""})
    assert plain.status_code == 422 and "协议内容" in plain.content.decode()
    client.post(reverse("mediation:step", args=[case.code, "agreement"]), agreement)
    assert Mediation.objects.get(case=case).result == "agreement"
    assert CaseDocument.objects.filter(case=case, kind="agreement").count() == 2
    page = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert 'data-testid="agreement-pdf"' in page and 'data-step="apply"' in page
    # the supporting police see the records and no forms; the grid worker sees nothing
    client.force_login(seats["police"].user)
    page = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert 'data-testid="mediation-panel"' in page and "mediation-steps" not in page
    assert client.post(reverse("mediation:step", args=[case.code, "performance"]), {}).status_code == 403
    assert client.post(reverse("mediation:step", args=[case.code, "nope"]), {}).status_code == 404


def test_a_stale_step_form_is_redrawn_on_the_new_version_keeping_what_was_typed(client, seats, case, roster):
    client.force_login(seats["judicial"].user)
    drawn = version(case)
    services.mediation_team_assemble(
        case=case,
        actor=seats["judicial"],
        version=drawn,
        members=[roster["judge"].pk],
        without_consent_reason=INITIATIVE,
    )
    fields = {
        "held_at": (timezone.localtime() + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "综治中心调解室",
        "mediators": [roster["people"].pk],
        "attendees": "唐建国、唐明华",
        "minutes": "双方陈述意见。",
        "outcome": "continue",
        "version": drawn,
    }
    refused = client.post(reverse("mediation:step", args=[case.code, "session"]), fields, headers=HTMX)
    html = refused.content.decode()
    assert refused.status_code == 200 and "案件已被他人更新" in html and "唐建国、唐明华" in html
    assert f'name="version" value="{drawn + 1}"' in html and f'name="version" value="{drawn}"' not in html
    assert not Session.objects.filter(mediation__case=case).exists()


def test_the_agreement_form_starts_from_the_record(client, seats, case, roster):
    """Facts from the case, terms from the last session's minutes, signed by who chaired it."""
    minutes = "唐明华赔偿医药费八百元，当场付清。"
    session(case, seats["judicial"], [roster["people"]], outcome="agreement", minutes=minutes)
    client.force_login(seats["judicial"].user)
    page = client.get(f"/cases/{case.code}/").content.decode()
    form = page[page.index('id="m-agreement-facts"') :]
    assert case.description in form[: form.index("</textarea>")]
    terms = page[page.index('id="m-agreement-terms"') :]
    assert minutes in terms[: terms.index("</textarea>")]
    mediator = page[page.index('id="m-agreement-mediator"') :]
    assert f'value="{roster["people"].pk}" selected' in mediator[: mediator.index("</select>")]


def test_a_domestic_violence_case_warns_before_mediation_is_offered(client, seats, case):
    violence = dispute(seats, category="dispute.family.violence", title="称丈夫酒后殴打")
    client.force_login(seats["judicial"].user)
    page = client.get(f"/cases/{violence.code}/").content.decode()
    warning = page.index('data-testid="mediation-violence-warning"')
    assert "人身安全保护令" in page[warning:] and warning < page.index('m-team-')
    assert 'data-testid="mediation-violence-warning"' not in client.get(f"/cases/{case.code}/").content.decode()
