"""``manage.py benefit_quote ID_NUMBER --on YYYY-MM-DD``."""
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from enrollment.models import AccessAction, AccessEvent

from .benefit_helpers import person_insured, qingtian  # noqa: F401
from .factories import make_person


def run(*args):
    out = StringIO()
    with translation.override("zh-hans"):
        call_command("benefit_quote", *args, stdout=out)
    return out.getvalue()


def test_prints_the_answer_in_chinese(db, qingtian):
    person = person_insured(qingtian, range(2021, 2028), fund_paid=Decimal("0"), name="王小明")
    output = run(person.id_number, "--on", "2027-03-01")
    lines = output.splitlines()
    assert lines[0] == "王小明，青田县，截至2027-03-01"
    assert "适用参数：丽水市，自2025-01-01起执行" in lines
    assert "连续参保年数：7年" in lines
    assert "2027年度待遇等待期：0个月，自2027-01-01起享受待遇" in lines
    assert "激励：连续参保激励10000元，零报销激励10000元" in lines
    assert "2027年大病保险最高支付限额：420000元" in lines
    assert "依据和说明：" in lines
    assert "  9. 2027年大病保险最高支付限额为420000元（原封顶线400000元，激励提高20000元）。" in lines


def test_writes_an_audit_row_without_a_user(db, qingtian):
    person = person_insured(qingtian, range(2021, 2024))
    run(person.id_number, "--on", "2025-06-10")
    event = AccessEvent.objects.get(person=person)
    assert event.user is None and event.action == AccessAction.VIEW_DETAIL
    assert event.county_id == person.county_id and event.path == "manage.py benefit_quote"


def test_what_if_enrolling_on_another_day(db, county_a):
    person = person_insured(county_a, range(2019, 2022))
    output = run(person.id_number, "--on", "2025-06-10", "--enrolled-on", "2025-06-10")
    assert "适用参数：国家规定的默认参数" in output
    assert "2025年度待遇等待期：6个月，自2026-01-01起享受待遇" in output


def test_follows_a_merged_newborn_record_to_the_live_file(db, county_a):
    live = person_insured(county_a, range(2024, 2026), name="李小红")
    old = make_person(county_a, name="李小红", id_number=None, birth_certificate_no="Q350900001",
                      merged_into=live)
    old.id_number = "35090220240101002X"  # an ID typed on the old record before the merge
    old.save()
    assert run(old.id_number, "--on", "2025-03-01").startswith("李小红，蕉城区")
    assert AccessEvent.objects.get().person == live


def test_unknown_id_number_is_an_error(db):
    with pytest.raises(CommandError, match="没有身份证号为350902201501010011的人员"):
        run("350902201501010011", "--on", "2025-03-01")
    assert not AccessEvent.objects.exists()


def test_defaults_to_today(db, county_a):
    person = person_insured(county_a, [timezone.localdate().year])
    assert f"截至{timezone.localdate():%Y-%m-%d}" in run(person.id_number).splitlines()[0]
