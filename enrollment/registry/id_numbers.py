"""Resident ID numbers (公民身份号码, GB 11643): validation, derived facts, masking.

Pure functions, no Django: the check character is ISO 7064 MOD 11-2 with the weights of
GB 11643 (the tests hold it against python-stdnum's ``mod_11_2``); it is computed here because
an import checks a hundred thousand numbers. The area prefix is not checked against a code
list: divisions are renamed over time and old numbers stay valid.
"""
import datetime
import operator
from typing import NamedTuple

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(17-i) mod 11
CHECK_CHARACTERS = "10X98765432"  # by the weighted sum mod 11


class IdNumberError(ValueError):
    """A bad ID number; ``message`` is the Chinese text shown to users."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class IdFacts(NamedTuple):
    number: str
    area_code: str
    birth_date: datetime.date
    sex: str  # "M" or "F"


def normalise(value):
    return (value or "").strip().upper().replace(" ", "")


def parse(value, *, today=None):
    """Validate an 18-character ID number and return what follows from it."""
    number = normalise(value)
    if len(number) != 18:
        raise IdNumberError("身份证号应为18位")
    if not number.isascii() or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError("身份证号只能由数字和末位X组成")
    try:
        birth_date = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError("身份证号中的出生日期无效")
    if birth_date.year < 1900:
        raise IdNumberError("身份证号中的出生日期无效")
    if birth_date > (today or datetime.date.today()):
        raise IdNumberError("身份证号中的出生日期晚于今天")
    if number[17] != check_character(number[:17]):
        raise IdNumberError("身份证号校验位错误")
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return IdFacts(number=number, area_code=number[:6], birth_date=birth_date, sex=sex)


def check_character(first17):
    """The 18th character for 17 digits."""
    # The weighted sum over the ASCII codes, less the sum over 17 "0"s (48 each): C-level loops.
    return CHECK_CHARACTERS[(sum(map(operator.mul, WEIGHTS, first17.encode())) - 48 * sum(WEIGHTS)) % 11]


def make(area_code, birth_date, sequence):
    """Build a valid ID number (used by demo data and tests): ``sequence`` is 0-999."""
    first17 = f"{area_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def mask(value):
    """Show the area and the check character only: 350902********123X -> 350902********023X."""
    number = normalise(value)
    if len(number) != 18:
        return "*" * len(number)
    return f"{number[:6]}********{number[14:]}"
