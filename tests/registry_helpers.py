"""Real files for the import tests: CSV in a chosen encoding, XLSX written by openpyxl, rows
built from valid ID numbers. Files go to pytest's tmp_path."""
import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from enrollment.registry import id_numbers

FILES = Path(__file__).parent / "files" / "imports"
ROSTER_HEADERS = ["身份证号", "姓名", "学校代码", "学校名称", "学段", "年级", "班级", "监护人姓名", "监护人电话"]
ENROLLMENT_HEADERS = ["身份证号", "出生医学证明编号", "姓名", "出生日期", "参保年度", "险种", "参保地区代码",
                      "缴费日期", "缴费渠道", "大病报销金额", "基金报销金额"]


def child_id(n, *, area="350902", birth=datetime.date(2016, 3, 1)):
    """The n-th distinct valid ID number of a child born on ``birth``."""
    return id_numbers.make(area, birth + datetime.timedelta(days=n // 900), n % 900)


def roster_rows(count, *, school_code="S3509020001", school_name="蕉城实验小学", start=0):
    return [
        [child_id(start + n), f"学生{start + n}", school_code, school_name, "小学", "三年级", "2班",
         f"家长{start + n}", "13800138000"]
        for n in range(count)
    ]


def write_csv(path, headers, rows, *, encoding="utf-8-sig"):
    lines = [",".join(headers)] + [",".join(str(v) for v in row) for row in rows]
    Path(path).write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return Path(path)


def write_xlsx(path, headers, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return Path(path)


def enrollment_row(number, name, *, year=2026, area="350902", paid_on="2025-10-01", scheme="居民医保"):
    return [number, "", name, "", year, scheme, area, paid_on, "税务征收", "0", "0"]


@pytest.fixture
def media_root(tmp_path, settings, monkeypatch):
    """Stored uploads in a folder of this test (a Celery worker started later sees it too)."""
    folder = tmp_path / "media"
    settings.MEDIA_ROOT = str(folder)
    monkeypatch.setenv("MEDIA_ROOT", str(folder))
    return folder
