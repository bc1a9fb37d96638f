"""The import report names the offending value, and the rejected file comes back as a
workbook with a reason on each bad row, which the school corrects and uploads again (issue 17)."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from enrollment.models import AccessEvent, ImportBatch, Person

from .registry_helpers import ROSTER_HEADERS, media_root, roster_rows, write_csv  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def upload(client, name, content):
    return client.post("/imports/", {"kind": "school_roster", "file": SimpleUploadedFile(name, content)})


def bad_roster(tmp_path):
    rows = roster_rows(4)
    good_id = rows[1][0]
    rows[1][0] = good_id[:17] + ("1" if good_id[17] == "0" else "0")  # wrong check digit
    rows[2][1] = ""  # no name
    path = write_csv(tmp_path / "三年级.csv", ROSTER_HEADERS, rows)
    return path, good_id, rows[1][0]


def test_the_report_shows_the_offending_value_beside_row_column_and_reason(tmp_path, login,
                                                                            school_user_a, city_user):
    path, _, wrong = bad_roster(tmp_path)
    client = login(school_user_a)
    response = upload(client, path.name, path.read_bytes())
    page = client.get(response.url).content.decode()
    assert "填写内容" in page
    assert f"<td>3</td><td>身份证号</td><td><code>{wrong}</code></td><td>身份证号校验位错误" in page
    assert "<td>4</td><td>姓名</td><td>—</td><td>必填项为空" in page
    city_page = login(city_user).get(response.url).content.decode()
    assert wrong not in city_page, "the city sees no full ID number"


def test_the_rejected_workbook_is_corrected_and_uploaded_again(tmp_path, login, school_user_a):
    path, good_id, wrong = bad_roster(tmp_path)
    client = login(school_user_a)
    detail = upload(client, path.name, path.read_bytes()).url
    batch = ImportBatch.objects.get()
    assert batch.status == "invalid" and Person.objects.count() == 0
    assert f"/imports/{batch.pk}/rejected.xlsx" in client.get(detail).content.decode()

    response = client.get(f"/imports/{batch.pk}/rejected.xlsx")
    assert response.status_code == 200
    assert AccessEvent.objects.filter(action="download", subject__contains="未通过行").exists()
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                        if response.streaming else response.content))
    sheet = workbook.active
    rows = [[c.value or "" for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ROSTER_HEADERS + ["错误原因"]
    assert len(rows) == 5, "every row of the file, in its order"
    assert rows[2][0] == wrong and rows[2][-1] == "身份证号：身份证号校验位错误"
    assert rows[3][-1] == "姓名：必填项为空"
    assert rows[1][-1] == "" and rows[4][-1] == ""

    # The school corrects the two marked rows and uploads the workbook as it is.
    sheet_rows = list(sheet.iter_rows())
    sheet_rows[2][0].value = good_id
    sheet_rows[3][1].value = "林小雨"
    corrected = io.BytesIO()
    workbook.save(corrected)
    again = upload(client, "三年级_待改正.xlsx", corrected.getvalue())
    new_batch = ImportBatch.objects.exclude(pk=batch.pk).get()
    page = client.get(again.url).content.decode()
    assert new_batch.status == "ready", new_batch.errors
    assert "错误原因" not in page, "the reason column is not reported as unknown"
    client.post(f"/imports/{new_batch.pk}/confirm/")
    new_batch.refresh_from_db()
    assert new_batch.status == "done" and Person.objects.count() == 4
    assert Person.objects.filter(name="林小雨", id_number=rows[3][0]).exists()


def test_the_rejected_workbook_is_not_for_the_city_nor_other_counties(tmp_path, login, school_user_a,
                                                                      city_user, county_user_b, county_user_a):
    path, *_ = bad_roster(tmp_path)
    upload(login(school_user_a), path.name, path.read_bytes())
    batch = ImportBatch.objects.get()
    url = f"/imports/{batch.pk}/rejected.xlsx"
    assert login(city_user).get(url).status_code == 404
    assert login(county_user_b).get(url).status_code == 404
    assert login(county_user_a).get(url).status_code == 200


def test_a_valid_file_has_no_rejected_workbook(tmp_path, login, county_user_a):
    path = write_csv(tmp_path / "ok.csv", ROSTER_HEADERS, roster_rows(2))
    client = login(county_user_a)
    upload(client, path.name, path.read_bytes())
    batch = ImportBatch.objects.get()
    assert client.get(f"/imports/{batch.pk}/rejected.xlsx").status_code == 404
