"""Reading and checking an import workbook, row by row, without writing anything (the dry run).

One sheet, a header row of Chinese column titles (any order; unknown columns are ignored), then
one row per resident; the rows of one household share a 户编号 and one of them is its head
(与户主关系 = 户主). Every problem found becomes a Chinese message on its row."""

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError

from yimen.core.crypto import blind_index
from yimen.core.errors import Invalid
from yimen.core.identity import mask_id_number, validate_id_number, validate_mobile
from yimen.core.spreadsheets import open_upload
from yimen.geo.models import Region
from yimen.org.models import Membership
from yimen.people.models import Household, Person, Tag


@dataclass(frozen=True)
class Column:
    title: str
    key: str
    required: bool = False
    text: bool = False  # kept as text in the template (long digit strings lose digits as numbers)
    width: int = 12
    note: str = ""


COLUMNS = (
    Column("户编号", "household_no", True, True, 14, "同一户的成员填写相同的户编号（户口簿户号或本表自编号）"),
    Column("住址", "address", False, False, 28, "户主行必填；成员行留空即与户主相同"),
    Column("微网格代码", "microgrid", False, True, 18, "户主行必填，16 位，见“微网格代码”表；成员行留空即与户主相同"),
    Column("姓名", "name", True, False, 10),
    Column("性别", "gender", False, False, 6, "男/女；可留空，按身份证号第 17 位确定"),
    Column("出生日期", "birth_date", False, True, 12, "如 1980-01-31；可留空，按身份证号确定"),
    Column("民族", "ethnicity", False, False, 8, "如 汉族、瑶族、壮族；留空为汉族"),
    Column("身份证号", "id_number", True, True, 22, "18 位，末位可为 X；请按文本填写"),
    Column("手机号", "phone", False, True, 14, "11 位大陆手机号，可留空"),
    Column("与户主关系", "relationship", True, False, 10, "户主、配偶、子、女、父亲、母亲、孙子、孙女……"),
    Column("居住状态", "status", False, False, 10, "常住/流动/外出；留空为常住"),
    Column("关爱类别", "care_tags", False, False, 16, "留守老人、留守儿童、独居、残疾，可填多个，用顿号分隔"),
)
BY_TITLE = {column.title: column for column in COLUMNS}
ETHNIC_GROUPS = frozenset(
    (
        "汉",
        "蒙古",
        "回",
        "藏",
        "维吾尔",
        "苗",
        "彝",
        "壮",
        "布依",
        "朝鲜",
        "满",
        "侗",
        "瑶",
        "白",
        "土家",
        "哈尼",
        "哈萨克",
        "傣",
        "黎",
        "傈僳",
        "佤",
        "畲",
        "高山",
        "拉祜",
        "水",
        "东乡",
        "纳西",
        "景颇",
        "柯尔克孜",
        "土",
        "达斡尔",
        "仫佬",
        "羌",
        "布朗",
        "撒拉",
        "毛南",
        "仡佬",
        "锡伯",
        "阿昌",
        "普米",
        "塔吉克",
        "怒",
        "乌孜别克",
        "俄罗斯",
        "鄂温克",
        "德昂",
        "保安",
        "裕固",
        "京",
        "塔塔尔",
        "独龙",
        "鄂伦春",
        "赫哲",
        "门巴",
        "珞巴",
        "基诺",
    )
)
STATUS_BY_LABEL = {str(label): value for value, label in Person.Status.choices}
GENDER_BY_LABEL = {str(label): value for value, label in Person.Gender.choices}
TAG_SPLIT = re.compile(r"[、,，;；/\s]+")
DATE_PARTS = re.compile(r"(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*[-/.月]?\s*(\d{1,2})\s*日?")
LOOKUP_CHUNK = 500  # values per IN (...) list
MAX_ROWS = 200_000
SHEET_NAME = "人员"


@dataclass
class Row:
    number: int  # the row in the sheet (the header is row 1)
    household_no: str = ""
    name: str = ""
    id_number: str = ""  # the plain number, in memory only; the report keeps it masked
    is_head: bool = False
    microgrid: str = ""  # the code as given; blank on a member's row means the head's
    region: Region | None = None
    address: str = ""
    fields: dict = field(default_factory=dict)  # keyword arguments for person_upsert
    care_tags: list[str] | None = None  # None: the column is absent, the tags stay as they are
    existing: int | None = None  # the registered person with this ID number
    messages: list[str] = field(default_factory=list)
    status: str = ""

    @property
    def ok(self) -> bool:
        return not self.messages

    def report_line(self) -> list:
        masked = mask_id_number(self.id_number) if len(self.id_number) == 18 else ""
        return [self.number, self.household_no, self.name, masked, self.status, self.messages]


