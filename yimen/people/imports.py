"""Excel import of households and residents (issue 4 part 7): upload, dry run, apply.

The upload is checked in full first (import_rows.check_rows writes nothing) and the clerk reads
the per-row report before applying. Applying is idempotent by ID number and 户编号: a batch of
households is written in a few bulk statements (import_write) with one audit entry naming the
residents it created or updated; a batch that fails leaves nothing and is applied again row by
row through the registry's services (household_upsert, person_upsert), where a household's head
row and the household apply together or not at all and every other row whole or not at all.

Work is committed in batches of about BATCH rows, not in one transaction: a township PC runs
on SQLite, where one transaction over 30,000 rows would hold every other writer for minutes.
Files over BACKGROUND_ROWS rows are checked and applied by the task queue, with progress."""

import base64
from collections import defaultdict
from collections.abc import Callable

from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from yimen.core.crypto import sm4_decrypt, sm4_encrypt
from yimen.core.errors import Conflict, DomainError, Invalid
from yimen.core.permissions import require_permission
from yimen.core.spreadsheets import Book
from yimen.geo.models import Region
from yimen.org.models import Membership
from yimen.org.services import audit_as
from yimen.people import tasks
from yimen.people.import_rows import COLUMNS, Row, check_rows, sheet_size
from yimen.people.import_write import write_batch
from yimen.people.models import ImportJob, Person, Tag
from yimen.people.services import household_upsert, person_upsert

BACKGROUND_ROWS = 2000
BATCH = 500  # rows per committed batch, and how often a background job reports progress
MAX_BYTES = 20 * 1024 * 1024
FIELD_LABELS = {
    "id_number": "身份证号",
    "name": "姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "phone": "手机号",
    "status": "居住状态",
    "region": "微网格",
    "household": "户",
    "address": "住址",
    "tags": "关爱类别",
    "number": "户编号",
}
TEMPLATE_ROWS = 5000  # rows of the template that offer the pick lists


def _seal(data: bytes) -> str:
    return sm4_encrypt(base64.b64encode(data).decode())


def _unseal(job: ImportJob) -> bytes:
    return base64.b64decode(sm4_decrypt(job.payload_cipher))


def _move(job: ImportJob, action: str, **changes) -> None:
    """A conditional UPDATE: the job moves only from a state the action allows (else 409)."""
    sources, target = ImportJob.TRANSITIONS[action]
    moved = ImportJob.objects.filter(pk=job.pk, state__in=sources).update(
        state=target, version=F("version") + 1, **changes
    )
    if moved != 1:
        raise Conflict("该导入批次的状态已变化，请刷新页面。", code="stale_or_wrong_state")
    job.refresh_from_db()


def _progress(job: ImportJob, offset: int = 0) -> Callable[[int], None]:
    def report(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=offset + done)

    return report


@transaction.atomic
def import_start(*, actor: Membership, filename: str, data: bytes) -> ImportJob:
    """导入第一步: take the workbook (kept SM4-encrypted until applied or discarded) and dry-run
    it, inline for a small file, on the task queue for more than BACKGROUND_ROWS rows. Audited
    with the file name and its row count."""
    require_permission(actor, "person.import")
    if len(data) > MAX_BYTES:
        raise Invalid(f"文件超过 {MAX_BYTES // 1024 // 1024} MB，请拆分后分批导入。", code="too_large")
    rows = sheet_size(data)
    job = ImportJob.objects.create(
        member=actor,
        filename=filename[:200],
        payload_cipher=_seal(data),
        total_rows=rows,
        background=rows > BACKGROUND_ROWS,
    )
    detail = {"filename": job.filename, "rows": rows, "background": job.background}
    audit_as(actor, action="person_import", target=f"import:{job.code}", detail=detail)
    if job.background:
        transaction.on_commit(lambda: tasks.import_check_task(job.pk))
    else:
        import_check(job=job)
    return job


def import_check(*, job: ImportJob) -> ImportJob:
    """The dry run of a job in state checking: the per-row report and counts, then checked.
    Progress is committed as it goes (when run by the task queue, outside any transaction)."""
    try:
        rows = check_rows(actor=job.member, data=_unseal(job), progress=_progress(job), every=BATCH)
    except DomainError as exc:
        return import_fail(job=job, reason=exc.message)
    ok = sum(row.ok for row in rows)
    _move(
        job,
        "check_done",
        total_rows=len(rows),
        processed_rows=len(rows),
        ok_rows=ok,
        error_rows=len(rows) - ok,
        report=[row.report_line() for row in rows],
    )
    return job


