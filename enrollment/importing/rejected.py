"""The workbook a rejected file goes back in (issue 17): every row of the stored file, in its
order, with the original columns and a 错误原因 column filled on the rejected rows (their cells
shaded). Nothing of a rejected file was imported, so the whole file is what the school corrects
and uploads again; the reason column is ignored on upload."""
import io
from collections import defaultdict

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from ..portal.exporting import safe_cell
from . import readers
from .validation import REASON_HEADER

SHADE = PatternFill("solid", fgColor="FDE2E1")


def has_rows(batch):
    """Whether the report names rows of the file (not only a file-level problem)."""
    return any(error.get("row", 0) >= 2 for error in batch.errors)


def reasons_by_row(batch):
    reasons = defaultdict(list)
    for error in batch.errors:
        if error.get("row", 0) >= 2:
            column, message = error.get("column", ""), error["message"]
            reasons[error["row"]].append(f"{column}：{message}" if column else message)
    return reasons


def workbook_bytes(batch):
    """The stored file with the report's reasons, as XLSX bytes."""
    reasons = reasons_by_row(batch)
    table = readers.read_table(batch.file.path)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="改正后重新上传")
    width = len(table.headers)
    header = [WriteOnlyCell(sheet, value=safe_cell(h)) for h in table.headers + [REASON_HEADER]]
    for cell in header:
        cell.font = Font(bold=True)
    sheet.append(header)
    for number, values in table.rows:
        values = (list(values) + [""] * width)[:width]
        reason = "；".join(reasons.get(number, []))
        row = [WriteOnlyCell(sheet, value=safe_cell(str(v))) for v in values + [reason]]
        if reason:
            for cell in row:
                cell.fill = SHADE
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

