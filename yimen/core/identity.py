"""The one place ID numbers and phones are checked, normalised and masked (issue 13 item 1).

Every app imports from here, so the same person typed two ways gives one blind index: repeat
petitions, intake hints and registry search compare indexes of the normal form only.

- ID numbers: GB 11643-1999, our own few lines (DESIGN §3: python-stdnum refuses valid numbers
  whose region code was created after the holder's birth year, and a township registry holds
  many). Normal form: 18 characters, upper-case X, no spaces.
- Phones: parsed by phonenumbers as mainland numbers. Normal form: the digits as dialled inside
  mainland China — a mobile's 11 digits (13907730001), a landline with its trunk 0 and area code
  (07732812345). "+86 139 0773 0001", "139-0773-0001" and "8613907730001" are one number.
"""

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
    re.findall(
        r"\d\d",
        "11 12 13 14 15"  # 华北
        " 21 22 23"  # 东北
        " 31 32 33 34 35 36 37"  # 华东
        " 41 42 43 44 45 46"  # 中南
        " 50 51 52 53 54"  # 西南
        " 61 62 63 64 65"  # 西北
        " 71 81 82",  # 台湾、香港、澳门
    )
)
_EARLIEST_BIRTH = date(1880, 1, 1)  # older than anyone alive: a typo, not a person
_ID_SHAPE = re.compile(r"\d{17}[\dX]")
_PHONE_MAX = 20  # longer is not a phone however it is punctuated; bounds phonenumbers' work
_MOBILE = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
_LANDLINE = (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
MOBILE_MESSAGE = "手机号码格式不正确，应为 11 位中国大陆手机号码，如 13812345678。"
PHONE_MESSAGE = "电话号码格式不正确。手机号码为 11 位；固定电话请带区号，如 0773-2812345。"


@dataclass(frozen=True)
class IdNumberInfo:
    number: str  # the normal form
    birth_date: date
    gender: str  # "M" or "F", Person.Gender's values
    region_code: str  # the six-digit code of the issuing region


def id_check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str) -> IdNumberInfo:
    """A resident ID number (居民身份证号码, GB 11643-1999): 18 characters, a known province,
    a real birth date from 1880 to today (Asia/Shanghai), and the right check character. The 17th
    digit is odd for men and even for women; callers compare the returned gender and birth date
    with the form's."""
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


def _parse(value: str, message: str) -> phonenumbers.PhoneNumber:
    raw = (value or "").strip()
    if not raw or len(raw) > _PHONE_MAX:
        raise ValidationError(message, code="phone")
    try:
        parsed = phonenumbers.parse(raw, "CN", keep_raw_input=True)
    except phonenumbers.NumberParseException:
        raise ValidationError(message, code="phone") from None
    if parsed.country_code != 86 or not phonenumbers.is_valid_number(parsed):
        raise ValidationError(message, code="phone")
    return parsed


def _mobile(parsed: phonenumbers.PhoneNumber) -> str | None:
    national = str(parsed.national_number)
    return national if len(national) == 11 and phonenumbers.number_type(parsed) in _MOBILE else None


def validate_mobile(value: str) -> str:
    """A mainland mobile number (a resident's or patrol member's contact phone, the one an SMS
    reaches), in the normal form; +86, spaces and dashes are accepted on the way in."""
    mobile = _mobile(_parse(value, MOBILE_MESSAGE))
    if mobile is None:
        raise ValidationError(MOBILE_MESSAGE, code="phone")
    return mobile


def validate_phone(value: str) -> str:
    """A party's phone: a mainland mobile, or a landline with its area code, in the normal form.
    A landline typed without area code is refused: phonenumbers would read "2812345" as
    028-12345 (Chengdu), a different line."""
    parsed = _parse(value, PHONE_MESSAGE)
    mobile = _mobile(parsed)
    if mobile is not None:
        return mobile
    domestic = parsed.country_code_source == phonenumbers.CountryCodeSource.FROM_DEFAULT_COUNTRY
    typed = re.sub(r"\D", "", parsed.raw_input)
    if phonenumbers.number_type(parsed) not in _LANDLINE or (domestic and not typed.startswith("0")):
        raise ValidationError(PHONE_MESSAGE, code="phone")
    return f"0{parsed.national_number}"


def id_number_or_empty(value: str) -> str:
    """The normal form of a valid ID number, or "" (what a search looks up)."""
    try:
        return validate_id_number(value).number
    except ValidationError:
        return ""


def phone_or_empty(value: str) -> str:
    """The normal form of a mobile or landline, or "" when it is none (what a search looks up)."""
    try:
        return validate_phone(value)
    except ValidationError:
        return ""


def mask_phone(phone: str) -> str:
    """139****0001: the first three and last four digits of the normal form."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"


def mask_name(name: str) -> str:
    """张**: the first character and a star for each other one (a name shown where the person
    is named to units that do not hold the registry, e.g. a 会商 on a person)."""
    name = (name or "").strip()
    return f"{name[0]}{'*' * max(len(name) - 1, 1)}" if name else ""


def mask_id_number(number: str) -> str:
    """450324********1234: region and last four only; the birth date is what the mask hides."""
    return f"{number[:6]}{'*' * 8}{number[-4:]}" if len(number) == 18 else "*" * len(number)
