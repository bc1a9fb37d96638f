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


def special_groups(clean):
    if clean["valid_until"] and clean["valid_until"] < clean["valid_from"]:
        return [("valid_until", "终止日期早于起始日期")]
    return []


MOVES = ("move_in", "move_out")


def population_changes(clean):
    problems = []
    if not clean["id_number"] and not clean["birth_certificate_no"]:
        problems.append(("id_number", "身份证号和出生医学证明编号至少填写一项"))
    if clean["event"] == "move_out" and not clean["to_area"]:
        problems.append(("to_area", "迁出须填写迁入地区代码"))
    if clean["event"] == "move_in" and not clean["to_area"]:
        problems.append(("to_area", "迁入须填写迁入地区代码"))
    if clean["event"] in MOVES and clean["from_area"] and clean["from_area"] == clean["to_area"]:
        problems.append(("to_area", "迁入地区与迁出地区相同"))
    facts = clean["id_number"]
    if facts and clean["happened_on"] < facts.birth_date:
        problems.append(("happened_on", "变动日期早于身份证号中的出生日期"))
    return problems


def maternity_claims(clean):
    mother = clean["mother_id_number"]
    if mother.birth_date >= clean["delivered_on"]:
        return [("mother_id_number", "母亲身份证号中的出生日期晚于分娩日期")]
    return []


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
        ImportKind.SPECIAL_GROUPS: special_groups,
        ImportKind.POPULATION_CHANGES: population_changes,
        ImportKind.MATERNITY_CLAIMS: maternity_claims,
    }[kind]
