"""Parsers for one cell each: return the clean value or raise ``CellError`` (Chinese text)."""
import datetime
import re
from decimal import Decimal, InvalidOperation

from ..registry import id_numbers

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
AREA_CODE = re.compile(r"^\d{6}$")
CODE = re.compile(r"^[0-9A-Za-z\-_]{1,32}$")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d")
CERTIFICATE_LENGTH = 20  # Person.birth_certificate_no


class CellError(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def text(value, *, max_length=50, **_):
    if len(value) > max_length:
        raise CellError(f"超过{max_length}个字符")
    return value


def id_number(value, *, today, **_):
    try:
        return id_numbers.parse(value, today=today)
    except id_numbers.IdNumberError as error:
        raise CellError(error.message)


def any_date(value, **_):
    """A date that may lie in the future (a residence permit's end of validity)."""
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.datetime.strptime(value, fmt).date()
            break
        except ValueError:
            continue
    else:
        raise CellError("日期无效，应为 YYYY-MM-DD、YYYY/MM/DD 或 YYYYMMDD")
    if not 1900 <= parsed.year <= 2100:
        raise CellError("日期无效")
    return parsed


def date(value, *, today, **_):
    """A date on or before today."""
    parsed = any_date(value)
    if parsed > today:
        raise CellError("日期晚于今天")
    return parsed


def phone(value, **_):
    digits = value.replace(" ", "")
    if not (MOBILE.match(digits) or LANDLINE.match(digits)):
        raise CellError("电话号码应为11位手机号或带区号的固定电话")
    return digits


def area_code(value, **_):
    if not AREA_CODE.match(value):
        raise CellError("地区代码应为6位数字")
    return value


def year(value, *, today, **_):
    if not value.isdigit() or not 2000 <= int(value) <= today.year + 1:
        raise CellError(f"参保年度应为2000至{today.year + 1}之间的年份")
    return int(value)


def amount(value, **_):
    try:
        parsed = Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise CellError("金额应为数字")
    if not parsed.is_finite():  # "NaN", "Infinity" are Decimals too
        raise CellError("金额应为数字")
    if parsed < 0 or parsed >= Decimal("1e10"):
        raise CellError("金额超出范围")
    return parsed.quantize(Decimal("0.01"))


def choice(mapping):
    def parse(value, **_):
        try:
            return mapping[value]
        except KeyError:
            raise CellError("应为：" + " / ".join(mapping))

    return parse


def code(value, **_):
    if not CODE.match(value):
        raise CellError("代码只能由字母、数字组成，最长32位")
    return value


def certificate(value, **_):
    """A birth certificate number (出生医学证明编号): the registry keeps up to 20 characters."""
    if not CODE.match(value) or len(value) > CERTIFICATE_LENGTH:
        raise CellError(f"出生医学证明编号只能由字母、数字组成，最长{CERTIFICATE_LENGTH}位")
    return value
