"""Enrollment notices: the PDF carries the child's facts in a real CJK font."""
import datetime
import io
import os
import re

import pytest
from pypdf import PdfReader

from enrollment.models import Area, Guardian, Person
from outreach.models import CountyContact
from outreach.notices import pdf as notices

from .factories import make_person
from .outreach_helpers import make_case

TODAY = datetime.date(2024, 11, 20)
PAY_BY = datetime.date(2024, 12, 31)


def _pdf_text(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return reader, ["".join(page.extract_text().split()) for page in reader.pages]


def _font_names(reader):
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


@pytest.fixture
def child(county_a, school_a):
    person = make_person(county_a, name="林晓雨", school=school_a, class_name="三(2)班")
    Guardian.objects.create(person=person, name="林大海", phone="13800000000", relation="父亲")
    CountyContact.objects.create(county=county_a, office="蕉城区医疗保障局", phone="0593-2822222")
    return person


def test_a_notice_prints_the_childs_facts_in_a_cjk_font(child):
    pdf = notices.render_pdf(Person.objects.filter(pk=child.pk), pay_by=PAY_BY, today=TODAY)

    reader, pages = _pdf_text(pdf)
    assert len(pages) == 1
    text = pages[0]
    assert "林晓雨" in text
    assert child.id_number not in text
    assert child.id_number[:6] + "********" + child.id_number[14:] in text
    assert "蕉城实验小学" in text and "三(2)班" in text
    assert "2024年12月31日" in text
    assert "0593-2822222" in text
    fonts = _font_names(reader)
    assert any("CJK" in name or "Noto" in name for name in fonts), fonts
    if os.environ.get("NOTICE_PDF_OUT"):
        with open(os.environ["NOTICE_PDF_OUT"], "wb") as out:
            out.write(pdf)


def test_a_newborns_notice_has_the_90_day_deadline(county_a):
    baby = make_person(county_a, name="陈小宝", birth_date=datetime.date(2024, 10, 1))
    pdf = notices.render_pdf(Person.objects.filter(pk=baby.pk), pay_by=PAY_BY, today=TODAY)
    text = _pdf_text(pdf)[1][0]
    assert "陈小宝" in text
    assert "2024年12月30日" in text  # 1 October + 90 days
    assert "2024年12月31日" not in text.split("联系")[0].replace("2024年11月20日", "")


def test_on_the_90th_day_the_notice_still_gives_the_newborn_deadline(county_a):
    baby = make_person(county_a, name="满期宝宝", birth_date=TODAY - datetime.timedelta(days=90))
    text = _pdf_text(notices.render_pdf(Person.objects.filter(pk=baby.pk), pay_by=PAY_BY, today=TODAY))[1][0]
    assert "出生后90天内参保缴费" in text
    assert "缴费截止日期2024年11月20日" in text  # as the newborn list: 0 days left, not the pay-by date


def test_a_batch_has_one_page_per_child_in_order(county_a, school_a):
    names = ["王一", "王二", "王三"]
    for name in names:
        make_person(county_a, name=name, school=school_a, class_name="一(1)班")
    pdf = notices.render_pdf(notices.prepare(Person.objects.all()), pay_by=PAY_BY, today=TODAY)
    pages = _pdf_text(pdf)[1]
    assert len(pages) == 3
    # ordered by school, class and name, the order teachers hand them out in
    assert [name in page for name, page in zip(sorted(names), pages)] == [True, True, True]


def test_without_a_contact_the_notice_names_the_county_bureau(county_a):
    person = make_person(county_a, name="黄小明")
    text = _pdf_text(notices.render_pdf(Person.objects.filter(pk=person.pk), pay_by=PAY_BY, today=TODAY))[1][0]
    assert "蕉城区医疗保障局" in text


def test_the_notice_states_the_waiting_period_of_the_childs_area(county_a):
    lishui_county = Area.objects.get(pk="331102")
    ningde_child = make_person(county_a, name="宁德娃")
    lishui_child = make_person(lishui_county, name="丽水娃")
    printed_on = datetime.date(2025, 11, 20)

    def text_of(person):
        pdf = notices.render_pdf(Person.objects.filter(pk=person.pk), pay_by=PAY_BY, today=printed_on)
        return _pdf_text(pdf)[1][0]

    ningde, lishui = text_of(ningde_child), text_of(lishui_child)
    for text in (ningde, lishui):
        assert "3个月待遇等待期" in text and "每断保1年，再增加1个月" in text
    # Lishui exempts medical-assistance recipients too (its plan); the national rule only newborns
    assert "医疗救助" in lishui and "医疗救助" not in ningde


def _notice_text(person, printed_on, pay_by):
    pdf = notices.render_pdf(Person.objects.filter(pk=person.pk), pay_by=pay_by, today=printed_on)
    if os.environ.get("NOTICE_PDF_DIR"):  # to look at the page
        with open(os.path.join(os.environ["NOTICE_PDF_DIR"], f"notice-{printed_on}.pdf"), "wb") as out:
            out.write(pdf)
    return _pdf_text(pdf)[1][0]


def test_a_notice_printed_in_march_asks_for_the_current_year_and_says_paying_late_means_waiting(child):
    text = _notice_text(child, datetime.date(2026, 3, 10), datetime.date(2026, 6, 30))
    body, consequence = text.split("2027年度：请在集中参保期内参保")

    assert "尚未参加2026年度城乡居民基本医疗保险" in body
    assert "2026年度集中参保期（2025年9月1日至2025年12月31日）已经结束" in body
    assert "现在参保缴费的，缴费后需经过3个月待遇等待期" in body
    assert "2026年度未参保的，参加2027年度医保时按断保计算" in body
    # the waiting-period paragraph says it is about the next year and its own period
    assert "未在2027年度集中参保期（2026年9月1日至2026年12月31日）内参保" in consequence


def test_a_notice_printed_in_the_concentrated_period_speaks_of_one_year_only(child):
    text = _notice_text(child, datetime.date(2026, 10, 15), datetime.date(2026, 12, 31))

    assert set(re.findall(r"(\d{4})年度", text)) == {"2027"}
    assert "尚未参加2027年度城乡居民基本医疗保险" in text
    assert "已经结束" not in text
    assert "未在2027年度集中参保期（2026年9月1日至2026年12月31日）内参保" in text


def test_before_the_waiting_period_rules_a_late_notice_announces_no_waiting(child):
    text = _notice_text(child, datetime.date(2024, 3, 10), datetime.date(2024, 6, 30))  # rules from 2025
    assert "尚未参加2024年度城乡居民基本医疗保险" in text and "已经结束" not in text


def test_a_newborns_notice_in_spring_has_no_late_payment_waiting(county_a):
    baby = make_person(county_a, name="春生宝宝", birth_date=datetime.date(2026, 3, 1))
    text = _notice_text(baby, datetime.date(2026, 4, 10), datetime.date(2026, 12, 31))

    assert "尚未参加2026年度城乡居民基本医疗保险" in text and "2026年5月30日" in text
    assert "已经结束" not in text and "出生后90天内参保缴费" in text


def test_a_child_born_this_year_is_not_told_of_a_waiting_period(county_a):
    """Past day 90 but enrolled in the year of birth: no waiting period (newborn_birth_year_exempt)."""
    baby = make_person(county_a, name="年初宝宝", birth_date=datetime.date(2026, 1, 5))
    text = _notice_text(baby, datetime.date(2026, 6, 10), datetime.date(2026, 12, 31))

    assert "尚未参加2026年度城乡居民基本医疗保险" in text
    assert "需经过3个月待遇等待期" not in text.split("2027年度：请在集中参保期内参保")[0]


def test_a_batch_larger_than_one_chunk_is_one_pdf_with_every_child_in_order(county_a, school_a):
    names = [f"赵{n:02d}" for n in range(7)]
    for name in reversed(names):
        make_person(county_a, name=name, school=school_a, class_name="四(1)班")
    told = []

    pdf = notices.render_pdf(notices.prepare(Person.objects.all()), pay_by=PAY_BY, today=TODAY,
                             progress=told.append, chunk_size=3)  # three chunks, laid out in parallel

    reader, pages = _pdf_text(pdf)
    assert len(pages) == len(names)
    assert [next(name for name in names if name in page) for page in pages] == names
    assert all("2024年12月31日" in page for page in pages)
    assert any("CJK" in name or "Noto" in name for name in _font_names(reader))
    assert told == sorted(told) and told[-1] == 100 and len(told) >= 4
