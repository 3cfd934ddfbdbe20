"""Checks on ID numbers and phones, with the messages a clerk reads in Chinese.

The ID check is our own (GB 11643-1999): python-stdnum refuses valid numbers whose region code
was created after the holder's birth year, and a township registry holds many of those."""

import re
from dataclasses import dataclass
from datetime import date

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone

# GB 11643-1999 §8.2: weights 2^(17-i) mod 11 for the first 17 digits; the sum mod 11 picks the
# check character from this table.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# The province-level codes of GB/T 2260 (the first two digits of every region code), plus 71/81/82
# for Taiwan, Hong Kong and Macao residents' numbers.
_PROVINCES = frozenset(
    str(code) for code in (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
                           50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82)
)  # fmt: skip
_EARLIEST_BIRTH = date(1880, 1, 1)  # older than anyone alive: a typo, not a person
_ID_SHAPE = re.compile(r"\d{17}[\dX]")


@dataclass(frozen=True)
class IdNumberInfo:
    number: str  # normalised: upper-case X, no spaces
    birth_date: date
    gender: str  # "M" or "F", Person.Gender's values
    region_code: str  # the six-digit code of the issuing region


def id_check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str) -> IdNumberInfo:
    """A resident ID number (居民身份证号码, GB 11643-1999): 18 characters, a known province,
    a real birth date not in the future, and the right check character. The 17th digit is odd for
    men and even for women; callers compare the returned gender and birth date with the form's."""
    number = (value or "").strip().replace(" ", "").upper()
    if len(number) == 15 and number.isdigit():
        raise ValidationError("请填写 18 位身份证号码（15 位旧号码请换证后的新号码）。", code="id_old")
    if not _ID_SHAPE.fullmatch(number):
        raise ValidationError("身份证号码应为 18 位：17 位数字加 1 位数字或 X。", code="id_shape")
    if number[:2] not in _PROVINCES:
        raise ValidationError("身份证号码前两位不是有效的省级行政区划代码。", code="id_region")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError("身份证号码中的出生日期不存在。", code="id_birth_date") from None
    if birth > timezone.localdate():
        raise ValidationError("身份证号码中的出生日期晚于今天。", code="id_birth_future")
    if birth < _EARLIEST_BIRTH:
        raise ValidationError("身份证号码中的出生日期早于 1880 年，请核对。", code="id_birth_date")
    if id_check_digit(number[:17]) != number[17]:
        raise ValidationError("身份证号码校验位不正确，请逐位核对。", code="id_checksum")
    gender = "M" if int(number[16]) % 2 else "F"
    return IdNumberInfo(number=number, birth_date=birth, gender=gender, region_code=number[:6])


def validate_phone(value: str) -> str:
    """A mainland mobile number (the residents' contact phone), returned as its 11 digits;
    +86, spaces and dashes are accepted on the way in."""
    raw = (value or "").strip()
    message = "手机号码格式不正确，应为 11 位中国大陆手机号码，如 13812345678。"
    if not raw or len(raw) > 20:
        raise ValidationError(message, code="phone")
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(message, code="phone") from None
    national = str(parsed.national_number)
    mobile = phonenumbers.number_type(parsed) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    if parsed.country_code != 86 or len(national) != 11 or not mobile or not phonenumbers.is_valid_number(parsed):
        raise ValidationError(message, code="phone")
    return national
