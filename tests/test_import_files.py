"""Reading and validating real files: encodings, headers, bad cells, duplicates, formulas,
and files that are not what they claim to be. Nothing is written in any of these cases."""
import datetime
import zipfile

import pytest

from enrollment.importing import safety, services
from enrollment.importing.readers import FileProblem
from enrollment.models import ImportBatch, ImportKind, Person

from .registry_helpers import (
    ENROLLMENT_HEADERS,
    FILES,
    ROSTER_HEADERS,
    child_id,
    media_root,  # noqa: F401
    roster_rows,
    write_csv,
    write_xlsx,
)

TODAY = datetime.date(2026, 11, 23)


def report(path, county, kind=ImportKind.SCHOOL_ROSTER, organisation=None):
    result, _ = services.inspect_file(kind=kind, path=path, county=county, organisation=organisation,
                                      today=TODAY)
    return [(e.row, e.column, e.message) for e in result.errors], result


@pytest.mark.django_db
def test_the_sample_with_errors_reports_every_bad_row(county_a):
    errors, result = report(FILES / "school_roster_with_errors.csv", county_a)
    assert (3, "身份证号", "身份证号校验位错误") in errors
    assert (4, "姓名", "必填项为空") in errors
    assert any(row == 5 and column == "身份证号" and "出生日期" in message for row, column, message in errors)
    assert (7, "身份证号", "与第2行重复") in errors
    assert not result.ok


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_encoding_reads_the_same_chinese(tmp_path, county_a, encoding):
    path = write_csv(tmp_path / "roster.csv", ROSTER_HEADERS, roster_rows(3), encoding=encoding)
    errors, result = report(path, county_a)
    assert errors == []
    assert [row["name"] for row in result.rows] == ["学生0", "学生1", "学生2"]
    assert result.rows[0]["stage"] == "primary"


@pytest.mark.django_db
def test_a_file_in_an_unknown_encoding_is_refused(tmp_path, county_a):
    path = tmp_path / "utf16.csv"
    path.write_bytes(",".join(ROSTER_HEADERS).encode("utf-16"))
    errors, _ = report(path, county_a)
    assert len(errors) == 1 and errors[0][0] == 0


@pytest.mark.django_db
def test_malformed_bytes_are_reported_not_guessed(tmp_path, county_a):
    path = tmp_path / "broken.csv"
    path.write_bytes(",".join(ROSTER_HEADERS).encode("utf-8") + b"\r\n\xff\xfe\xfa\xfb\x81,\x80\x80\r\n")
    errors, _ = report(path, county_a)
    assert errors and "编码" in errors[0][2]


@pytest.mark.django_db
def test_missing_required_headers_are_named(tmp_path, county_a):
    path = write_csv(tmp_path / "two.csv", ["身份证号", "姓名"], [[child_id(1), "学生1"]])
    errors, _ = report(path, county_a)
    assert errors == [(1, "学校代码、学段", "缺少必需的列")]


@pytest.mark.django_db
def test_english_headers_in_any_order_are_accepted(tmp_path, county_a):
    headers = ["stage", "school_code", "name", "id_number", "extra"]
    path = write_csv(tmp_path / "en.csv", headers, [["小学", "S1", "学生", child_id(5), "x"]])
    errors, result = report(path, county_a)
    assert errors == []
    assert result.unknown_columns == ["extra"]


@pytest.mark.django_db
def test_an_empty_file_and_a_header_only_file_are_refused(tmp_path, county_a):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert report(empty, county_a)[0] == [(0, "", "文件为空")]
    header_only = write_csv(tmp_path / "header.csv", ROSTER_HEADERS, [])
    assert report(header_only, county_a)[0] == [(2, "", "文件没有数据行")]


@pytest.mark.django_db
def test_dates_in_the_future_and_impossible_dates(tmp_path, county_a):
    headers = ["身份证号", "姓名", "出生日期", "接种单位"]
    rows = [["", "甲", "2027-01-05", "接种点"], ["", "乙", "2024-02-30", "接种点"], ["", "丙", "20240105", "接种点"]]
    path = write_csv(tmp_path / "health.csv", headers, rows)
    errors, _ = report(path, county_a, kind=ImportKind.HEALTH_LIST)
    assert (2, "出生日期", "日期晚于今天") in errors
    assert any(row == 3 and column == "出生日期" for row, column, _ in errors)
    # row 4 has a good date but neither ID, certificate nor guardian: it is reported too
    assert any(row == 4 and column == "身份证号" for row, column, _ in errors)


