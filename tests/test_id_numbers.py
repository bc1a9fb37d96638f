"""GB 11643 ID numbers: check character, derived birth date and sex, masking."""
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.iso7064 import mod_11_2

from enrollment.registry import id_numbers


def test_valid_number_gives_birth_date_and_sex():
    facts = id_numbers.parse("33110220201025003X")
    assert facts.birth_date == datetime.date(2020, 10, 25)
    assert facts.sex == "M"  # 17th digit 3 is odd
    assert facts.area_code == "331102"


def test_lowercase_x_and_spaces_are_accepted():
    assert id_numbers.parse(" 33110220201025003x ").number == "33110220201025003X"


@pytest.mark.parametrize(
    "number, message",
    [
        ("331102201812080020", "身份证号校验位错误"),
        ("33110220300101001X", "身份证号中的出生日期晚于今天"),
        ("331102201802300020", "身份证号中的出生日期无效"),
        ("3311022018", "身份证号应为18位"),
        ("33110220181208002A", "身份证号只能由数字和末位X组成"),
    ],
)
def test_bad_numbers_are_explained_in_chinese(number, message):
    with pytest.raises(id_numbers.IdNumberError) as error:
        id_numbers.parse(number, today=datetime.date(2026, 11, 23))
    assert error.value.message == message


def test_make_builds_numbers_that_parse_back():
    number = id_numbers.make("350902", datetime.date(2019, 2, 28), 124)
    facts = id_numbers.parse(number)
    assert facts.birth_date == datetime.date(2019, 2, 28) and facts.sex == "F"


def test_mask_hides_birth_date_and_sequence():
    assert id_numbers.mask("33110220201025003X") == "331102********003X"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_the_check_character_agrees_with_iso_7064_mod_11_2(first17):
    assert id_numbers.check_character(first17) == mod_11_2.calc_check_digit(first17)


def test_full_width_digits_are_not_an_id_number():
    with pytest.raises(id_numbers.IdNumberError, match="只能由数字"):
        id_numbers.parse("３３１１０２２０２０１０２５００３X")