@transaction.atomic
def import_apply(*, actor: Membership, job: ImportJob) -> ImportJob:
    """导入第二步: apply a checked job's sound rows (its importer only). Runs inline for a small
    file, else on the task queue; the rows are checked again first, as the registry may have
    changed since the dry run."""
    require_permission(actor, "person.import")
    if job.member.user_id != actor.user_id:
        raise Conflict("只能执行自己上传的导入批次。", code="not_yours")
    if job.ok_rows == 0:
        raise Invalid("本批次没有可导入的行，请修改后重新上传。", code="nothing_to_apply")
    _move(job, "apply", processed_rows=0)
    if job.background:
        transaction.on_commit(lambda: tasks.import_apply_task(job.pk))
    else:
        import_run(job=job)
    return job


def import_run(*, job: ImportJob) -> ImportJob:
    """Apply a job in state applying, batch by batch, then record the counts (audited)."""
    try:
        rows = check_rows(actor=job.member, data=_unseal(job))
    except DomainError as exc:
        return import_fail(job=job, reason=exc.message)
    households: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row.ok:
            households[row.household_no].append(row)
        else:
            row.status = "未导入"
    care = {tag.name: tag for tag in Tag.objects.filter(sensitive=False)}
    source = f"import:{job.code}"
    batch: list[list[Row]] = []
    pending = done = 0
    for members in households.values():
        batch.append(members)
        pending += len(members)
        if pending >= BATCH:
            _apply_batch(job.member, batch, care, source)
            done, pending, batch = done + pending, 0, []
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)
    if batch:
        _apply_batch(job.member, batch, care, source)
    counts = {"created": sum(r.status == "已新增" for r in rows), "updated": sum(r.status == "已更新" for r in rows)}
    with transaction.atomic():
        _move(
            job,
            "apply_done",
            processed_rows=len(rows),
            created_rows=counts["created"],
            updated_rows=counts["updated"],
            error_rows=len(rows) - sum(counts.values()),
            report=[row.report_line() for row in rows],
            payload_cipher="",
            finished_at=timezone.now(),
        )
        detail = {**counts, "failed": job.error_rows, "rows": len(rows), "filename": job.filename}
        audit_as(job.member, action="person_import_apply", target=source, detail=detail)
    return job


@transaction.atomic
def _apply_batch(actor: Membership, batch: list[list[Row]], care: dict[str, Tag], source: str) -> None:
    """A batch in one transaction: the fast path, else (it failed and left nothing) row by row."""
    try:
        with transaction.atomic():
            write_batch(actor=actor, batch=batch, care=care, source=source)
    except (DomainError, DatabaseError):
        _apply_rows(actor, batch, care, source)


def _apply_rows(actor: Membership, batch: list[list[Row]], care: dict[str, Tag], source: str) -> None:
    """Row by row through the services, each resident audited on its own; a failure is the
    row's (or, for a head, the household's) message in the report."""
    kept = _other_tags(actor, [row.existing for members in batch for row in members if row.existing], care)
    for members in batch:
        head = next(row for row in members if row.is_head)
        try:
            with transaction.atomic():  # the household and its head: together or not at all
                household, _ = household_upsert(
                    actor=actor, region=head.region, address=head.address, number=head.household_no
                )
                _apply_row(actor, head, household, kept, source)
        except (DomainError, DatabaseError) as exc:
            for row in members:
                _failed(row, exc if row is head else None)
            continue
        for row in members:
            if row is not head:
                try:
                    _apply_row(actor, row, household, kept, source)
                except (DomainError, DatabaseError) as exc:
                    _failed(row, exc)


def _other_tags(actor: Membership, person_ids: list[int], care: dict[str, Tag]) -> dict[int, list[str]]:
    """The tags beside the care categories that registered persons carry and the actor sees: an
    import replaces care tags only (sensitive tags the actor cannot see, person_upsert keeps)."""
    kept: dict[int, list[str]] = defaultdict(list)
    links = Person.tags.through.objects.filter(person_id__in=person_ids, tag__in=Tag.objects.visible_to(actor))
    for person_id, name in links.exclude(tag__name__in=care).values_list("person_id", "tag__name"):
        kept[person_id].append(name)
    return kept