@pytest.mark.django_db
def test_xlsx_reads_like_csv_and_formula_cells_are_bad_cells(tmp_path, county_a):
    rows = roster_rows(2)
    rows[1][1] = '=HYPERLINK("http://evil.example","点我")'
    path = write_xlsx(tmp_path / "roster.xlsx", ROSTER_HEADERS, rows)
    errors, result = report(path, county_a)
    assert errors == [(3, "姓名", "单元格含公式，请改为数值后重新上传")]
    assert result.rows[0]["name"] == "学生0"


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_before_openpyxl(tmp_path, county_a):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))
    errors, _ = report(path, county_a)
    assert errors == [(0, "", "XLSX 文件解压后过大（疑似压缩炸弹），已拒绝")]


def test_stored_names_never_carry_the_client_path():
    assert safety.safe_name("C:\\Users\\x\\..\\花名册.xlsx") == "花名册.xlsx"
    assert safety.safe_name("../../etc/passwd.csv") == "passwd.csv"
    assert safety.storage_name("a/b.CSV").endswith("-b.csv")
    with pytest.raises(FileProblem):
        safety.safe_name("roster.exe")


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_and_nothing_stored(tmp_path, settings, county_a, media_root):
    settings.IMPORT_MAX_BYTES = 1000
    path = write_csv(tmp_path / "big.csv", ROSTER_HEADERS, roster_rows(40))
    with open(path, "rb") as handle, pytest.raises(FileProblem, match="文件过大"):
        services.stage_upload(kind=ImportKind.SCHOOL_ROSTER, county=county_a, uploaded=handle, name="big.csv")
    assert not ImportBatch.objects.exists()
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_an_xlsx_with_too_many_parts_is_refused(tmp_path, county_a):
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for n in range(safety.MAX_ZIP_MEMBERS + 1):
            archive.writestr(f"xl/part{n}.xml", "<x/>")
    errors, _ = report(path, county_a)
    assert len(errors) == 1 and "部件过多" in errors[0][2]


@pytest.mark.django_db
def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path, county_a):
    path = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    errors, _ = report(path, county_a)
    assert errors == [(0, "", "无法读取 XLSX 文件：文件已损坏或不是 Excel 工作簿")]


HEALTH_HEADERS = ["身份证号", "姓名", "出生日期", "出生医学证明编号", "监护人身份证号", "监护人电话", "接种单位"]
GUARDIAN = child_id(7, birth=datetime.date(1990, 6, 1))


@pytest.mark.django_db
def test_a_child_without_numbers_twice_in_a_health_list_is_a_duplicate_row(tmp_path, county_a):
    rows = [["", "小禾", "2026-03-02", "", GUARDIAN, "", "城北接种点"],
            ["", "小苗", "2026-03-02", "", GUARDIAN, "", "城北接种点"],  # a twin: another child
            ["", "小禾", "2026-03-02", "", GUARDIAN, "", "城南接种点"]]
    errors, _ = report(write_csv(tmp_path / "health.csv", HEALTH_HEADERS, rows), county_a, ImportKind.HEALTH_LIST)
    assert errors == [(4, "监护人身份证号", "与第2行重复")]


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["NaN", "nan", "Infinity", "-inf"])
def test_an_amount_that_is_no_number_is_a_bad_cell(tmp_path, county_a, amount):
    row = [child_id(1), "", "甲", "", 2026, "居民医保", "350902", "2025-10-01", "税务征收", amount, "0"]
    errors, _ = report(write_csv(tmp_path / "extract.csv", ENROLLMENT_HEADERS, [row]), county_a,
                       ImportKind.ENROLLMENT)
    assert errors == [(2, "大病报销金额", "金额应为数字")]


@pytest.mark.django_db
def test_a_certificate_number_longer_than_the_registry_keeps_is_a_bad_cell(tmp_path, county_a):
    row = [child_id(1), "", "甲", "", 2026, "居民医保", "350902", "2025-10-01", "税务征收", "0", "0"]
    row[1] = "Q" * 21
    errors, _ = report(write_csv(tmp_path / "extract.csv", ENROLLMENT_HEADERS, [row]), county_a,
                       ImportKind.ENROLLMENT)
    assert errors == [(2, "出生医学证明编号", "出生医学证明编号只能由字母、数字组成，最长20位")]
