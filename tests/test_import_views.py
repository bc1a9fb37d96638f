"""The browser flow: upload -> report -> confirm; the import list, stored file and templates;
a liaison only imports its own school's roster; outsiders get 404."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from enrollment.importing import partners
from enrollment.models import AccessEvent, ImportBatch, ListEntry, Person

from .registry_helpers import FILES, ROSTER_HEADERS, media_root, roster_rows, write_csv  # noqa: F401

pytestmark = pytest.mark.django_db


def upload(client, path, kind="school_roster", name=None):
    data = SimpleUploadedFile(name or path.name, path.read_bytes())
    return client.post("/imports/", {"kind": kind, "file": data})


def test_upload_report_confirm(media_root, tmp_path, login, county_user_a):
    client = login(county_user_a)
    path = write_csv(tmp_path / "roster.csv", ROSTER_HEADERS, roster_rows(5))
    response = upload(client, path)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == f"/imports/{batch.pk}/"
    page = client.get(response.url).content.decode()
    assert "roster.csv" in page and "import_confirm" not in page
    assert f"/imports/{batch.pk}/confirm/" in page
    assert Person.objects.count() == 0  # nothing before the confirmation
    client.post(f"/imports/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert batch.status == "done" and batch.counts["persons_created"] == 5
    assert Person.objects.count() == 5 and ListEntry.objects.count() == 5
    assert AccessEvent.objects.filter(action="import").count() == 2


def test_the_report_lists_every_bad_row_and_confirm_is_refused(media_root, login, county_user_a):
    client = login(county_user_a)
    response = upload(client, FILES / "school_roster_with_errors.csv")
    page = client.get(response.url).content.decode()
    assert "身份证号校验位错误" in page and "与第2行重复" in page and "必填项为空" in page
    batch = ImportBatch.objects.get()
    assert batch.status == "invalid"
    client.post(f"/imports/{batch.pk}/confirm/")
    assert Person.objects.count() == 0


def test_the_same_file_uploaded_again_points_at_the_earlier_import(media_root, tmp_path, login, county_user_a):
    client = login(county_user_a)
    path = write_csv(tmp_path / "roster.csv", ROSTER_HEADERS, roster_rows(3))
    first = upload(client, path)
    client.post(first.url + "confirm/")
    second = upload(client, path)
    assert second.url == first.url
    assert ImportBatch.objects.count() == 1 and Person.objects.count() == 3


def test_a_liaison_uploading_a_file_the_county_imported_is_told_so(
    media_root, tmp_path, login, county_user_a, school_user_a, school_a
):
    path = write_csv(tmp_path / "roster.csv", ROSTER_HEADERS, roster_rows(3))
    county = login(county_user_a)
    county.post(upload(county, path).url + "confirm/")
    liaison = login(school_user_a)
    response = upload(liaison, path)
    assert response.status_code == 302 and response.url == "/imports/"
    assert "该文件此前已导入，未做任何更改。" in liaison.get(response.url).content.decode()
    assert ImportBatch.objects.count() == 1 and Person.objects.count() == 3


def test_a_wrong_file_type_is_refused_in_chinese(media_root, login, county_user_a):
    response = login(county_user_a).post("/imports/", {
        "kind": "school_roster", "file": SimpleUploadedFile("list.exe", b"MZ...")})
    assert response.status_code == 200
    assert "只接受 CSV 或 XLSX 文件" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_liaison_imports_only_its_own_school(media_root, tmp_path, login, school_user_a, school_b):
    client = login(school_user_a)
    own = write_csv(tmp_path / "own.csv", ROSTER_HEADERS, roster_rows(2))
    other = write_csv(tmp_path / "other.csv", ROSTER_HEADERS,
                      roster_rows(2, school_code=school_b.code, start=10))
    client.post(upload(client, own).url + "confirm/")
    response = upload(client, other)
    assert "只能导入本校（S3509020001）的学生" in client.get(response.url).content.decode()
    assert set(Person.objects.values_list("school_place__school__code", flat=True)) == {"S3509020001"}
    # and a liaison may not choose another kind of list
    response = client.post("/imports/", {"kind": "enrollment", "file": SimpleUploadedFile("e.csv", b"x")})
    assert response.status_code == 200 and ImportBatch.objects.count() == 2


def test_outsiders_get_404_on_the_import_and_its_file(media_root, tmp_path, login, county_user_a,
                                                     county_user_b, school_user_a):
    client = login(county_user_a)
    path = write_csv(tmp_path / "roster.csv", ROSTER_HEADERS, roster_rows(2))
    url = upload(client, path).url
    assert b"".join(client.get(url + "file/").streaming_content) == path.read_bytes()
    assert AccessEvent.objects.filter(action="download").count() == 1
    for outsider in (county_user_b, school_user_a):
        other = login(outsider)
        for suffix in ("", "file/", "progress/"):
            assert other.get(url + suffix).status_code == 404
        assert other.post(url + "confirm/").status_code == 404
    assert Person.objects.count() == 0


def test_templates_download_with_the_layout_headers(login, county_user_a):
    client = login(county_user_a)
    workbook = load_workbook(io.BytesIO(client.get("/imports/templates/school_roster.xlsx").content))
    headers = [cell.value for cell in next(workbook.active.iter_rows())]
    assert headers[:len(ROSTER_HEADERS)] == ROSTER_HEADERS
    assert headers[len(ROSTER_HEADERS):] == ["户籍地区代码", "常住地区代码", "居住证号", "居住证有效期"]
    csv_text = client.get("/imports/templates/enrollment.csv").content.decode("utf-8-sig")
    assert csv_text.startswith("身份证号,出生医学证明编号,姓名")
    assert client.get("/imports/templates/nothing.csv").status_code == 404


def test_an_xlsx_roster_uploaded_in_the_browser_imports(media_root, tmp_path, login, county_user_a):
    from .registry_helpers import write_xlsx

    client = login(county_user_a)
    path = write_xlsx(tmp_path / "花名册.xlsx", ROSTER_HEADERS, roster_rows(4))
    url = upload(client, path).url
    client.post(url + "confirm/")
    batch = ImportBatch.objects.get()
    assert batch.status == "done" and batch.original_name == "花名册.xlsx"
    assert Person.objects.count() == 4
    assert not batch.file.name.endswith("/花名册.xlsx")  # stored under a random prefix


def test_a_roster_naming_a_child_of_another_county_leaves_that_file_alone(
        media_root, tmp_path, login, school_user_a, school_b, county_b):
    from .factories import make_person
    from .registry_helpers import child_id

    child_b = make_person(county_b, name="霞浦儿童", school=school_b, class_name="二(1)班",
                          id_number=child_id(31, area="350921"))
    client = login(school_user_a)
    path = write_csv(tmp_path / "roster.csv", ROSTER_HEADERS,
                     [[child_b.id_number, "改了名字", "S3509020001", "", "小学", "三年级", "2班", "家长", ""]])
    url = upload(client, path).url
    page = client.get(url).content.decode()
    client.post(url + "confirm/")
    child_b.refresh_from_db()
    assert (child_b.name, child_b.school_id, child_b.class_name) == ("霞浦儿童", school_b.pk, "二(1)班")
    assert not child_b.guardians.exists()
    batch = ImportBatch.objects.get()
    assert batch.status == "invalid" and [e["message"] for e in batch.errors] == [partners.REFUSED]
    assert "霞浦" not in page and "其他" not in page and "已登记" not in page  # nothing said of the file
    assert not ListEntry.objects.exists() and not Person.objects.exclude(pk=child_b.pk).exists()
    assert client.get(f"/persons/{child_b.pk}/").status_code == 404


def test_a_stalled_background_import_can_be_started_again(media_root, tmp_path, login, county_user_a):
    client = login(county_user_a)
    url = upload(client, write_csv(tmp_path / "roster.csv", ROSTER_HEADERS, roster_rows(2))).url
    ImportBatch.objects.update(status="importing")  # as left by a worker killed mid-write
    assert "重新开始导入" in client.get(url).content.decode()
    response = client.post(url + "confirm/", follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["info"]
    assert ImportBatch.objects.get().status == "importing"
    client.post(url + "confirm/", follow=True)  # a second click queues another run: harmless
    ImportBatch.objects.update(status="invalid")
    response = client.post(url + "confirm/", follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_a_retry_while_the_worker_finishes_leaves_the_finished_import_alone(
        media_root, tmp_path, login, county_user_a):
    """The page read "importing"; the worker commits before the click lands."""
    from enrollment.importing import views as import_views

    client = login(county_user_a)
    url = upload(client, write_csv(tmp_path / "roster.csv", ROSTER_HEADERS, roster_rows(2))).url
    client.post(url + "confirm/")
    seen_by_the_page = ImportBatch.objects.get()
    assert seen_by_the_page.status == "done"
    seen_by_the_page.status = "importing"
    assert not import_views._in_background(seen_by_the_page, "importing")
    assert ImportBatch.objects.get().status == "done"


def test_validating_a_large_file_moves_the_progress_bar(media_root, tmp_path, county_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from enrollment.importing import services

    path = write_csv(tmp_path / "roster.csv", ROSTER_HEADERS, roster_rows(4500))
    with open(path, "rb") as handle:
        batch, _ = services.stage_upload(kind="school_roster", county=county_a, uploaded=handle, name="roster.csv")
    with CaptureQueriesContext(connection) as queries:
        services.validate_import(batch=batch)
    steps = [q["sql"] for q in queries.captured_queries
             if q["sql"].startswith("UPDATE") and '"progress" = ' in q["sql"] and '"status"' not in q["sql"]]
    assert len(steps) == 2 and '"progress" = 44' in steps[0]  # 2,000 and 4,000 of 4,500 rows


def test_retrying_an_import_that_landed_meanwhile_says_so(media_root, tmp_path, login, county_user_a):
    client = login(county_user_a)
    url = upload(client, write_csv(tmp_path / "roster.csv", ROSTER_HEADERS, roster_rows(2))).url
    client.post(url + "confirm/")
    response = client.post(url + "confirm/", follow=True)  # the page still offered "start again"
    told = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert ("info", "导入已在此期间完成，未重新开始。") in told and not [t for t in told if t[0] == "error"]
    assert ImportBatch.objects.get().status == "done"
