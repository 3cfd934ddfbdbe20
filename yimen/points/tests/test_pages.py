"""The committee's queue and the village screen's 红黑榜, as a user sees them."""

from django.utils import timezone

from yimen.core.tests.samples import jpeg
from yimen.points import selectors, services
from yimen.points.models import Award

from .conftest import award


def propose(seats, household, rule="vir-volunteer", by="gridworker"):
    return services.award_propose(
        actor=seats[by], household=household, rule_code=rule, note="清扫村道", photos=[jpeg()]
    )


def test_queue_lists_waiting_proposals_without_n_plus_one(client, seats, homes, django_assert_max_num_queries):
    for _ in range(5):
        propose(seats, homes["wang"])
    client.force_login(seats["village"].user)
    with django_assert_max_num_queries(12):
        page = client.get("/points/")
    assert page.status_code == 200
    assert page.content.decode().count("data-award=") == 5 and "王德明" in page.content.decode()


def test_approve_and_reject_with_reason_from_the_page(client, seats, homes):
    first, second = propose(seats, homes["wang"]), propose(seats, homes["li"])
    client.force_login(seats["village"].user)
    client.post(f"/points/awards/{first.pk}/decide/", {"decision": "approve"})
    assert selectors.balance_of(homes["wang"]) == 2
    refused = client.post(f"/points/awards/{second.pk}/decide/", {"decision": "reject", "reason": ""}, follow=True)
    assert "驳回须写明理由" in refused.content.decode()
    assert Award.objects.get(pk=second.pk).state == Award.State.PROPOSED
    client.post(f"/points/awards/{second.pk}/decide/", {"decision": "reject", "reason": "重复申报"})
    assert Award.objects.get(pk=second.pk).state == Award.State.REJECTED


def test_board_page_names_consenting_households_only(client, seats, homes):
    award(seats, homes["wang"], rule="ind-cooperative")
    award(seats, homes["li"], rule="san-burn")
    services.consent_give(actor=seats["village"], household=homes["wang"])
    client.force_login(seats["gridworker"].user)
    page = client.get("/points/board/", {"month": timezone.localtime().strftime("%Y-%m")}).content.decode()
    assert "王德明" in page and "李秀英" not in page and "露天焚烧秸秆、垃圾" in page
    assert client.get("/points/board/", {"month": "2026-1x"}).status_code == 422


def test_the_years_board_and_its_poster_name_only_consenting_households(client, seats, homes):
    from yimen.cases.tests.test_documents import pdf_text

    award(seats, homes["wang"], rule="ind-cooperative")
    award(seats, homes["li"], rule="vir-volunteer")
    award(seats, homes["li"], rule="san-burn")
    services.consent_give(actor=seats["village"], household=homes["wang"])
    client.force_login(seats["village"].user)
    year = str(timezone.localdate().year)
    page = client.get("/points/board/", {"year": year}).content.decode()
    assert f"{year} 年度" in page and "王德明" in page and "李秀英" not in page
    poster = client.get("/points/board/poster.pdf", {"year": year})
    text = pdf_text(poster.content)
    assert poster["Content-Type"] == "application/pdf"
    assert "王德明" in text and "李秀英" not in text and "露天焚烧秸秆" in text and "不公示姓名" in text
    assert client.get("/points/board/poster.pdf", {"year": "20x6"}).status_code == 422


def test_the_queue_shows_proposals_and_appeals_as_cards_and_its_title_is_plain(client, seats, homes):
    propose(seats, homes["li"])
    entry = award(seats, homes["wang"], rule="fam-filial").entry
    services.appeal_file(actor=seats["village"], entry=entry, grounds="该户认为评定依据不足")
    client.force_login(seats["gridchief"].user)
    html = client.get("/points/").content.decode()
    assert "<title>积分审核" in html and html.count("待处理的申诉") == 1  # once, in the page, not the title
    assert 'data-award="' in html and "申报人" in html and 'name="decision" value="approve"' in html
    assert "申诉理由：该户认为评定依据不足" in html and 'name="upheld" value="yes"' in html
    assert f'href="/points/households/{homes["wang"].pk}/"' in html
    client.force_login(seats["village"].user)  # it approved the entry: it stands aside
    html = client.get("/points/").content.decode()
    assert "须由其他村干部处理（回避）" in html and 'name="upheld"' not in html
