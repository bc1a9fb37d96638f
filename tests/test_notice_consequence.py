"""What a notice tells a family (issue 16): the whole consequence with its money, the newborn
window of the child's area, the 180-day code only where the area has adopted it; and the
newborn list and reminders on the area's window too."""
import datetime
import io
from decimal import Decimal

from django.urls import reverse
from pypdf import PdfReader

from enrollment.models import ContributionStandard, ListSource, Person
from outreach import reminders
from outreach.notices import pdf as notices

from .benefit_helpers import add_parameter_set
from .factories import make_person, put_on_list

TODAY = datetime.date(2026, 10, 15)


def _text(person, today=TODAY):
    pdf = notices.render_pdf(Person.objects.filter(pk=person.pk), pay_by=datetime.date(2026, 12, 31),
                             today=today)
    return "".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def test_the_notice_tells_the_waiting_the_repair_and_its_price_the_rewards_and_the_subsidy(county_a):
    # 003 line 58 "让群众充分了解政府投入情况"; line 52 "缴费参照当年参保地的个人缴费标准".
    for year, individual in ((2026, "380"), (2027, "400")):
        ContributionStandard.objects.create(area_id="350900", year=year, individual=Decimal(individual),
                                            subsidy=Decimal("700"), source="宁德市文件")
    text = _text(make_person(county_a, name="林一"))
    assert "3个月待遇等待期" in text
    assert "按当年个人缴费标准（2026年为380元）每补缴1年未参保年度的保费，可减少1个月变动待遇等待期" in text
    assert "连续断缴4年及以上的，修复后等待期不少于6个月" in text
    assert "每再连续参保1年，大病保险最高支付限额提高1000元" in text and "已获得的激励额度继续保留" in text
    assert "每名参保儿童，财政每年补助700元（2027年），个人缴费400元。" in text


def test_without_a_contribution_standard_the_notice_prints_no_amount(county_a):
    text = _text(make_person(county_a, name="林二"))
    assert "按当年个人缴费标准每补缴1年" in text
    assert "财政每年补助" not in text


def test_the_180_day_code_is_printed_only_where_the_area_adopted_it(county_a):
    # 001 line 107: "鼓励地方探索…在出生后180天内均可凭医保码在定点医疗机构直接就医结算".
    baby = make_person(county_a, name="陈宝", birth_date=TODAY - datetime.timedelta(days=10))
    assert "180天" not in _text(baby)
    add_parameter_set("350902", datetime.date(2026, 1, 1), newborn_code_days=180)
    assert "出生后180天内可凭医保码在定点医疗机构直接就医结算" in _text(baby)


def test_the_newborn_window_is_the_areas(county_a, login, county_user_a):
    # 001 line 107: "新生儿原则上在出生后90天内按规定参保缴费" is a principle an area may set.
    add_parameter_set("350902", datetime.date(2026, 1, 1), newborn_days=120)
    baby = make_person(county_a, name="百日宝", birth_date=TODAY - datetime.timedelta(days=100))
    put_on_list(baby, ListSource.NEWBORN)
    text = _text(baby)
    assert "出生后120天内参保缴费" in text and "2026年11月4日" in text  # birth + 120 days
    today = datetime.date.today()  # the newborn list is of today
    listed = make_person(county_a, name="百天宝", birth_date=today - datetime.timedelta(days=100))
    put_on_list(listed, ListSource.NEWBORN)
    page = login(county_user_a).get(reverse("outreach_newborns") + "?state=open").content.decode()
    deadline = (today + datetime.timedelta(days=20)).isoformat()
    assert "百天宝" in page and deadline in page
    assert "须在出生后120天内参保缴费" in page
    # 10 days before its own deadline, already past the national 90 days: still reminded.
    assert any("百日宝" in c.line for c in reminders.newborn_candidates(TODAY))


def test_a_late_notice_in_lishui_does_not_promise_a_wait_for_a_break_paid_in_the_period(db):
    # 004 line 56: "未在集中参保期参保缴费的居民…缴费中断的，每多断缴1年…增加变动待遇等待期".
    lishui = make_person("331121", name="丽水娃")
    text = _text(lishui, today=datetime.date(2026, 3, 10))
    assert "按断保计算，连续参保年数重新计算；未在集中参保期内缴费的，等待期更长" in text
    assert "按断保计算，等待期更长" not in text
