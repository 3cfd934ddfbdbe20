"""Legal fixtures: the case engine's seated personas, a legal-aid application walked to the
judicial office with the case services, the village adviser on the roster, and the decision
documents read back as text."""

from datetime import datetime
from io import BytesIO

import docx
import pypdf
import pytest

from yimen.cases.models import Case, CaseDocument
from yimen.cases.tests.conftest import JUDICIAL, act, register
from yimen.cases.tests.conftest import seats as seats  # the fixture, re-exported
from yimen.geo.models import Region
from yimen.legal import services
from yimen.legal.models import Adviser

VILLAGE_REGION = "450324106200"  # 才湾村
APPLICANT = "蒋秀兰"


def application(seated, received: datetime | None = None, **fields) -> Case:
    """A legal-aid application taken at the centre's window, accepted, sent to the judicial
    office and signed for there (the case is in_progress, the file's clock running)."""
    values = {
        "kind": "legal_aid",
        "title": "蒋秀兰申请离婚诉讼法律援助",
        "description": "申请人称长期遭受丈夫殴打，欲起诉离婚，无力聘请律师。",
        "category": "legal_aid.violence",
        "parties": [
            {"name": APPLICANT, "role": "applicant", "phone": "13907730021"},
            {"name": "唐德明", "role": "respondent"},
        ],
    }
    if received is not None:
        values["received_at"] = received
    values.update(fields)
    case = register(seated["clerk"], **values)
    act("accept", case, seated["clerk"])
    act("dispatch", case, seated["dispatcher"], lead_unit=JUDICIAL)
    return act("sign", case, seated["judicial"])


def means(case: Case, actor, *, income="380", standard="450", **fields):
    values = {"monthly_income": income, "assets": "2000", "income_standard": standard, "key_groups": ["woman"]}
    return services.legal_aid_means_check(case=case, actor=actor, version=None, **{**values, **fields})


def decide(case: Case, actor, *, granted=True, reason="申请人经济困难，符合法律援助条件。", exemption=""):
    return services.legal_aid_decide(
        case=case, actor=actor, version=None, granted=granted, reason=reason, exemption=exemption
    )


@pytest.fixture
def aid_case(seats) -> Case:
    return application(seats)


@pytest.fixture
def village_adviser(seats) -> Adviser:
    """才湾村's legal adviser on the roster, signed in as the `adviser` persona."""
    adviser = Adviser.objects.create(
        name="韦志坚", firm="广西桂全律师事务所", duty="每周二上午在村委会坐班", member=seats["adviser"]
    )
    adviser.villages.add(Region.objects.get(code=VILLAGE_REGION))
    return adviser


def texts(case: Case, kind: str) -> tuple[str, str]:
    """(DOCX text, PDF text) of the latest issue of `kind`, whitespace removed."""
    docs = {d.format: bytes(d.content) for d in CaseDocument.objects.filter(case=case, kind=kind)}
    word = docx.Document(BytesIO(docs["docx"]))
    lines = [p.text for p in word.paragraphs]
    lines += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    pdf = "".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(docs["pdf"])).pages)
    return "".join("".join(lines).split()), "".join(pdf.split())