def _apply_row(actor: Membership, row: Row, household, kept: dict[int, list[str]], source: str) -> None:
    tags = None
    if row.care_tags is not None:  # the column is the truth for care tags
        tags = [*row.care_tags, *kept.get(row.existing, [])]
    _, created = person_upsert(
        actor=actor,
        id_number=row.id_number,
        household=household,
        region=row.region,
        address=row.address,
        tags=tags,
        source=source,
        **row.fields,
    )
    row.status = "已新增" if created else "已更新"


def _failed(row: Row, exc: Exception | None) -> None:
    row.status = "未导入"
    if exc is None:
        row.messages.append("本户户主行未能导入，本行随之未导入。")
    elif isinstance(exc, DomainError) and exc.errors:
        row.messages.extend(f"{FIELD_LABELS.get(k, k)}：{m}" for k, ms in exc.errors.items() for m in ms)
    elif isinstance(exc, DomainError):
        row.messages.append(exc.message)
    else:
        row.messages.append("数据库拒绝写入本行（可能正被他人同时修改），请稍后重新导入。")


def import_fail(*, job: ImportJob, reason: str) -> ImportJob:
    """A job that cannot go on: failed with its reason, the kept workbook erased. Audited."""
    with transaction.atomic():
        _move(job, "fail", error=reason[:500], payload_cipher="", finished_at=timezone.now())
        audit_as(job.member, action="person_import_fail", target=f"import:{job.code}", detail={"reason": reason})
    return job


@transaction.atomic
def import_discard(*, actor: Membership | None, job: ImportJob) -> ImportJob:
    """Give up a checked or failed job: the kept workbook is erased at once (个人信息保护法
    art. 19: kept no longer than needed). No actor: the nightly expiry of unapplied jobs."""
    if actor is not None:
        require_permission(actor, "person.import")
    _move(job, "discard", payload_cipher="", finished_at=timezone.now())
    who = {} if actor else {"username": "system"}
    audit_as(actor, action="person_import_discard", target=f"import:{job.code}", **who)
    return job


def template_workbook(*, member: Membership) -> bytes:
    """The empty import template: the columns with notes and pick lists, the instructions, and
    the micro-grid codes of the member's jurisdiction."""
    book = Book()
    text = [position for position, column in enumerate(COLUMNS, start=1) if column.text]
    sheet = book.sheet("人员", widths=[column.width for column in COLUMNS], text_columns=text)
    sheet.header(
        [column.title for column in COLUMNS],
        marked=[position for position, column in enumerate(COLUMNS, start=1) if column.required],
        notes={position: column.note for position, column in enumerate(COLUMNS, start=1)},
    )
    sheet.freeze_header()
    keys = [column.key for column in COLUMNS]
    sheet.pick_list(keys.index("gender") + 1, ["男", "女"], rows=TEMPLATE_ROWS)
    sheet.pick_list(keys.index("status") + 1, ["常住", "流动", "外出"], rows=TEMPLATE_ROWS)
    guide = book.sheet("填写说明", widths=[12, 6, 80])
    guide.header(["列", "必填", "说明"])
    for column in COLUMNS:
        guide.row([column.title, "是" if column.required else "", column.note])
    guide.row([])
    guide.row(["", "", "同一身份证号再次导入时更新原有记录，不会重复登记；先校验、看过逐行报告后再执行导入。"])
    codes = book.sheet("微网格代码", widths=[20, 30])
    codes.header(["微网格代码", "名称"])
    microgrids = Region.objects.filter(level=Region.Level.MICROGRID, path__startswith=member.jurisdiction.path)
    for code, name in microgrids.order_by("code").values_list("code", "name"):
        codes.row([code, name])
    return book.content()


def report_workbook(*, job: ImportJob) -> bytes:
    """The per-row report the clerk downloads: row, 户编号, name, masked ID number, status and
    every message; rows with problems shaded. Every value came from the upload, so the writer's
    text-as-text rule is what keeps a name like "=HYPERLINK(...)" from running here."""
    book = Book()
    sheet = book.sheet("逐行报告")
    sheet.caption(f"{job.filename} · {job.get_state_display()} · 共 {job.total_rows} 行")
    sheet.header(["行号", "户编号", "姓名", "身份证号", "状态", "说明"])
    for number, household_no, name, masked, status, messages in job.report:
        sheet.row([number, household_no, name, masked, status, "；".join(messages)], shaded=bool(messages))
    return book.content()
