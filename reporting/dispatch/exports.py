"""The dispatch table as files that look like the paper form: XLSX, PDF and CSV.

Each builder returns bytes, so the views and the ``dispatch_table`` command write the same
file. Text cells go through ``enrollment.portal.exporting.safe_cell`` (no formula injection); the CSV
is written by ``enrollment.portal.exporting.csv_response``.
"""
import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from enrollment.portal.exporting import XLSX_TYPE, csv_response, safe_cell

from . import figures as dispatch_figures

FORMATS = ("xlsx", "pdf", "csv")
CONTENT_TYPES = {"xlsx": XLSX_TYPE, "pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}


def title(table):
    return _("%(city)s children's basic medical insurance enrollment dispatch table") % {
        "city": table.title_area.name
    }


def subtitle(table):
    return _("Reporting unit: %(area)s    Data as of: %(date)s") % {
        "area": table.area.name, "date": f"{table.cutoff.year}年{table.cutoff.month}月{table.cutoff.day}日",
    }


def filename(table, fmt):
    return f"调度表_{table.area.pk}_{table.cutoff:%Y%m%d}.{fmt}"


def header_rows():
    """Both header rows as lists of (text, colspan, rowspan); text already translated."""
    top, bottom = dispatch_figures.header_rows()
    return [[(str(label), cols, rows) for label, cols, rows, _key in line] for line in (top, bottom)]


def body_rows(table):
    """One list per row; a county that has not submitted shows "not submitted" and no figures."""
    return [
        [row.name, *([str(_("Not submitted"))] + [None] * (len(dispatch_figures.KEYS) - 1) if row.is_missing
                     else [value for _key, value in row.cells()])]
        for row in table.rows
    ]


def as_csv(table):
    """Flat CSV: the group is prefixed to each column's label so the header is one line."""
    labels = [str(_("County (city, district)"))]
    for column in dispatch_figures.COLUMNS:
        labels.append(f"{column.group}-{column.label}" if column.group else str(column.label))
    return csv_response(filename(table, "csv")[:-4], [labels, *body_rows(table)]).content


THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)


def as_xlsx(table):
    """One sheet: title, subtitle, the two merged header rows of the form, a row per county."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Dispatch table"))[:31]
    width = 1 + len(dispatch_figures.COLUMNS)
    _merged(sheet, 1, 1, 1, width, title(table), Font(bold=True, size=14))
    _merged(sheet, 2, 1, 2, width, subtitle(table), Font(size=10))
    sheet.cell(2, 1).alignment = Alignment(horizontal="left")
    _write_headers(sheet, first_row=3)
    for offset, values in enumerate(body_rows(table)):
        row_number = 5 + offset
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row_number, column, safe_cell(value))
            cell.border = BOX
            cell.alignment = CENTRED
            if table.rows[offset].is_total:
                cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 14
    for column in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 10
    sheet.row_dimensions[3].height = 30
    sheet.row_dimensions[4].height = 60
    sheet.freeze_panes = "B5"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_headers(sheet, first_row):
    """Place each header cell where the paper form has it, merging its span."""
    taken = set()
    for row_offset, line in enumerate(header_rows()):
        row = first_row + row_offset
        column = 1
        for text, colspan, rowspan in line:
            while (row, column) in taken:
                column += 1
            _merged(sheet, row, column, row + rowspan - 1, column + colspan - 1, text, Font(bold=True))
            for r in range(row, row + rowspan):
                for c in range(column, column + colspan):
                    taken.add((r, c))
            column += colspan


def _merged(sheet, row, column, last_row, last_column, text, font):
    sheet.cell(row, column, safe_cell(text)).font = font
    for r in range(row, last_row + 1):
        for c in range(column, last_column + 1):
            sheet.cell(r, c).border = BOX
            sheet.cell(r, c).alignment = CENTRED
    if (last_row, last_column) != (row, column):
        sheet.merge_cells(start_row=row, start_column=column, end_row=last_row, end_column=last_column)


def as_html(table, *, submitted=None):
    return render_to_string("reporting/dispatch_print.html", {
        "table": table, "title": title(table), "subtitle": subtitle(table),
        "headers": header_rows(), "rows": body_rows(table), "submitted": submitted,
    })


def as_pdf(table, *, submitted=None):
    """Landscape A4 through WeasyPrint, in the CJK font of reporting_print.css."""
    from weasyprint import CSS, HTML  # heavy import, only where PDFs are made

    stylesheet = CSS(filename=str(settings.BASE_DIR / "static" / "css" / "reporting_print.css"))
    html = HTML(string=as_html(table, submitted=submitted), base_url=str(settings.BASE_DIR))
    return html.write_pdf(stylesheets=[stylesheet])


BUILDERS = {"xlsx": as_xlsx, "pdf": as_pdf, "csv": as_csv}


def render(table, fmt, **options):
    if fmt == "pdf":
        return as_pdf(table, **options)
    return BUILDERS[fmt](table)