def sheet_size(data: bytes) -> int:
    """Rows below the header as the sheet really holds them (its row elements counted, its
    declared dimension ignored), for choosing inline or background work. The upload's checks
    (core.spreadsheets.open_upload) and the header run here too, so a wrong file fails at once."""
    upload = open_upload(data, prefer=SHEET_NAME)
    _header_map(next(upload.values(), ()))
    if upload.rows - 1 > MAX_ROWS:
        raise Invalid(f"一次最多导入 {MAX_ROWS:,} 行，请拆分后分批导入。", code="too_many_rows")
    return max(upload.rows - 1, 0)


def _header_map(header: tuple) -> dict[int, Column]:
    found = {}
    for position, title in enumerate(header):
        column = BY_TITLE.get(re.sub(r"[*＊\s]|（必填）", "", str(title or "")))
        if column:
            found[position] = column
    missing = [c.title for c in COLUMNS if c.required and c not in found.values()]
    if missing:
        raise Invalid(f"第 1 行缺少必填列：{'、'.join(missing)}。请使用导入模板。", code="bad_header")
    return found


def read_rows(data: bytes) -> Iterator[tuple[int, dict]]:
    """(row number, {column key: cell value}) for every non-empty row below the header."""
    rows = open_upload(data, prefer=SHEET_NAME).values()
    columns = _header_map(next(rows, ()))
    for number, cells in enumerate(rows, start=2):
        values = {column.key: cells[i] for i, column in columns.items() if i < len(cells)}
        if any(value not in (None, "") for value in values.values()):
            yield number, values


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _date(value, row: Row) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    match = DATE_PARTS.fullmatch(text)
    if text and match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            row.messages.append(f"出生日期“{text}”不存在。")
    elif text:
        row.messages.append(f"出生日期“{text}”无法识别，请写成 1980-01-31。")
    return None


def _identity(values: dict, row: Row) -> None:
    raw = values.get("id_number")
    row.id_number = _text(raw).upper().replace(" ", "")
    if not row.id_number:
        row.messages.append("请填写身份证号。")
        return
    try:
        info = validate_id_number(row.id_number)
    except ValidationError as exc:
        row.messages.extend(exc.messages)
        if isinstance(raw, int | float):
            row.messages.append("身份证号被存成了数字，末几位可能已丢失：请把该列设为“文本”后重新填写。")
        return
    gender = _text(values.get("gender"))
    if gender and GENDER_BY_LABEL.get(gender, gender) not in Person.Gender.values:
        row.messages.append(f"性别“{gender}”应为 男 或 女。")
    elif gender and GENDER_BY_LABEL.get(gender, gender) != info.gender:
        row.messages.append("性别与身份证号第 17 位不一致（奇数为男，偶数为女）。")
    birth = _date(values.get("birth_date"), row)
    if birth and birth != info.birth_date:
        row.messages.append(f"出生日期与身份证号中的出生日期（{info.birth_date:%Y-%m-%d}）不一致。")
    row.fields.update(gender=info.gender, birth_date=info.birth_date)


def _clean(number: int, values: dict, regions: dict[str, Region], care: set[str], actor: Membership) -> Row:
    row = Row(number=number, household_no=_text(values.get("household_no")), name=_text(values.get("name")))
    if not row.household_no:
        row.messages.append("请填写户编号。")
    elif len(row.household_no) > 30:
        row.messages.append("户编号最多 30 个字符。")
    if not row.name:
        row.messages.append("请填写姓名。")
    elif len(row.name) > 50:
        row.messages.append("姓名最多 50 个字。")
    _identity(values, row)
    phone = _text(values.get("phone"))
    if phone:
        try:
            phone = validate_mobile(phone)
        except ValidationError as exc:
            row.messages.extend(exc.messages)
    relationship = _text(values.get("relationship"))
    row.is_head = relationship == Person.HEAD
    if not relationship:
        row.messages.append("请填写与户主关系（户主本人填“户主”）。")
    elif len(relationship) > 20:
        row.messages.append("与户主关系最多 20 个字。")
    ethnicity = _text(values.get("ethnicity")) or "汉族"
    if ethnicity.removesuffix("族") not in ETHNIC_GROUPS:
        row.messages.append(f"民族“{ethnicity}”不在 56 个民族之列。")
    status = _text(values.get("status")) or str(Person.Status.RESIDENT.label)
    if status not in STATUS_BY_LABEL:
        row.messages.append(f"居住状态“{status}”应为 常住、流动 或 外出。")
    if "care_tags" in values:
        row.care_tags = [t for t in TAG_SPLIT.split(_text(values["care_tags"])) if t]
        if unknown := [t for t in row.care_tags if t not in care]:
            row.messages.append(f"关爱类别“{'、'.join(unknown)}”不可用，可填：{'、'.join(sorted(care))}。")
    row.address = _text(values.get("address"))
    if len(row.address) > 200:
        row.messages.append("住址最多 200 个字。")
    row.microgrid = code = _text(values.get("microgrid"))
    if code:
        row.region = regions[code]
        if row.region is None or row.region.level != Region.Level.MICROGRID:
            row.messages.append(f"微网格代码“{code}”不存在。")
        elif not row.region.is_within(actor.jurisdiction):
            row.messages.append(f"微网格“{row.region.name}”（{code}）不在您的管辖范围内。")
    row.fields.update(
        name=row.name,
        phone=phone,
        relationship=relationship,
        status=STATUS_BY_LABEL.get(status, ""),
        ethnicity=ethnicity if ethnicity.endswith("族") else f"{ethnicity}族",
    )
    return row


