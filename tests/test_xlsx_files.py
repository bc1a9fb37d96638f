"""XLSX files that lie (issue 15): a sheet whose <dimension> understates its rows imports every
row; a workbook with a DTD (billion laughs, external entities) is refused in Chinese, on the
page and on the command line, leaving neither a batch nor a stored file."""
import csv
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from enrollment.importing import readers
from enrollment.models import ImportBatch, ListEntry

from .registry_helpers import FILES, media_root  # noqa: F401
from .test_hostile_uploads import stored_files

pytestmark = pytest.mark.django_db

ROWS = 12
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol%s;" % (n - 1 if n > 1 else "")) * 10}">' for n in range(1, 10))
    + "]>\n"
)
XXE = '<?xml version="1.0"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def roster_xlsx(rows=ROWS):
    """The sample roster's first rows as a workbook, every cell text."""
    with open(FILES / "school_roster.csv", encoding="utf-8-sig") as handle:
        lines = list(csv.reader(handle))[: rows + 1]
    workbook = Workbook()
    for line in lines:
        workbook.active.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewritten(content, member, change):
    """``content`` (an XLSX) with one member's XML passed through ``change``."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item)
            archive.writestr(item, change(data.decode()).encode() if item.filename == member else data)
    return target.getvalue()


def understated(content):
    return rewritten(content, "xl/worksheets/sheet1.xml",
                     lambda xml: re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:I3"', xml))


def with_dtd(content, dtd, member="xl/worksheets/sheet1.xml"):
    return rewritten(content, member, lambda xml: dtd + re.sub(r"^<\?xml[^>]*\?>\s*", "", xml))


def test_an_understated_dimension_still_imports_every_row(media_root, tmp_path, capsys):
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(understated(roster_xlsx()))
    assert b'ref="A1:I3"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert readers.count_rows(path) == ROWS
    call_command("import_file", "school_roster", str(path), "--county", "331102", "--today", "2026-11-23")
    batch = ImportBatch.objects.get()
    assert batch.row_count == ROWS and ListEntry.objects.count() == ROWS
    assert "已导入" in capsys.readouterr().out


def test_an_understated_dimension_is_reported_in_full_on_the_page(media_root, county_user_a, login):
    response = login(county_user_a).post(reverse("imports"), {
        "kind": "school_roster", "file": SimpleUploadedFile("花名册.xlsx", understated(roster_xlsx()))})
    assert response.status_code == 302
    assert ImportBatch.objects.get().row_count == ROWS  # the report covers every row


@pytest.mark.parametrize("dtd,member", [
    (BILLION_LAUGHS, "xl/worksheets/sheet1.xml"), (XXE, "xl/workbook.xml"), (XXE, "[Content_Types].xml"),
], ids=["billion-laughs", "xxe-workbook", "xxe-content-types"])
def test_a_workbook_with_a_dtd_is_refused_on_the_page(media_root, county_user_a, login, dtd, member):
    hostile = with_dtd(roster_xlsx(), dtd, member)
    response = login(county_user_a).post(reverse("imports"), {
        "kind": "school_roster", "file": SimpleUploadedFile("花名册.xlsx", hostile)})
    assert response.status_code == 200
    assert "文档类型定义（DTD）" in response.content.decode()
    assert not ImportBatch.objects.exists() and stored_files(media_root) == []


def test_a_workbook_with_a_dtd_is_refused_on_the_command_line(media_root, tmp_path, capsys):
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(with_dtd(roster_xlsx(), BILLION_LAUGHS))
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_file", "school_roster", str(path), "--county", "331102")
    assert "文档类型定义（DTD）" in capsys.readouterr().err
    assert not ImportBatch.objects.exists() and stored_files(media_root) == []
