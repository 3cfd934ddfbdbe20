"""The 统计用区划代码 shipped in yimen/geo/data/divisions (province 2 digits, city 4, county 6,
town 9, village 12). Reads only those files: the product never depends on anything outside it."""

import csv
import gzip
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data" / "divisions"

# code length -> (level, file)
LEVELS: dict[int, tuple[str, str]] = {
    2: ("province", "provinces.csv.gz"),
    4: ("city", "cities.csv.gz"),
    6: ("county", "areas.csv.gz"),
    9: ("town", "streets.csv.gz"),
    12: ("village", "villages.csv.gz"),
}
PARENT_LENGTH = {4: 2, 6: 4, 9: 6, 12: 9}

# Committee suffixes -> what people call the place: 才湾村委会 -> 才湾村, 天湖社区居委会 -> 天湖社区.
# Longest first, so 社区居委会 is not read as 居委会.
COMMITTEE_SUFFIXES = (
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("村民委员会", "村"),
    ("村委会", "村"),
    ("居民委员会", "社区"),
    ("居委会", "社区"),
    ("委员会", ""),
)


class UnknownDivision(LookupError):
    """The code is not 2/4/6/9/12 digits, or no such division is in the shipped data."""


@dataclass(frozen=True)
class Division:
    code: str
    official_name: str
    level: str

    @property
    def parent_code(self) -> str | None:
        length = PARENT_LENGTH.get(len(self.code))
        return self.code[:length] if length else None

    @property
    def name(self) -> str:
        return display_name(self.official_name) if self.level == "village" else self.official_name


def display_name(official: str) -> str:
    """The village or community a committee serves: 才湾村委会 -> 才湾村."""
    for suffix, replacement in COMMITTEE_SUFFIXES:
        if official.endswith(suffix) and len(official) > len(suffix):
            return official[: -len(suffix)] + replacement
    return official


def divisions_of(code: str) -> list[Division]:
    """The division `code`, its ancestors and its whole subtree, parents before children."""
    if not code.isdigit() or len(code) not in LEVELS:
        raise UnknownDivision(code)
    found: list[Division] = []
    for length, (level, filename) in LEVELS.items():
        # Above the requested level only the one ancestor row matches; from it down, every row
        # whose code starts with it. The code is the first column, so a prefix test on the raw
        # line skips the CSV parsing of the other 600,000 villages.
        prefix = code[:length] + "," if length < len(code) else code
        found.extend(Division(code=row[0], official_name=row[1], level=level) for row in _rows(filename, prefix))
    if not any(division.code == code for division in found):
        raise UnknownDivision(code)
    return found


def _rows(filename: str, prefix: str) -> list[list[str]]:
    with gzip.open(DATA_DIR / filename, "rt", encoding="utf-8", newline="") as lines:
        next(lines)  # header
        return list(csv.reader(line for line in lines if line.startswith(prefix)))