def _chunks(items: list, size: int = LOOKUP_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Regions(dict):
    """Micro-grids by code, each looked up once, as the rows name them."""

    def __missing__(self, code: str) -> Region | None:
        self[code] = Region.objects.filter(code=code).only("code", "name", "level", "path").first()
        return self[code]


def _households(rows: list[Row]) -> dict[str, list[Row]]:
    households: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row.household_no:
            households[row.household_no].append(row)
    return households


def _check_households(households: dict[str, list[Row]]) -> None:
    """One head per 户编号, with an address and a micro-grid that members left blank take."""
    for number, members in households.items():
        heads = [row for row in members if row.is_head]
        if len(heads) != 1:
            problem = "没有户主行（户主本人的与户主关系填“户主”）" if not heads else f"有 {len(heads)} 个户主"
            for row in members:
                row.messages.append(f"户编号 {number} {problem}。")
            continue
        head = heads[0]
        if not head.address:
            head.messages.append("户主行须填写住址。")
        if not head.microgrid:
            head.messages.append("户主行须填写微网格代码。")
        for row in members:
            row.address = row.address or head.address
            if not row.microgrid:
                row.region = head.region


def _check_duplicates(rows: list[Row]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        if len(row.id_number) == 18:
            if row.id_number in seen:
                row.messages.append(f"身份证号与第 {seen[row.id_number]} 行重复。")
            seen.setdefault(row.id_number, row.number)


def _check_registered(rows: list[Row], actor: Membership) -> None:
    """Who is registered already (by ID number, through the blind index) and which 户编号 are
    taken: matches update, never duplicate; one outside the actor's jurisdiction is refused."""
    by_index = {blind_index(row.id_number): row for row in rows if row.ok}
    for chunk in _chunks(list(by_index)):
        for index, pk, path in Person.unscoped.filter(id_number_index__in=chunk).values_list(
            "id_number_index", "pk", "region__path"
        ):
            row = by_index[index]
            row.existing = pk
            if not path.startswith(actor.jurisdiction.path):
                row.messages.append("该身份证号已在您管辖范围以外登记，请联系其所在辖区处理。")
    numbers = sorted({row.household_no for row in rows if row.is_head and row.ok})
    outside = set()
    for chunk in _chunks(numbers):
        taken = Household.objects.filter(number__in=chunk).exclude(region__path__startswith=actor.jurisdiction.path)
        outside.update(taken.values_list("number", flat=True))
    for row in rows:
        if row.household_no in outside:
            row.messages.append(f"户编号 {row.household_no} 已在您管辖范围以外登记。")


def check_rows(
    *, actor: Membership, data: bytes, progress: Callable[[int], None] | None = None, every: int = 1000
) -> list[Row]:
    """The dry run: every row cleaned and checked (ID number by GB 11643 and against the given
    birth date and gender, phone, micro-grid known and inside the actor's jurisdiction, one
    household head, ID numbers unique in the file, registrations elsewhere). Writes nothing.
    Each row's status says what applying would do."""
    regions, care = _Regions(), set(Tag.objects.filter(sensitive=False).values_list("name", flat=True))
    rows = []
    for number, values in read_rows(data):
        if len(rows) == MAX_ROWS:
            raise Invalid(f"一次最多导入 {MAX_ROWS:,} 行，请拆分后分批导入。", code="too_many_rows")
        rows.append(_clean(number, values, regions, care, actor))
        if progress and len(rows) % every == 0:
            progress(len(rows))
    households = _households(rows)
    _check_households(households)
    _check_duplicates(rows)
    _check_registered(rows, actor)
    for members in households.values():  # a household without a sound head waits as a whole
        if any(row.is_head and not row.ok for row in members):
            for row in members:
                if not row.is_head:
                    row.messages.append("本户户主行有误，本户暂不能导入。")
    for row in rows:
        row.status = "有误" if not row.ok else ("将更新" if row.existing else "将新增")
    return rows
