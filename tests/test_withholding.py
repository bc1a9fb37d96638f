"""The withholding (代扣代缴) follow-up, Lishui's plan (004 line 66): "对已签订协议但扣缴不成功的
参保人员，做好原因分析，提供精准服务，提升代扣代缴成功率". Results imported like every list
(all or nothing, idempotent, row-level Chinese report); failed deductions become cases with
their reason; a page of agreements and success rate per agent."""
import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from enrollment.importing import services
from enrollment.models import ImportKind, UninsuredCase, WithholdingRecord

from .factories import enroll, make_person
from .registry_helpers import FILES, child_id, media_root, write_csv  # noqa: F401

pytestmark = pytest.mark.django_db
HEADERS = ["身份证号", "姓名", "代扣机构", "协议签订日期", "扣款日期", "扣款结果", "失败原因"]
TODAY = datetime.date(2026, 11, 23)


def run(path, county="331102"):
    return call_command("import_file", "withholding", str(path), "--county", county,
                        "--today", TODAY.isoformat())


def test_the_sample_imports_and_failed_deductions_become_cases_with_their_reason(media_root, capsys):
    run(FILES / "withholding.csv")
    assert "已导入" in capsys.readouterr().out
    assert WithholdingRecord.objects.count() == 12
    cases = UninsuredCase.objects.filter(source="withholding")
    # deducted on 20 October 2025, inside the concentrated period: the payment for 2026
    assert sorted(cases.values_list("person__name", "insurance_year")) == [
        ("傅阳泽", 2026), ("彭轩晨", 2026), ("曹涵怡", 2026), ("翁宇", 2026)]
    note = cases.get(person__name="傅阳泽").reason_note
    assert "莲都区教育局（工资代扣）代扣失败" in note and "银行卡已注销" in note
    assert not cases.get(person__name="傅阳泽").reason  # open until insured or a reason is set


def test_the_same_results_again_change_nothing(media_root, tmp_path, county_a):
    rows = [[child_id(1), "甲", "农商银行", "2025-03-01", "2025-10-20", "失败", "账户余额不足"],
            [child_id(2), "乙", "农商银行", "2025-03-01", "2025-10-20", "成功", ""]]
    run(write_csv(tmp_path / "a.csv", HEADERS, rows), county="350902")
    # the same rows in another order: another file, the same deductions
    run(write_csv(tmp_path / "b.csv", HEADERS, list(reversed(rows))), county="350902")
    assert WithholdingRecord.objects.count() == 2
    assert UninsuredCase.objects.filter(source="withholding").count() == 1


def test_a_bad_row_is_reported_by_row_and_column_and_nothing_is_written(media_root, tmp_path, county_a):
    rows = [[child_id(1), "甲", "农商银行", "2025-03-01", "2025-10-20", "失败", ""],
            [child_id(2), "乙", "农商银行", "2025-11-01", "2025-10-20", "成功", ""],
            [child_id(3), "丙", "农商银行", "2025-03-01", "2025-10-20", "未知", ""],
            [child_id(4), "丁", "农商银行", "2025-03-01", "2025-10-20", "成功", ""]]
    path = write_csv(tmp_path / "bad.csv", HEADERS, rows)
    result, _ = services.inspect_file(kind=ImportKind.WITHHOLDING, path=path, county=county_a,
                                      today=TODAY)
    errors = {(e.row, e.column, e.message) for e in result.errors}
    assert (2, "失败原因", "扣款失败的须填写失败原因") in errors
    assert (3, "扣款日期", "扣款日期早于协议签订日期") in errors
    assert (4, "扣款结果", "应为：成功 / 失败") in errors
    with pytest.raises(CommandError, match="未写入任何数据"):
        run(path, county="350902")
    assert WithholdingRecord.objects.count() == 0 and UninsuredCase.objects.count() == 0


def test_a_failed_deduction_of_someone_already_insured_opens_no_case(media_root, tmp_path, county_a):
    insured = make_person(county_a, name="已缴", id_number=child_id(5))
    enroll(insured, 2026, paid_on=datetime.date(2025, 11, 2))  # paid another way
    rows = [[child_id(5), "已缴", "农商银行", "2025-03-01", "2025-10-20", "失败", "账户余额不足"]]
    run(write_csv(tmp_path / "c.csv", HEADERS, rows), county="350902")
    assert WithholdingRecord.objects.get().failure_reason == "账户余额不足"
    assert not UninsuredCase.objects.exists()


def _import_a(tmp_path):
    rows = [[child_id(n), f"童{n}", "农商银行" if n < 4 else "工资代扣", "2025-03-01", "2025-10-20",
             "失败" if n in (1, 4) else "成功", "账户余额不足" if n in (1, 4) else ""]
            for n in range(1, 6)]
    run(write_csv(tmp_path / "a.csv", HEADERS, rows), county="350902")


def test_the_page_shows_agreements_and_success_rate_per_agent(media_root, tmp_path, login,
                                                              county_user_a, city_user):
    _import_a(tmp_path)
    for user in (county_user_a, city_user):
        page = login(user).get(reverse("withholding")).content.decode()
        assert "农商银行" in page and "66.7%" in page  # 2 of 3
        assert "工资代扣" in page and "50.0%" in page  # 1 of 2


def test_other_counties_and_partners_see_nothing(media_root, tmp_path, login, county_user_b,
                                                 school_user_a):
    _import_a(tmp_path)
    assert "农商银行" not in login(county_user_b).get(reverse("withholding")).content.decode()
    assert login(school_user_a).get(reverse("withholding")).status_code == 404


def test_county_staff_can_upload_it_and_download_its_template(login, county_user_a):
    client = login(county_user_a)
    assert "代扣代缴扣款结果" in client.get(reverse("imports")).content.decode()
    template = client.get(reverse("import_template", args=["withholding", "csv"]))
    assert template.content.decode("utf-8-sig").splitlines()[0] == ",".join(HEADERS)
