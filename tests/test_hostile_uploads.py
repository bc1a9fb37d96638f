"""Hostile uploads and hostile data: each is refused with a clear Chinese message and nothing
written, or neutralised wherever it comes back out (pages, CSV and XLSX exports).

Uploads go through the upload page as a user's browser would post them.
"""
import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from enrollment.models import ImportBatch
from enrollment.portal.exporting import FORMULA_PREFIXES

from .factories import make_id, make_organisation
from .trust_helpers import SPECS, export_cells, fingerprint, response_bytes, world_of

pytestmark = pytest.mark.django_db

HEADER = "身份证号,姓名,学校代码,学校名称,学段,年级,班级,监护人姓名,监护人电话\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.MEDIA_ROOT


def stored_files(root):
    root = Path(root)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def upload(client, name, content, kind="school_roster"):
    return client.post(reverse("imports"), {"kind": kind, "file": SimpleUploadedFile(name, content)})


def roster(rows, school_code="S3509020001"):
    lines = [f"{id_number},{name},{school_code},蕉城实验小学,小学,一年级,一(1)班,家长,13900000000"
             for id_number, name in rows]
    return (HEADER + "\n".join(lines) + "\n").encode("utf-8-sig")


def assert_refused(response, message, before, media_root):
    assert response.status_code == 200, "a refused upload stays on the upload page"
    page = response.content.decode()
    assert message in page, f"the page does not say {message!r}"
    assert fingerprint() == before, "a refused upload wrote rows"
    assert not ImportBatch.objects.exists()
    assert stored_files(media_root) == [], "a refused upload left a file behind"


