"""Export of a filtered person list: a purpose first, masked unless the role may reveal, scoped
to the jurisdiction, and one audit entry with the purpose and the row count."""

import io

import pytest
from openpyxl import load_workbook

from yimen.core.models import AuditEntry
from yimen.core.tests.sheets import FORMULAS, formula_cells
from yimen.people.tests.samples import XIAOTANG_MICROGRID, make_id_number, make_resident

URL = "/persons/export/"


@pytest.fixture
def residents(persona):
    dispatcher = persona("dispatcher")  # may set the sensitive tag
    make_resident(dispatcher, "张三", seq=1, tags=["留守老人", "重点信访"])
    make_resident(dispatcher, "张三丰", seq=2)
    make_resident(dispatcher, "李四", seq=3, micro=XIAOTANG_MICROGRID)


def export(client, persona, role: str, **params):
    client.force_login(persona(role).user)
    return client.get(URL, params)


def rows_of(response) -> list[dict]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    lines = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return [dict(zip(lines[0], line, strict=True)) for line in lines[1:]]


def test_without_reveal_the_list_is_masked_and_the_export_audited(client, persona, residents):
    response = export(client, persona, "clerk", q="张三", purpose="走访入户名单")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of(response)
    assert [row["姓名"] for row in rows] == ["张三", "张三丰"]
    full = make_id_number(seq=1)
    assert rows[0]["身份证号"] == f"{full[:6]}********{full[-4:]}" and rows[0]["手机号"] == "138****0001"
    assert rows[0]["关爱类别"] == "留守老人" and "重点人群" not in rows[0]
    assert full.encode() not in response.content
    entry = AuditEntry.objects.get(action="person_export")
    assert entry.actor.username == "clerk" and entry.purpose == "走访入户名单"
    assert entry.detail == {"rows": 2, "filters": {"q": "张三", "region": "", "tag": ""}, "full_values": False}


def test_a_role_that_may_reveal_exports_full_values_within_its_jurisdiction(client, persona, residents):
    rows = rows_of(export(client, persona, "gridchief", purpose="核对户籍"))
    assert [row["姓名"] for row in rows] == ["张三", "张三丰"]  # 才湾村 only: 李四 lives in 小塘村
    assert rows[0]["身份证号"] == make_id_number(seq=1) and rows[0]["手机号"] == "13800000001"
    assert rows[0]["重点人群"] == "重点信访"
    assert AuditEntry.objects.get(action="person_export").detail["full_values"] is True


def test_searching_by_id_number_leaves_it_masked_in_the_log(client, persona, residents):
    number = make_id_number(seq=3)
    rows = rows_of(export(client, persona, "dispatcher", q=number, purpose="核实当事人身份"))
    assert [row["姓名"] for row in rows] == ["李四"]
    entry = AuditEntry.objects.get(action="person_export")
    assert entry.detail["filters"]["q"] == f"{number[:6]}********{number[-4:]}" and entry.detail["rows"] == 1


def test_without_a_purpose_nothing_is_exported(client, persona, residents):
    asked = export(client, persona, "leader", q="张")
    assert asked.status_code == 200 and "导出目的" in asked.content.decode()
    assert 'value="张"' in asked.content.decode()  # the list's filters are carried over
    refused = client.get(URL, {"q": "张", "purpose": "  "})
    assert refused.status_code == 422 and "请填写导出目的。" in refused.content.decode()
    assert not AuditEntry.objects.filter(action="person_export").exists()


@pytest.mark.parametrize("role", ["gridworker", "mediator", "police", "sysadmin", "auditor"])
def test_roles_without_export_are_refused(client, persona, residents, role):
    assert export(client, persona, role, purpose="随便看看").status_code == 403
    assert not AuditEntry.objects.filter(action="person_export").exists()


def test_a_name_or_address_that_looks_like_a_formula_is_exported_as_text(client, persona):
    dispatcher = persona("dispatcher")
    for seq, name in enumerate(FORMULAS, start=10):
        make_resident(dispatcher, name, seq=seq, address=f"-{seq}号")
    response = export(client, persona, "dispatcher", purpose="核对")
    cells = formula_cells(response.content, "人员")
    names = {name.strip() for name in FORMULAS}  # the registry trims names as it stores them
    assert {name: cells[name] for name in names} == {name: ("s", name != "#N/A") for name in names}
    assert all(cells[f"-{seq}号"] == ("s", True) for seq in range(10, 10 + len(FORMULAS)))
