"""Export of a filtered person list to Excel (issue 4 parts 2 and 7; DESIGN §2.5).

The same scoped search as the list page, a purpose the member must state, full ID numbers and
phones only for roles holding person.reveal (masked otherwise), sensitive tags only for roles
that may see them, and one audit entry with the purpose and the row count. The columns are the
import template's, so a list exported with full values can be corrected and imported again; the
workbook is written by yimen.core.spreadsheets (a name or address is text, never a formula)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from yimen.core.crypto import sm4_decrypt
from yimen.core.errors import Invalid
from yimen.core.identity import mask_id_number, mask_phone
from yimen.core.permissions import require_permission
from yimen.core.spreadsheets import Book
from yimen.geo.models import Region
from yimen.org.models import Membership
from yimen.org.services import audit_as
from yimen.people import selectors
from yimen.people.import_rows import COLUMNS
from yimen.people.models import Tag
from yimen.people.services import PURPOSE_MAX

EXPORT_MAX = 100_000
CHUNK = 2000
TEXT_COLUMNS = [position for position, column in enumerate(COLUMNS, start=1) if column.text]


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    rows: int
    full_values: bool


@transaction.atomic
def persons_export(
    *,
    actor: Membership,
    purpose: str,
    q: str = "",
    region: Region | None = None,
    tag: Tag | None = None,
    ip: str = "",
) -> Export:
    """导出人员名单: the persons the member's search finds within their jurisdiction, for a stated
    purpose (required; 422 without), masked unless the role holds person.reveal; logged as
    person_export with the purpose, the filters (an ID number or phone searched for masked) and
    the number of rows."""
    require_permission(actor, "person.export")
    purpose = (purpose or "").strip()
    if not purpose:
        raise Invalid("请填写导出目的。", errors={"purpose": ["导出人员名单须说明目的，如“走访入户名单”。"]})
    if len(purpose) > PURPOSE_MAX:
        raise Invalid("导出目的过长。", errors={"purpose": [f"最多 {PURPOSE_MAX} 个字。"]})
    persons = selectors.person_search(member=actor, q=q, region=region, tag=tag)
    total = persons.count()
    if total > EXPORT_MAX:
        raise Invalid(f"符合条件的有 {total:,} 人，一次最多导出 {EXPORT_MAX:,} 人，请缩小范围。", code="too_many")
    full = actor.has_perm("person.reveal")
    sensitive = actor.has_perm("person.sensitive_tags")
    book = Book()
    sheet = book.sheet("人员", text_columns=TEXT_COLUMNS)
    sheet.header([column.title for column in COLUMNS] + (["重点人群"] if sensitive else []))
    rows = 0
    for person in persons.iterator(chunk_size=CHUNK):
        sheet.row(_line(person, full=full, sensitive=sensitive))
        rows += 1
    kind, value = selectors.search_kind(q)
    shown = {"id": mask_id_number, "phone": mask_phone}.get(kind, str)(value)
    filters = {"q": shown, "region": region.code if region else "", "tag": tag.code if tag else ""}
    detail = {"rows": rows, "filters": filters, "full_values": full}
    audit_as(actor, action="person_export", target="persons", purpose=purpose, ip=ip, detail=detail)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return Export(content=book.content(), filename=f"人员名单-{stamp}.xlsx", rows=rows, full_values=full)


def _line(person, *, full: bool, sensitive: bool) -> list:
    household = person.household
    if full:
        id_number = sm4_decrypt(person.id_number_cipher) if person.id_number_cipher else ""
        phone = sm4_decrypt(person.phone_cipher) if person.phone_cipher else ""
    else:
        id_number, phone = person.id_number_masked, person.phone_masked
    tags = person.visible_tags
    line = [
        (household.number or "") if household else "",
        person.address or (household.address if household else ""),
        person.region.code,
        person.name,
        person.get_gender_display(),
        person.birth_date,
        person.ethnicity,
        id_number,
        phone,
        person.relationship,
        person.get_status_display(),
        "、".join(t.name for t in tags if not t.sensitive),
    ]
    return [*line, "、".join(t.name for t in tags if t.sensitive)] if sensitive else line
