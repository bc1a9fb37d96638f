"""The dispatch table as files that look like the paper form: XLSX, PDF and CSV.

Each builder returns bytes, so the views and the ``dispatch_table`` command write the same
file. The XLSX and PDF carry the paper form's lines (填报单位 above the table; 填报人, 审核人,
联系电话 and 填报日期 below it: ``FormLines``) and, for a submitted table, its narrative report
(工作进展、存在问题、意见建议). Text cells go through ``enrollment.portal.exporting.safe_cell`` (no formula injection); the CSV
is written by ``enrollment.portal.exporting.csv_response``.
"""
import datetime
import io
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
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


def _chinese_date(day):
    return f"{day.year}年{day.month}月{day.day}日"


def subtitle(table, lines=None):
    return _("Reporting unit: %(area)s    Data as of: %(date)s") % {
        "area": lines.unit if lines and lines.unit else table.area.name, "date": _chinese_date(table.cutoff),
    }


@dataclass(frozen=True)
class FormLines:
    """The paper form's lines: 填报单位 (above the table), 填报人, 审核人, 联系电话, 填报日期."""

    unit: str
    filled_by: str
    checked_by: str
    phone: str
    filled_on: datetime.date | None

    def footer(self):
        """[(label, value)] of the line below the table; an empty value is a blank to fill in."""
        return [(str(_("Filled in by")), self.filled_by), (str(_("Checked by")), self.checked_by),
                (str(_("Contact phone")), self.phone),
                (str(_("Date filled in")), _chinese_date(self.filled_on) if self.filled_on else "")]

    def footer_text(self):
        return "    ".join(f"{label}：{value or '＿＿＿＿＿＿'}" for label, value in self.footer())


def person_name(user):
    return (user.get_full_name() or user.username) if user else ""


def bureau_contact(area):
    """The county's contact (outreach's CountyContact: office and phone), or None."""
    from outreach.models import CountyContact  # the bureau's contact printed on notices

    return CountyContact.objects.filter(county=area).first()


def default_unit(area, contact=None):
    """The reporting unit: the bureau's office on file, else the area's bureau."""
    if contact is not None and contact.office:
        return contact.office
    return area.name if area.name.endswith("中心") else f"{area.name}{_('Medical Insurance Bureau')}"


def form_lines(*, report=None, user=None, area=None, today=None):
    """The form's lines of a submitted version (as sent), or of a table downloaded now by
    ``user`` for ``area`` (the 审核人 is left blank to be filled in by hand)."""
    if report is not None:
        filled_on = timezone.localtime(report.submitted_at).date()
        return FormLines(unit=report.unit or default_unit(report.county), filled_by=person_name(report.submitted_by),
                         checked_by=report.checked_by, phone=report.phone, filled_on=filled_on)
    contact = bureau_contact(area)
    return FormLines(unit=default_unit(area, contact), filled_by=person_name(user), checked_by="",
                     phone=(getattr(user, "phone", "") or (contact.phone if contact else "")), filled_on=today)


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


def as_xlsx(table, *, lines=None, report=None):
    """One sheet: title, subtitle, the two merged header rows of the form, a row per county;
    below, the form's lines and a submitted version's narrative report."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Dispatch table"))[:31]
    width = 1 + len(dispatch_figures.COLUMNS)
    _merged(sheet, 1, 1, 1, width, title(table), Font(bold=True, size=14))
    _merged(sheet, 2, 1, 2, width, subtitle(table, lines), Font(size=10))
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
    _write_footer(sheet, 5 + len(table.rows) + 1, width, lines, report)
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


def _write_footer(sheet, row, width, lines, report):
    """The form's line below the table, then the narrative, each merged across the sheet."""
    if lines is not None:
        sheet.cell(row, 1, safe_cell(lines.footer_text())).font = Font(size=10)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 2
    for heading, text in narrative(report):
        sheet.cell(row, 1, safe_cell(heading)).font = Font(bold=True)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        cell = sheet.cell(row + 1, 1, safe_cell(text))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=width)
        # about 100 characters a line across the merged width; 15 points a line
        sheet.row_dimensions[row + 1].height = 15 * max(1, sum(len(part) // 100 + 1 for part in text.splitlines()))
        row += 2


def narrative(report):
    """[(numbered heading, text)] of a submitted version's narrative report; [] otherwise."""
    if report is None:
        return []
    numbers = "一二三"
    return [(f"{numbers[i]}、{heading}", text or str(_("(none)"))) for i, (heading, text) in enumerate(report.narrative)]


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


def as_html(table, *, lines=None, report=None):
    return render_to_string("reporting/dispatch_print.html", {
        "table": table, "title": title(table), "subtitle": subtitle(table, lines),
        "headers": header_rows(), "rows": body_rows(table), "submitted": report, "lines": lines,
        "narrative": narrative(report),
    })


def pdf_from_html(html):
    """Landscape A4 through WeasyPrint, in the CJK font of reporting_print.css."""
    from weasyprint import CSS, HTML  # heavy import, only where PDFs are made

    stylesheet = CSS(filename=str(settings.BASE_DIR / "static" / "css" / "reporting_print.css"))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[stylesheet])


def as_pdf(table, *, lines=None, report=None):
    return pdf_from_html(as_html(table, lines=lines, report=report))


BUILDERS = {"xlsx": as_xlsx, "pdf": as_pdf, "csv": as_csv}


def render(table, fmt, *, lines=None, report=None):
    """The file of ``fmt``; the XLSX and PDF with the form's ``lines`` and ``report``'s narrative."""
    if fmt == "csv":
        return as_csv(table)
    return BUILDERS[fmt](table, lines=lines, report=report)
