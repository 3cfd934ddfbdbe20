"""年度报告 (issue 20 part 2): volumes by kind and month from the rollups, the rankings, and the
typical cases run through the anonymiser — on the page and in the PDF, with no person in either."""

import re
from io import BytesIO

import pypdf
import pytest
from django.utils import timezone

from yimen.cases.tests.conftest import JUDICIAL, POLICE, act, register
from yimen.geo.models import Region
from yimen.insight.rollups import queue
from yimen.insight.topics.models import Topic

PARTIES = [
    {"name": "蒋秀英", "role": "applicant", "phone": "13977310428", "id_number": "450324198803150027"},
    {"name": "唐明华", "role": "respondent"},
]
SECRETS = ("蒋秀英", "秀英", "唐明华", "13977310428", "450324198803150027", "才湾村第一网格")


@pytest.fixture
def year(seats, django_capture_on_commit_callbacks):
    """This year: a dispute closed, answered and rated 5 (typical); an appeal still open; a
    petition (confidential: never counted here)."""
    with django_capture_on_commit_callbacks(execute=True):
        case = register(
            seats["clerk"],
            title="蒋秀英与唐明华宅基地边界纠纷",
            description="蒋秀英（电话13977310428）反映邻居唐明华在3组12号修建围墙占用其宅基地。",
            parties=PARTIES,
        )
        for action, who, extra in [
            ("accept", "clerk", {}),
            ("dispatch", "dispatcher", {"lead_unit": POLICE, "support_units": [JUDICIAL]}),
            ("sign", "police", {}),
            ("sign", "judicial", {}),
            ("reply", "police", {"text": "经调解，唐明华同意拆除越界围墙，蒋秀英表示满意。"}),
            ("reply", "judicial", {"text": "司法所协助调解。"}),
            ("review", "dispatcher", {"approved": True}),
            ("follow_up", "clerk", {"rating": 5}),
        ]:
            case = act(action, case, seats[who], **extra)
        register(seats["clerk"], kind="appeal", title="村道路灯不亮", parties=[])
        register(seats["petition"], kind="petition", petition_type="claim", title="信访事项")
    queue.flush()  # the rollups the report reads, refreshed as the consumer would after commit
    return case


def pdf_text(body: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(body)).pages)


def test_the_page_counts_by_kind_and_month_and_tells_a_typical_case_without_its_people(client, year):
    this = timezone.localdate()
    page = client.get(f"/public/report/{this.year}/")
    assert page.status_code == 200
    report = page.context["report"]
    assert report.received == 2  # the dispute and the appeal; the petition is confidential
    assert report.closed == 1
    month = dict((label, (counts, total)) for label, counts, total in report.months)[f"{this.month}月"]
    assert month[1] == 2
    assert dict(zip(report.kinds, report.totals, strict=True))["矛盾纠纷"] == 1
    assert report.ranking.units[0].code == POLICE
    html = page.content.decode()
    assert "宅基地边界纠纷" in html and "拆除越界围墙" in html  # the typical case, told …
    for secret in SECRETS:  # … without anyone in it
        assert secret not in html
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", html)


def test_the_pdf_holds_the_same_report_and_no_person(client, year):
    got = client.get(f"/public/report/{timezone.localdate().year}/?format=pdf")
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    text = pdf_text(got.content)
    assert "年接诉即办年度报告" in text and "三率排名" in text and "拆除越界围墙" in text
    for secret in SECRETS:
        assert secret not in text


@pytest.mark.parametrize("year", [1999, 2999])
def test_a_year_outside_the_records_is_not_found(client, town, year):
    assert client.get(f"/public/report/{year}/").status_code == 404


def test_the_years_largest_topics_are_listed_without_their_cases(client, year):
    town = Region.objects.get(code="450324106")
    this = timezone.localdate().replace(day=1)
    Topic.objects.create(
        region=town,
        region_path=town.path,
        month=this,
        label="垃圾清运、垃圾池（多村）",
        terms=[["垃圾清运", 0.9], ["垃圾池", 0.5]],
        size=12,
    )
    page = client.get(f"/public/report/{this.year}/").content.decode()
    section = page[page.index('data-testid="annual-topics"') :]
    assert "垃圾清运、垃圾池（多村）" in section and "垃圾清运、垃圾池</td>" in section
    assert "垃圾清运、垃圾池（多村）" in pdf_text(client.get(f"/public/report/{this.year}/?format=pdf").content)
