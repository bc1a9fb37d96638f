"""The notice greets the child's parent, ends with a tear-off receipt the partner collects,
and never breaks its contact line inside 办公时间 (issue 17)."""
import datetime
import subprocess
import tempfile

import pytest

from enrollment.models import Guardian, Person
from outreach.models import CountyContact
from outreach.notices import pdf as notices
from tests.factories import make_person

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)
PAY_BY = datetime.date(2026, 12, 31)
HOURS = "周一至周五上午8:30-12:00，下午14:30-17:30（法定节假日除外）"


def layout_text(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(["pdftotext", "-layout", handle.name, "-"], capture_output=True,
                              check=True).stdout.decode()


@pytest.fixture
def notice(county_a, school_a):
    person = make_person(county_a, name="林晓雨", school=school_a, class_name="三(2)班")
    Guardian.objects.create(person=person, name="林大海", phone="13800000000", relation="父亲")
    CountyContact.objects.create(county=county_a, office="宁德市蕉城区医疗保障局", phone="0593-2822222",
                                 address="蕉城区天湖东路12号市民服务中心二楼医保窗口", hours=HOURS)
    return notices.render_pdf(Person.objects.filter(pk=person.pk), pay_by=PAY_BY, today=TODAY)


def test_the_notice_greets_the_childs_parent_and_ends_with_a_receipt_on_one_page(notice):
    text = layout_text(notice)
    assert text.count("\f") <= 1, "still one page per child"
    flat = "".join(text.split())
    assert "尊敬的林晓雨家长：" in flat
    receipt = flat[flat.index("参保告知书回执"):]
    for part in ("林晓雨", "三(2)班", "监护人签名", "已缴费", "将于____月____日前缴费", "已在其他地区参保",
                 "不参保，原因", "日期", "____年____月____日"):
        assert part in receipt, part
    assert "请沿虚线剪下" in flat


def test_the_contact_line_does_not_break_inside_opening_hours(notice):
    lines = layout_text(notice).splitlines()
    hours_lines = [line for line in lines if "办公" in line or "时间：" in line]
    assert hours_lines, "the opening hours are printed"
    line = next(line for line in lines if "办公" in line and "0593" not in line or "办公时间" in line)
    assert "办公时间：周一至周五" in "".join(line.split()), line


def test_the_longest_notice_a_late_one_still_fits_one_page_with_its_receipt(county_a, school_a):
    person = make_person(county_a, name="林晓雨", school=school_a, class_name="三(2)班",
                         hukou_area_code="350921", residence_area_code="331102")
    CountyContact.objects.create(county=county_a, office="宁德市蕉城区医疗保障局", phone="0593-2822222",
                                 address="蕉城区天湖东路12号市民服务中心二楼医保窗口", hours=HOURS)
    pdf = notices.render_pdf(Person.objects.filter(pk=person.pk), pay_by=datetime.date(2026, 6, 30),
                             today=datetime.date(2026, 3, 10))
    text = layout_text(pdf)
    assert "参保告知书回执" in text and text.rstrip("\f").count("\f") == 0, "one page"
