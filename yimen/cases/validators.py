"""Checks on what a clerk types: ID numbers (GB 11643) and phone numbers."""

import re
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,18}[0-9]$")


def id_number_valid(value: str) -> bool:
    """An 18-character resident ID number: 17 digits, a birth date that exists and is not in
    the future, and the ISO 7064 MOD 11-2 check character of GB 11643."""
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if not date(1900, 1, 1) <= born <= date.today():
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == value[17]


def phone_valid(value: str) -> bool:
    """A mobile or landline number as people write it: digits, optional +, spaces or hyphens."""
    return bool(_PHONE.fullmatch(value)) and sum(ch.isdigit() for ch in value) >= 7


def normalise_phone(value: str) -> str:
    return re.sub(r"[ \-]", "", value)


def mask_id_number(value: str) -> str:
    return f"{value[:6]}********{value[-4:]}" if len(value) == 18 else "******"
