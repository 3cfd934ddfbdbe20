"""GB 11643 ID numbers, mainland mobiles and landlines, and their masks: the one module every app
checks with (yimen.core.identity), with the Chinese messages a clerk reads."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from yimen.core.identity import (
    id_check_digit,
    mask_id_number,
    mask_phone,
    phone_or_empty,
    validate_id_number,
    validate_mobile,
    validate_phone,
)
from yimen.core.tests.samples import make_id_number


def message(value: str, check=validate_id_number) -> str:
    with pytest.raises(ValidationError) as caught:
        check(value)
    return caught.value.messages[0]


def test_the_standards_own_example_is_valid():
    # GB 11643-1999 appendix: 11010519491231002X, a woman born 1949-12-31 in 北京朝阳.
    info = validate_id_number("11010519491231002x")
    assert info.number == "11010519491231002X"
    assert (info.birth_date, info.gender, info.region_code) == (date(1949, 12, 31), "F", "110105")


def test_region_codes_newer_than_the_holder_are_accepted():
    # 450324 (全州县) for someone born in 1930: python-stdnum would refuse, the registry must not.
    assert validate_id_number(make_id_number(date(1930, 6, 1))).birth_date == date(1930, 6, 1)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)), st.integers(0, 499), st.booleans())
def test_every_synthetic_number_validates_with_its_gender(birth, seq, male):
    info = validate_id_number(make_id_number(birth, seq, male=male))
    assert info.birth_date == birth and info.gender == ("M" if male else "F")


def test_wrong_check_digit():
    good = make_id_number()
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert message(wrong) == "身份证号码校验位不正确，请逐位核对。"


def test_impossible_birth_dates():
    first17 = "45032419800230123"  # 30 February
    assert message(first17 + id_check_digit(first17)) == "身份证号码中的出生日期不存在。"
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert message(make_id_number(tomorrow)) == "身份证号码中的出生日期晚于今天。"
    assert "1880" in message(make_id_number(date(1850, 1, 1)))


def test_malformed_numbers():
    assert "18 位" in message("45032419800101123")
    assert "18 位" in message("4503241980010112A4")
    assert "15 位" in message("450324800101123")
    assert "省级" in message("991234198001011234"[:17] + id_check_digit("99123419800101123"))
    assert "18 位" in message("")


@pytest.mark.parametrize(
    ("given_phone", "expected"),
    [("13812345678", "13812345678"), ("+86 138-1234-5678", "13812345678"), ("8619912345678", "19912345678")],
)
def test_mobiles_are_normalised(given_phone, expected):
    assert validate_mobile(given_phone) == expected


@pytest.mark.parametrize(
    "bad", ["12345678901", "1381234567", "138123456789", "0773-1234567", "abc", "", "+1 2025550123"]
)
def test_malformed_phones(bad):
    assert message(bad, validate_mobile) == "手机号码格式不正确，应为 11 位中国大陆手机号码，如 13812345678。"


def test_the_birth_date_is_compared_with_todays_date_in_shanghai(time_machine):
    # 2026-03-01 17:30 UTC is already 03-02 in 全州县: a baby registered that morning is valid.
    time_machine.move_to(datetime(2026, 3, 1, 17, 30, tzinfo=UTC), tick=False)
    assert validate_id_number(make_id_number(date(2026, 3, 2))).birth_date == date(2026, 3, 2)
    assert message(make_id_number(date(2026, 3, 3))) == "身份证号码中的出生日期晚于今天。"


def test_a_lower_case_x_check_character_is_the_same_number():
    assert validate_id_number("11010519491231002x") == validate_id_number(" 110105 19491231002X ")


@pytest.mark.parametrize(
    "spelling",
    ["13907730001", "+86 13907730001", "139-0773-0001", "139 0773 0001", "8613907730001", "0086 139 0773 0001"],
)
def test_every_spelling_of_a_mobile_is_one_normal_form(spelling):
    assert validate_phone(spelling) == validate_mobile(spelling) == "13907730001"


@pytest.mark.parametrize("spelling", ["0773-2812345", "(0773) 2812345", "+86 773 2812345", "07732812345"])
def test_a_landline_keeps_its_trunk_zero_and_area_code(spelling):
    assert validate_phone(spelling) == "07732812345"


@pytest.mark.parametrize("bad", ["2812345", "400-123-4567", "+1 650 253 0000", "12ab", "0773-12", ""])
def test_party_phones_that_are_no_mainland_line_are_refused(bad):
    # "2812345" without its area code would parse as 028-12345 in 成都: another line.
    assert message(bad, validate_phone).startswith("电话号码格式不正确。")
    assert phone_or_empty(bad) == ""


def test_a_landline_is_no_residents_mobile():
    assert message("0773-2812345", validate_mobile).startswith("手机号码格式不正确")


def test_masks_show_the_ends_only():
    assert mask_phone("13907730001") == "139****0001" and mask_phone("07732812345") == "077****2345"
    assert mask_id_number("11010519491231002X") == "110105********002X"
