"""Reading an uploaded list: CSV (UTF-8, UTF-8 with BOM, GB18030) or XLSX (first sheet).

``read_table(path)`` returns the header row and an iterator of ``(row_number, values)``, row
numbers counted as a spreadsheet user sees them (the header is row 1). Problems with the file
as a whole raise ``FileProblem`` with a Chinese message.
"""
import csv
import datetime
import io
import zipfile
from dataclasses import dataclass
from typing import Iterator

ENCODINGS = ("utf-8-sig", "gb18030")


class FileProblem(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


class Formula(str):
    """The text of an XLSX formula cell: never evaluated, reported as a bad cell."""


@dataclass
class Table:
    headers: list
    rows: Iterator  # of (row_number, [str, ...])


def is_xlsx(path):
    return zipfile.is_zipfile(path)


def read_table(path) -> Table:
    if is_xlsx(path):
        from .safety import check_zip

        check_zip(path)
        table = _read_xlsx(path)
    else:
        table = _read_csv(path)
    if not any(table.headers):
        raise FileProblem("文件为空或缺少表头行")
    return table


def count_rows(path):
    """Data rows in the file, cheaply (for choosing between inline and background work); the
    file is a stored upload, already checked by ``services.stage_upload``."""
    if is_xlsx(path):
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        try:
            # Every row, streamed: the sheet's <dimension> may understate it.
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()
            return max(sum(1 for _ in sheet.iter_rows(values_only=True)) - 1, 0)
        finally:
            workbook.close()
    with open(path, "rb") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


def _decode(raw):
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileProblem("无法识别文件编码：请另存为 UTF-8 或 GB18030 编码的 CSV，或 XLSX 文件")


def _read_csv(path):
    with open(path, "rb") as handle:
        raw = handle.read()
    if not raw.strip():
        raise FileProblem("文件为空")
    if b"\x00" in raw[:4096]:
        raise FileProblem("文件不是 CSV 或 XLSX 表格")
    text = _decode(raw)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headers = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise FileProblem("文件为空")
    except csv.Error as error:
        raise FileProblem(f"CSV 格式错误：{error}")

    def rows():
        try:
            for number, values in enumerate(reader, start=2):
                values = [value.strip() for value in values]
                if any(values):
                    yield number, values
        except csv.Error as error:
            raise FileProblem(f"第{reader.line_num}行 CSV 格式错误：{error}")

    return Table(headers, rows())


def _cell_text(cell):
    if getattr(cell, "data_type", None) == "f":
        return Formula(str(cell.value))
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(path):
    from openpyxl import load_workbook

    # read_only streams the sheet; data_only=False keeps formula cells visible as formulas so
    # that they are reported (openpyxl never evaluates them either way).
    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except Exception:  # a zip that is not a workbook, a damaged file
        raise FileProblem("无法读取 XLSX 文件：文件已损坏或不是 Excel 工作簿")
    sheet = workbook.worksheets[0]
    # read_only trusts the sheet's <dimension>, which a file may understate: rows past it would
    # be dropped without a word. Forget it and read every row there is.
    sheet.reset_dimensions()
    iterator = sheet.iter_rows()
    first = next(iterator, None)
    if first is None:
        workbook.close()
        raise FileProblem("文件为空")
    headers = [_cell_text(value) for value in first]

    def rows():
        try:
            for number, values in enumerate(iterator, start=2):
                texts = [_cell_text(value) for value in values]
                if any(texts):
                    yield number, texts
        finally:
            workbook.close()

    return Table(headers, rows())
