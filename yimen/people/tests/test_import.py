"""Excel import: the dry run's per-row report, apply, idempotent re-import, a row never half
applied, the background path with progress, and who may import."""

import io
from datetime import date

import pytest
from django.db import IntegrityError
from openpyxl import Workbook, load_workbook

from tests.factories import RegionFactory
from yimen.core.identity import id_check_digit
from yimen.core.models import AuditEntry
from yimen.core.spreadsheets import Book
from yimen.core.tests.sheets import FORMULAS, formula_cells
from yimen.geo.models import Region
from yimen.people import imports
from yimen.people import services as registry
from yimen.people.import_rows import COLUMNS
from yimen.people.models import Household, ImportJob, Person
from yimen.people.tests.samples import CAIWAN_MICROGRID, XIAOTANG_MICROGRID, make_id_number

TITLES = [column.title for column in COLUMNS]


def workbook(rows: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "人员"
    sheet.append(TITLES)
    for row in rows:
        sheet.append([row.get(title, "") for title in TITLES])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def person_row(household: str, name: str, seq: int, relationship: str = "户主", **extra) -> dict:
    row = {"户编号": household, "姓名": name, "身份证号": make_id_number(seq=seq), "与户主关系": relationship}
    if relationship == "户主":
        row.update({"住址": f"才湾村{household}号", "微网格代码": CAIWAN_MICROGRID})
    return {**row, **extra}


def family(household: str = "H1", first_seq: int = 1) -> list[dict]:
    return [
        person_row(household, "唐建国", first_seq, 手机号="13812345678", 关爱类别="残疾"),
        person_row(household, "蒋秀英", first_seq + 1, "配偶", 性别="男", 居住状态="外出"),
        person_row(household, "唐小明", first_seq + 2, "子"),
    ]


def report_of(job: ImportJob) -> dict[int, tuple[str, list[str]]]:
    return {line[0]: (line[4], line[5]) for line in job.report}


def upload(client, data: bytes, name: str = "人员.xlsx"):
    return client.post("/persons/import/", {"workbook": _file(data, name)})


def _file(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def fail_batch(**kwargs):
    raise IntegrityError("the fast path gave up")


@pytest.fixture
def clerk(persona):
    return persona("clerk")


@pytest.fixture
def as_clerk(client, clerk):
    client.force_login(clerk.user)
    return client


def test_template_lists_the_columns_and_the_members_micro_grids(as_clerk):
    response = as_clerk.get("/persons/import/template/")
    assert response.status_code == 200 and response["Cache-Control"].count("no-store")
    book = load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in book["人员"][1]] == TITLES
    codes = [row[0] for row in book["微网格代码"].iter_rows(min_row=2, values_only=True)]
    assert codes == [CAIWAN_MICROGRID, XIAOTANG_MICROGRID]


def test_dry_run_reports_every_bad_row_in_chinese_and_writes_nothing(as_clerk, clerk):
    elsewhere = RegionFactory(code="4503241059999999", level="microgrid", parent=RegionFactory(code="450324105"))
    bad_checksum = make_id_number(seq=20)[:-1] + ("0" if make_id_number(seq=20)[-1] != "0" else "1")
    impossible = "45032419900230001"
    rows = [
        *family("H1", 1),
        person_row("H2", "秦一", 10, 身份证号=bad_checksum),
        person_row("H3", "秦二", 11, 身份证号=impossible + id_check_digit(impossible)),
        person_row("H4", "秦三", 12, 手机号="1381234"),
        person_row("H5", "秦四", 13, 微网格代码="4503241069999999"),
        person_row("H6", "秦五", 14, 微网格代码=elsewhere.code),
        person_row("H7", "秦六", 15, "子"),
        person_row("H8", "秦七", 16, 出生日期="1990-02-30", 性别="女"),
    ]
    response = upload(as_clerk, workbook(rows))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/persons/import/{job.code}/"
    assert job.state == "checked" and not job.background
    assert (job.total_rows, job.ok_rows, job.error_rows) == (10, 3, 7)
    report = report_of(job)
    assert report[2] == ("将新增", []) and report[3][0] == "将新增"
    assert report[5] == ("有误", ["身份证号码校验位不正确，请逐位核对。"])
    assert report[6] == ("有误", ["身份证号码中的出生日期不存在。"])
    assert report[7][1] == ["手机号码格式不正确，应为 11 位中国大陆手机号码，如 13812345678。"]
    assert report[8][1] == ["微网格代码“4503241069999999”不存在。"]
    assert report[9][1] == [f"微网格“{elsewhere.name}”（{elsewhere.code}）不在您的管辖范围内。"]
    assert report[10][1] == ["户编号 H7 没有户主行（户主本人的与户主关系填“户主”）。"]
    assert report[11][1] == ["性别与身份证号第 17 位不一致（奇数为男，偶数为女）。", "出生日期“1990-02-30”不存在。"]
    assert Person.objects.count() == Household.objects.count() == 0
    audit = AuditEntry.objects.get(action="person_import")
    assert audit.actor == clerk.user and audit.detail["rows"] == 10 and audit.target == f"import:{job.code}"
    page = as_clerk.get(response.url).content.decode()
    assert "身份证号码校验位不正确" in page and make_id_number(seq=1) not in page and "450324********" in page
    sheet = load_workbook(io.BytesIO(as_clerk.get(f"{response.url}report/").content)).active
    lines = list(sheet.iter_rows(min_row=3, values_only=True))
    assert lines[3] == (5, "H2", "秦一", bad_checksum[:6] + "*" * 8 + bad_checksum[-4:], "有误", report[5][1][0])


def test_apply_then_the_same_file_again_updates_and_never_duplicates(as_clerk, clerk):
    data = workbook([*family("H1", 1), *family("H2", 4)])
    upload(as_clerk, data)
    job = ImportJob.objects.get()
    as_clerk.post(f"/persons/import/{job.code}/apply/")
    job.refresh_from_db()
    assert (job.state, job.created_rows, job.updated_rows, job.error_rows) == ("applied", 6, 0, 0)
    assert job.payload_cipher == ""  # the workbook is erased once applied
    head = Person.objects.get(id_number_index=registry.blind_index(make_id_number(seq=1)))
    household = head.household
    assert household.number == "H1" and household.head == head and household.members.count() == 3
    assert [t.name for t in head.tags.all()] == ["残疾"] and head.phone_masked == "138****5678"
    spouse = household.members.get(relationship="配偶")
    assert spouse.status == "away" and spouse.gender == "M" and spouse.birth_date == date(1980, 1, 1)
    batch = AuditEntry.objects.get(action="person_import_batch", target=f"import:{job.code}")
    assert sorted(batch.detail["created"]) == sorted(Person.objects.values_list("pk", flat=True))
    applied = AuditEntry.objects.get(action="person_import_apply")
    assert applied.detail["created"] == 6 and applied.detail["updated"] == 0

    upload(as_clerk, data, "再次导入.xlsx")
    again = ImportJob.objects.latest("id")
    assert {status for status, _ in report_of(again).values()} == {"将更新"}
    as_clerk.post(f"/persons/import/{again.code}/apply/")
    again.refresh_from_db()
    assert (again.created_rows, again.updated_rows) == (0, 6)
    assert Person.objects.count() == 6 and Household.objects.count() == 2
    assert AuditEntry.objects.filter(action="person_import_batch").latest("seq").detail["updated"] == []  # no change

    changed = [dict(row) for row in [*family("H1", 1), *family("H2", 4)]]
    changed[0].update(手机号="13900000000", 关爱类别="")
    changed[3]["户编号"] = changed[4]["户编号"] = changed[5]["户编号"] = "H1"  # H2's family moves in with H1
    changed[3]["与户主关系"] = "兄弟"
    upload(as_clerk, workbook(changed), "更正.xlsx")
    fixed = ImportJob.objects.latest("id")
    as_clerk.post(f"/persons/import/{fixed.code}/apply/")
    head.refresh_from_db()
    assert head.phone_masked == "139****0000" and not head.tags.exists() and head.version == 2
    assert household.members.count() == 6 and Household.objects.get(number="H2").head is None


def test_applying_row_by_row_when_a_batch_fails(as_clerk, monkeypatch):
    def broken(**kwargs):
        Person.objects.create(name="半条", gender="M", birth_date=date(1980, 1, 1), region=kwargs["batch"][0][0].region)
        raise IntegrityError("deadlock")

    monkeypatch.setattr(imports, "write_batch", broken)
    upload(as_clerk, workbook(family("H1", 1)))
    job = ImportJob.objects.get()
    as_clerk.post(f"/persons/import/{job.code}/apply/")
    job.refresh_from_db()
    assert (job.state, job.created_rows) == ("applied", 3) and not Person.objects.filter(name="半条").exists()
    assert AuditEntry.objects.filter(action="person_create", detail__source=f"import:{job.code}").count() == 3


def test_a_row_is_applied_whole_or_not_at_all(as_clerk, clerk, monkeypatch):
    """Row by row (after a failed batch), a row that fails half way leaves nothing behind."""
    monkeypatch.setattr(imports, "write_batch", fail_batch)
    real_audit = registry.audit_as

    def audit_then_fail(member, **fields):
        real_audit(member, **fields)
        if fields["action"] == "person_create" and Person.objects.get(pk=fields["target"][7:]).name == "唐小明":
            raise IntegrityError("disk full")

    monkeypatch.setattr(registry, "audit_as", audit_then_fail)
    upload(as_clerk, workbook(family("H1", 1)))
    job = ImportJob.objects.get()
    as_clerk.post(f"/persons/import/{job.code}/apply/")
    job.refresh_from_db()
    assert (job.created_rows, job.error_rows) == (2, 1)
    assert report_of(job)[4] == ("未导入", ["数据库拒绝写入本行（可能正被他人同时修改），请稍后重新导入。"])
    assert not Person.objects.filter(name="唐小明").exists()
    assert AuditEntry.objects.filter(action="person_create").count() == 2  # its audit entry went with it
    assert Person.objects.get(name="唐建国").household.members.count() == 2


def test_a_failing_head_keeps_its_whole_household_out(as_clerk, monkeypatch):
    def refuse(**kwargs):
        raise registry.Conflict("该户号已在您管辖范围以外登记，请联系其所在辖区处理。")

    monkeypatch.setattr(imports, "write_batch", fail_batch)
    monkeypatch.setattr(imports, "household_upsert", refuse)
    upload(as_clerk, workbook(family("H1", 1)))
    job = ImportJob.objects.get()
    as_clerk.post(f"/persons/import/{job.code}/apply/")
    job.refresh_from_db()
    assert job.error_rows == 3 and Person.objects.count() == 0
    assert report_of(job)[3] == ("未导入", ["本户户主行未能导入，本行随之未导入。"])


def test_a_large_file_runs_in_the_background_with_progress(as_clerk, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(imports, "BACKGROUND_ROWS", 5)
    monkeypatch.setattr(imports, "BATCH", 3)
    seen, real_batch = [], imports._apply_batch

    def watch(*args):
        seen.append(ImportJob.objects.get().processed_rows)
        return real_batch(*args)

    rows = [row for n in range(3) for row in family(f"H{n}", n * 3 + 1)]
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(as_clerk, workbook(rows))
    job = ImportJob.objects.get()
    assert job.background and job.state == "checked" and job.processed_rows == 9 and job.ok_rows == 9

    ImportJob.objects.filter(pk=job.pk).update(state="applying", processed_rows=3)  # as the page sees it mid-run
    fragment = as_clerk.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and '<progress class="w-100" max="100" value="33"' in fragment
    assert "<html" not in fragment
    ImportJob.objects.filter(pk=job.pk).update(state="checked", processed_rows=9)

    monkeypatch.setattr(imports, "_apply_batch", watch)
    with django_capture_on_commit_callbacks(execute=True):
        as_clerk.post(f"{response.url}apply/")
    job.refresh_from_db()
    assert job.state == "applied" and job.created_rows == 9 and Person.objects.count() == 9
    assert seen == [0, 3, 6]  # progress is written batch by batch
    done = as_clerk.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done and "新增 9 人" in done


def test_wrong_files_are_refused_with_a_reason(as_clerk):
    response = upload(as_clerk, b"not a workbook", "名单.xls")
    assert response.status_code == 422 and "请上传 Excel 工作簿（.xlsx）" in response.content.decode()
    book = Workbook()
    book.active.append(["姓名", "身份证号"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(as_clerk, buffer.getvalue())
    assert response.status_code == 422 and "第 1 行缺少必填列：户编号、与户主关系" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_discarding_erases_the_upload(as_clerk):
    upload(as_clerk, workbook(family()))
    job = ImportJob.objects.get()
    assert job.payload_cipher
    response = as_clerk.post(f"/persons/import/{job.code}/discard/")
    job.refresh_from_db()
    assert response.status_code == 302 and job.state == "discarded" and job.payload_cipher == ""
    assert as_clerk.post(f"/persons/import/{job.code}/apply/").status_code == 302
    assert Person.objects.count() == 0


@pytest.mark.parametrize("role", ["clerk", "dispatcher"])
def test_clerk_and_dispatcher_may_import(client, persona, role):
    client.force_login(persona(role).user)
    assert client.get("/persons/import/").status_code == 200


def test_a_grid_worker_may_not_import_and_nobody_sees_anothers_batch(client, persona, as_clerk):
    upload(as_clerk, workbook(family()))
    job = ImportJob.objects.get()
    worker = persona("gridworker")
    client.force_login(worker.user)
    assert client.get("/persons/import/").status_code == 403
    assert client.post("/persons/import/", {"workbook": _file(workbook(family()), "a.xlsx")}).status_code == 403
    assert client.get(f"/persons/import/{job.code}/").status_code == 403
    client.force_login(persona("dispatcher").user)
    assert client.get(f"/persons/import/{job.code}/").status_code == 404
    assert client.post(f"/persons/import/{job.code}/apply/").status_code == 404
    assert ImportJob.objects.count() == 1


def test_names_that_look_like_formulas_come_back_as_text_in_the_report_and_the_template(as_clerk):
    names = [name.strip() for name in FORMULAS]
    rows = [person_row(f"H{n}", name, n + 1) for n, name in enumerate(names)]
    book = Book()  # an upload whose names are text cells, as an exported list is
    sheet = book.sheet("人员")
    sheet.header(TITLES)
    for row in rows:
        sheet.row([row.get(title, "") for title in TITLES])
    upload(as_clerk, book.content())
    job = ImportJob.objects.get()
    assert [line[2] for line in job.report] == names  # read as the names they are, not as formulas
    report = as_clerk.get(f"/persons/import/{job.code}/report/")
    assert formula_cells(report.content, "逐行报告") == {name: ("s", name != "#N/A") for name in names}
    Region.objects.filter(code=CAIWAN_MICROGRID).update(name="@SUM(A1)")
    template = as_clerk.get("/persons/import/template/")
    assert formula_cells(template.content, "微网格代码") == {"@SUM(A1)": ("s", True)}
