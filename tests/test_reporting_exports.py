"""The dispatch table files: XLSX with the form's merged headers, PDF in a CJK font, CSV; the command."""
import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from .reporting_helpers import EXPECTED_A, EXPECTED_B, EXPECTED_CITY, dispatch_world  # noqa: F401

AS_OF = "as_of=2024-06-30"


def _workbook(content):
    return load_workbook(io.BytesIO(content)).active


def test_xlsx_has_the_merged_header_of_the_paper_form(dispatch_world, login, county_user_a):
    response = login(county_user_a).get(f"/reporting/dispatch/export.xlsx?{AS_OF}")
    sheet = _workbook(response.content)
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:U1", "A3:A4", "B3:I3", "J3:J4", "K3:N3", "O3:R3", "S3:U3"} <= merged
    assert sheet["A1"].value == "宁德市儿童参加基本医疗保险情况调度表"
    assert "2024年6月30日" in sheet["A2"].value
    assert sheet["B3"].value == "参保总人数（0-18岁）"
    assert sheet["J3"].value == "“出生一件事”平台新生儿参保人数"
    assert sheet["K4"].value == "教育部门提供幼儿园人数" and sheet["L4"].value == "比对未参保人数"
    assert sheet["S4"].value == "免疫规划疫苗接种儿童人数"
    assert [c.value for c in sheet[5]] == ["蕉城区", *EXPECTED_A.values()]
    # below the table, one blank row, then the paper form's line: the downloader fills it in
    assert sheet["A6"].value is None and sheet.max_row == 7
    assert sheet["A7"].value.startswith("填报人：") and "审核人：＿" in sheet["A7"].value
    assert "A7:U7" in merged


def test_city_xlsx_stacks_counties_and_a_total(dispatch_world, login, city_user):
    response = login(city_user).get(f"/reporting/dispatch/export.xlsx?area=350900&{AS_OF}")
    sheet = _workbook(response.content)
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5, max_row=sheet.max_row - 2)]
    assert rows[0][0] == "蕉城区" and rows[1] == ["霞浦县", *EXPECTED_B.values()]
    assert rows[-2][0] == "宁德市医保中心"  # the city's centre reports like a county
    assert rows[-1] == ["合计", *EXPECTED_CITY.values()]
    assert len(rows) == 11


def test_pdf_is_landscape_in_a_cjk_font_with_the_figures(dispatch_world, login, county_user_a):
    response = login(county_user_a).get(f"/reporting/dispatch/export.pdf?{AS_OF}")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height
    text = "".join(page.extract_text().split())
    assert "宁德市儿童参加基本医疗保险情况调度表" in text
    assert "蕉城区" + "".join(str(v) for v in EXPECTED_A.values()) in text
    fonts = {str(ref.get_object()["/BaseFont"]) for ref in page["/Resources"]["/Font"].values()}
    assert any("CJK" in name for name in fonts), fonts


def test_csv_has_one_header_line_and_a_row_per_county(dispatch_world, login, county_user_a):
    response = login(county_user_a).get(f"/reporting/dispatch/export.csv?{AS_OF}")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "县（市、区）" and rows[0][1] == "参保总人数（0-18岁）-合计"
    assert rows[1] == ["蕉城区", *(str(v) for v in EXPECTED_A.values())]
    assert "filename*=UTF-8''" in response["Content-Disposition"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "pdf"])
def test_command_writes_the_same_file_as_the_page(dispatch_world, tmp_path, fmt):
    output = tmp_path / f"t.{fmt}"
    call_command("dispatch_table", "--city", "350900", "--as-of", "2024-06-30", "--format", fmt,
                 "--output", str(output), stdout=io.StringIO())
    content = output.read_bytes()
    if fmt == "xlsx":
        rows = [[c.value for c in row] for row in _workbook(content).iter_rows(min_row=5)]
        assert rows[-1][0] == "合计" and rows[-1][1] == EXPECTED_CITY["insured_total"]
    elif fmt == "csv":
        assert content.decode("utf-8-sig").splitlines()[1].startswith("蕉城区,15,2,2,4")
    else:
        assert "霞浦县" in PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_command_for_a_county(dispatch_world, tmp_path):
    output = tmp_path / "a.xlsx"
    call_command("dispatch_table", "--county", "350902", "--as-of", "2024-06-30", "--format", "xlsx",
                 "--output", str(output), stdout=io.StringIO())
    rows = list(_workbook(output.read_bytes()).iter_rows(min_row=5, values_only=True))
    assert rows == [("蕉城区", *EXPECTED_A.values())]


def test_command_rejects_bad_input(dispatch_world, tmp_path):
    with pytest.raises(CommandError):
        call_command("dispatch_table", "--county", "999999", "--as-of", "2024-06-30", "--format", "csv",
                     "--output", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError):
        call_command("dispatch_table", "--county", "350902", "--as-of", "30/06/2024", "--format", "csv",
                     "--output", str(tmp_path / "x.csv"))