def zip_bomb(uncompressed_mb=60):
    """A zip that looks like a workbook and inflates a thousandfold."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"0" * (1 << 20)
            for _ in range(uncompressed_mb):
                member.write(chunk)
    return buffer.getvalue()


def test_an_oversized_file_is_refused(county_user_a, login, settings, media_root):
    settings.IMPORT_MAX_BYTES = 4096
    content = roster([(make_id("350902"), f"学生{i}") for i in range(200)])
    assert len(content) > 4096
    before = fingerprint()
    response = upload(login(county_user_a), "big.csv", content)
    assert_refused(response, "文件过大", before, media_root)


def test_a_zip_bomb_disguised_as_xlsx_is_refused(county_user_a, login, media_root):
    bomb = zip_bomb()
    assert len(bomb) < 200 * 1024
    before = fingerprint()
    response = upload(login(county_user_a), "花名册.xlsx", bomb)
    assert_refused(response, "压缩炸弹", before, media_root)


def test_a_zip_that_is_no_workbook_is_refused(county_user_a, login, media_root):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    before = fingerprint()
    response = upload(login(county_user_a), "花名册.xlsx", buffer.getvalue())
    assert_refused(response, "不是 Excel 工作簿", before, media_root)


@pytest.mark.parametrize("name", ["roster.exe", "roster.html", "roster.csv.php", "roster"])
def test_files_that_are_not_csv_or_xlsx_are_refused(name, county_user_a, login, media_root):
    before = fingerprint()
    response = upload(login(county_user_a), name, roster([(make_id("350902"), "林小雨")]))
    assert_refused(response, "只接受 CSV 或 XLSX 文件", before, media_root)


@pytest.mark.parametrize("name", [
    "../../etc/passwd.csv", "..\\..\\windows\\system32\\roster.csv", "/etc/cron.d/roster.csv",
    "roster\x00.csv", "<script>alert(1)</script>.csv",
])
def test_path_tricks_in_the_file_name_stay_inside_the_upload_folder(
    name, county_user_a, login, media_root
):
    client = login(county_user_a)
    response = upload(client, name, roster([(make_id("350902"), "林小雨")]))
    batches = list(ImportBatch.objects.all())
    if not batches:  # refused: then with a message and nothing stored
        assert response.status_code == 200 and "error" in response.content.decode()
        assert stored_files(media_root) == []
        return
    batch = batches[0]
    assert "/" not in batch.original_name and "\\" not in batch.original_name
    assert ".." not in batch.original_name.replace(".csv", "")
    assert "<" not in batch.original_name and "\x00" not in batch.original_name
    stored = Path(batch.file.path).resolve()
    assert stored.is_relative_to(Path(media_root).resolve())
    assert all(".." not in f and not f.startswith("/") for f in stored_files(media_root))
    page = client.get(reverse("import_detail", kwargs={"pk": batch.pk})).content.decode()
    assert "<script>alert(1)</script>" not in page


# --- Hostile values in the data ----------------------------------------------------------

FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(A1:A9)", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]


def test_formula_injection_in_an_uploaded_roster_is_refused_or_kept_as_text(
    county_user_a, login, media_root
):
    rows = [(make_id("350902", datetime.date(2018, 1, i + 1)), formula) for i, formula in enumerate(FORMULAS)]
    client = login(county_user_a)
    response = upload(client, "roster.csv", roster(rows))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    if batch.status == "ready":
        client.post(reverse("import_confirm", kwargs={"pk": batch.pk}))
    from enrollment.models import Person

    for person in Person.objects.all():  # stored as typed, never evaluated
        assert person.name in FORMULAS


def export_urls():
    """Every export of the portal: the export patterns in both formats, and every list page
    with ``?export=csv|xlsx``."""
    urls = []
    for name, spec in SPECS.items():
        if spec.kind == "export" and "fmt" in (spec.kwargs(None) if spec.kwargs else {}):
            for fmt in ("csv", "xlsx"):
                urls.append(reverse(name, kwargs={**spec.kwargs(None), "fmt": fmt}))
        elif spec.kind in ("list", "page") and not spec.kwargs:
            for fmt in ("csv", "xlsx"):
                urls.append(reverse(name) + f"?export={fmt}")
    return urls


def hostile_world(county, formula):
    school = make_organisation(county, kind="school", name=formula)
    return world_of(county, marker=formula, owner=school)


@pytest.mark.parametrize("user_fixture", ["county_user_a", "city_user"])
def test_formulas_in_names_come_back_neutralised_in_every_export(
    request, user_fixture, county_a, login
):
    for i, formula in enumerate(FORMULAS):
        hostile_world(county_a, formula)
    client = login(request.getfixturevalue(user_fixture))
    seen_exports, carrying = [], []
    for url in export_urls():
        response = client.get(url)
        if response.status_code != 200 or "attachment" not in response.get("Content-Disposition", ""):
            continue
        seen_exports.append(url)
        cells = export_cells(response)
        dangerous = [c for c in cells if c.startswith(FORMULA_PREFIXES)]
        assert not dangerous, f"{url} exports formulas: {dangerous[:5]}"
        if any(cell.lstrip("'") in FORMULAS for cell in cells):
            carrying.append(url)
    assert any("persons/export" in url for url in carrying), "the person export lost the names"
    assert any("outreach/tasks" in url for url in carrying), "the task export lost the names"
    assert len(seen_exports) >= 6, seen_exports


SCRIPT = '<script>alert("x")</script>'
IMG = "<img src=x onerror=alert(1)>"


@pytest.mark.parametrize("user_fixture", ["county_user_a", "city_user"])
def test_html_in_names_is_escaped_on_every_page(request, user_fixture, county_a, login):
    school = make_organisation(county_a, kind="school", name=IMG)
    world = world_of(county_a, marker=SCRIPT, owner=school)
    client = login(request.getfixturevalue(user_fixture))
    shown_on = []
    for name, spec in SPECS.items():
        if spec.method != "GET" or spec.kind in ("public", "download", "export"):
            continue
        url = spec.url(name, world)
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        page = response_bytes(response).decode()
        assert SCRIPT not in page and IMG not in page, f"{url} shows a name as HTML"
        if "&lt;script&gt;" in page or "&lt;img" in page:
            shown_on.append(name)
    assert {"persons", "person_detail", "outreach_tasks", "outreach_task"} <= set(shown_on), shown_on


def confirm_upload(client, name, content):
    upload(client, name, content)
    batch = ImportBatch.objects.order_by("-pk").first()
    if batch is not None and batch.status == "ready":
        client.post(reverse("import_confirm", kwargs={"pk": batch.pk}))
        batch.refresh_from_db()
    return batch


def test_a_liaison_cannot_upload_another_schools_pupils(school_user_a, school_b, login, media_root):
    before = fingerprint()
    batch = confirm_upload(login(school_user_a), "roster.csv",
                           roster([(make_id("350902"), "林小雨")], school_code=school_b.code))
    assert batch.status == "invalid" and batch.errors, "another school's code must be refused"
    assert "学校代码" in str(batch.errors)
    counts = fingerprint()
    assert counts.pop("ImportBatch") == before.pop("ImportBatch") + 1
    assert counts == before, "a refused roster wrote rows"


def upload_child_of_county_b(client, school_b, county_b):
    from .factories import make_person

    child_b = make_person(county_b, name="霞浦儿童", school=school_b, class_name="二(1)班",
                          id_number=make_id("350921"))
    confirm_upload(client, "roster.csv", roster([(child_b.id_number, "改了名字")]))
    return child_b


def test_a_roster_of_county_a_does_not_expose_a_child_of_county_b(
    school_user_a, school_b, county_b, login, media_root
):
    client = login(school_user_a)
    child_b = upload_child_of_county_b(client, school_b, county_b)
    assert client.get(reverse("person_detail", kwargs={"pk": child_b.pk})).status_code == 404
    assert "霞浦儿童" not in client.get(reverse("persons")).content.decode()


def test_a_roster_of_county_a_does_not_rewrite_a_child_of_county_b(
    school_user_a, school_b, county_b, login, media_root
):
    from enrollment.models import Person

    child_b = upload_child_of_county_b(login(school_user_a), school_b, county_b)
    child_b = Person.objects.get(pk=child_b.pk)
    assert (child_b.name, child_b.school_id, child_b.county_id) == ("霞浦儿童", school_b.pk, county_b.pk)
