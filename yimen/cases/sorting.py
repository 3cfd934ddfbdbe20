"""The orders a case list can be read in (issue 21 item 2): every column of the lists sorts, and
a unit's work queue opens on what is due first, red before blue at the same deadline.

A key is a column name, read in its natural first direction (the soonest deadline, the newest
receipt, red before blue, codes and names A to Z); "-key" reverses it. The same keys serve the
pages and `GET /cases?sort=` (API.md additions), so a link copied from a page means the same
order to an integration."""

from django.db.models import Case as Choose
from django.db.models import F, IntegerField, OrderBy, QuerySet, Value, When

from yimen.cases.choices import RISK_ORDER

# The column of each key, its natural first direction, and the label of the column header.
COLUMNS: dict[str, tuple[str, bool, str]] = {
    "code": ("code", False, "编码"),
    "title": ("title", False, "标题"),
    "kind": ("kind", False, "种类"),
    "state": ("state", False, "状态"),
    "risk": ("risk_rank", True, "风险"),  # red first
    "region": ("region__code", False, "区域"),
    "unit": ("lead_unit__name", False, "主办单位"),
    "deadline": ("deadline", False, "期限"),  # the soonest first; none last
    "received": ("received_at", True, "收到时间"),  # the newest first
}
SORT_KEYS = frozenset(COLUMNS) | {f"-{key}" for key in COLUMNS}
DUE_FIRST = "deadline"  # a work queue: what is due first
NEWEST = "received"  # every visible case: the index-backed order a county-wide list can afford


def risk_rank(prefix: str = "") -> Choose:
    """Red 3 … blue 0, so that a list can put red first (the stored value is a word)."""
    whens = (When(**{f"{prefix}risk": risk}, then=Value(n)) for risk, n in RISK_ORDER.items())
    return Choose(*whens, output_field=IntegerField())


def parse_sort(value: str | None, default: str) -> str:
    """A sort key from a page link or the API, or the list's default when none or unknown (the
    page forgives an old bookmark; the API validates its `sort` before calling this)."""
    return value if value in SORT_KEYS else default


def order_cases(rows: QuerySet, sort: str, *, prefix: str = "") -> QuerySet:
    """Rows (cases, or a unit's assignments with prefix "case__") in the order of `sort`. An
    assignment's deadline is its own (the unit's 办理期限), as its row shows. Ties fall to the
    deadline, then red before blue, then the newest receipt: what is due first stays near the top
    whatever column is chosen, and a page of rows never reshuffles between two reads."""
    column, descending, _ = COLUMNS[sort.lstrip("-")]
    descending = descending != sort.startswith("-")
    names = {"risk_rank": "sort_risk_rank"}
    if prefix:  # a unit's row: its own deadline, and its own part (主办 before 协办) for the unit column
        names |= {"deadline": "deadline", "lead_unit__name": "role"}
    name = names.get(column, f"{prefix}{column}")
    deadline, received = names.get("deadline", "deadline"), f"{prefix}received_at"
    ties = [(deadline, False), ("sort_risk_rank", True), (received, True)]
    order = [_order(name, descending), *(_order(tie, down) for tie, down in ties if tie != name)]
    return rows.annotate(sort_risk_rank=risk_rank(prefix)).order_by(*order, "-id")


def _order(column: str, descending: bool) -> OrderBy:
    # Cases without a deadline (archived, merged) read last in either direction: they are due never.
    return F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True)
