"""CSV and XLSX downloads that spreadsheets cannot turn into formulas.

A cell starting with = + - @ or a tab / carriage return is read as a formula by Excel and
WPS (CSV injection); ``safe_cell`` puts an apostrophe in front. Every export of every app
writes through ``csv_response`` / ``xlsx_response``.
"""
import csv
import datetime
import io
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """Text that starts like a formula gets a leading apostrophe; numbers and dates pass."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, datetime.date)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _rows(rows):
    return ([safe_cell(value) for value in row] for row in rows)


def csv_bytes(rows):
    """``rows`` (the header row first) as CSV: UTF-8 with a BOM so that Excel reads Chinese."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for row in _rows(rows):
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows, *, sheet_title="Sheet1"):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for row in _rows(rows):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE}


def rows_file(rows, fmt):
    """``rows`` as the bytes of a ``fmt`` ("csv" or "xlsx") file."""
    return xlsx_bytes(rows) if fmt == "xlsx" else csv_bytes(rows)


def csv_response(filename, rows):
    """``rows``: the header row first."""
    return file_response(csv_bytes(rows), filename + ".csv", CONTENT_TYPES["csv"])


def xlsx_response(filename, rows, *, sheet_title="Sheet1"):
    return file_response(xlsx_bytes(rows, sheet_title=sheet_title), filename + ".xlsx", XLSX_TYPE)


def table_response(table, filename, fmt):
    """A django-tables2 table as CSV or XLSX (``fmt``), through ``table.as_values()``."""
    rows = table.as_values()
    if fmt == "xlsx":
        return xlsx_response(filename, rows)
    return csv_response(filename, rows)


def file_response(content, filename, content_type):
    """Ready-made bytes (a PDF, an XLSX built elsewhere) as a download named ``filename``."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = _disposition(filename)
    return response


def _disposition(filename):
    return f"attachment; filename=\"export.{filename.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(filename)}"
