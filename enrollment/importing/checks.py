"""Checks across the cells of one row, per layout: ``check(clean) -> [(field, message)]``."""
import datetime

from ..models import ImportKind


def _id_agrees(clean, *, sex=False):
    facts = clean.get("id_number")
    problems = []
    if facts and clean.get("birth_date") and facts.birth_date != clean["birth_date"]:
        problems.append(("birth_date", "与身份证号中的出生日期不一致"))
    if sex and facts and clean.get("sex") and facts.sex != clean["sex"]:
        problems.append(("sex", "与身份证号中的性别不一致"))
    return problems


def _residence_permit(clean):
    if clean.get("residence_permit_until") and not clean.get("residence_permit_no"):
        return [("residence_permit_no", "填写了居住证有效期时须填写居住证号")]
    return []


def health_list(clean):
    problems = _id_agrees(clean)
    if not clean["id_number"] and not (clean["birth_certificate_no"] or clean["guardian_id_number"]):
        problems.append(("id_number", "无身份证号时须填写出生医学证明编号或监护人身份证号"))
    return problems


def newborns(clean):
    problems = _id_agrees(clean, sex=True) + _residence_permit(clean)
    enrolled = clean.get("platform_enrolled_on")
    if enrolled and clean.get("birth_date") and enrolled < clean["birth_date"]:
        problems.append(("platform_enrolled_on", "平台参保日期早于出生日期"))
    return problems


def enrollment(clean):
    problems = _id_agrees(clean)
    if not clean["id_number"] and not clean["birth_certificate_no"]:
        problems.append(("id_number", "身份证号和出生医学证明编号至少填写一项"))
    elif not clean["id_number"] and not clean["birth_date"]:
        problems.append(("birth_date", "无身份证号时出生日期必填"))
    if clean["paid_on"] > datetime.date(clean["year"], 12, 31):
        problems.append(("paid_on", "缴费日期晚于参保年度"))
    return problems


def withholding(clean):
    problems = []
    if clean["deducted_on"] < clean["agreed_on"]:
        problems.append(("deducted_on", "扣款日期早于协议签订日期"))
    if clean["result"] is False and not clean["failure_reason"]:
        problems.append(("failure_reason", "扣款失败的须填写失败原因"))
    return problems


def school_roster_for(school_code=None):
    """A school liaison may only send its own school's rows."""

    def check(clean):
        problems = _residence_permit(clean)
        if school_code and clean["school_code"] != school_code:
            problems.append(("school_code", f"只能导入本校（{school_code}）的学生"))
        return problems

    return check


def checks_for(kind, *, school_code=None):
    return {
        ImportKind.SCHOOL_ROSTER: school_roster_for(school_code),
        ImportKind.HEALTH_LIST: health_list,
        ImportKind.NEWBORNS: newborns,
        ImportKind.ENROLLMENT: enrollment,
        ImportKind.WITHHOLDING: withholding,
    }[kind]
