"""The interchange layouts of shared/formats/README.md (and ``withholding``, documented in
the README here): Chinese headers (English names accepted too), which columns are required and
how each cell is parsed."""
from dataclasses import dataclass, field
from typing import Callable

from ..models import Channel, ImportKind, PopulationEventKind, Scheme, SchoolStage, Sex, SpecialGroup
from . import fields as f


@dataclass(frozen=True)
class Column:
    header: str  # Chinese header, as in the template
    name: str  # English name, accepted as a header too
    required: bool
    parse: Callable = f.text


@dataclass(frozen=True)
class Layout:
    kind: str
    columns: tuple
    key_columns: tuple = field(default=())  # a repeat of these in one file is a duplicate row

    @property
    def headers(self):
        return [column.header for column in self.columns]

    def column(self, name):
        return next(column for column in self.columns if column.name == name)


STAGES = {
    "幼儿园": SchoolStage.KINDERGARTEN,
    "小学": SchoolStage.PRIMARY,
    "初中": SchoolStage.JUNIOR,
    "高中": SchoolStage.SENIOR,
}
SEXES = {"男": Sex.MALE, "女": Sex.FEMALE}
SCHEMES = {"居民医保": Scheme.RESIDENT, "职工医保": Scheme.EMPLOYEE}
CHANNELS = {
    "税务征收": Channel.TAX,
    "代扣代缴": Channel.BANK,
    "家庭共济": Channel.FAMILY_ACCOUNT,
    "资助参保": Channel.SUBSIDY,
}

# Where a child is registered and lives, and its residence permit: optional columns of the
# school roster and the newborn list (the ties of a child to counties other than the keeper's).
HUKOU_COLUMN = Column("户籍地区代码", "hukou_area", False, f.area_code)
RESIDENCE_COLUMNS = (
    Column("常住地区代码", "residence_area", False, f.area_code),
    Column("居住证号", "residence_permit_no", False, lambda v, **k: f.text(v, max_length=30)),
    Column("居住证有效期", "residence_permit_until", False, f.any_date),
)

SCHOOL_ROSTER = Layout(
    ImportKind.SCHOOL_ROSTER,
    (
        Column("身份证号", "id_number", True, f.id_number),
        Column("姓名", "name", True),
        Column("学校代码", "school_code", True, f.code),
        Column("学校名称", "school_name", False, lambda v, **k: f.text(v, max_length=100)),
        Column("学段", "stage", True, f.choice(STAGES)),
        Column("年级", "grade", False, lambda v, **k: f.text(v, max_length=20)),
        Column("班级", "class_name", False, lambda v, **k: f.text(v, max_length=30)),
        Column("监护人姓名", "guardian_name", False),
        Column("监护人电话", "guardian_phone", False, f.phone),
        HUKOU_COLUMN,
        *RESIDENCE_COLUMNS,
    ),
    key_columns=("id_number",),
)

HEALTH_LIST = Layout(
    ImportKind.HEALTH_LIST,
    (
        Column("身份证号", "id_number", False, f.id_number),
        Column("姓名", "name", True),
        Column("出生日期", "birth_date", True, f.date),
        Column("出生医学证明编号", "birth_certificate_no", False, f.certificate),
        Column("监护人身份证号", "guardian_id_number", False, f.id_number),
        Column("监护人电话", "guardian_phone", False, f.phone),
        Column("接种单位", "provider", True, lambda v, **k: f.text(v, max_length=100)),
    ),
    # A child without ID or certificate twice in one list would become two persons.
    key_columns=("id_number", "birth_certificate_no", ("guardian_id_number", "name", "birth_date")),
)

NEWBORNS = Layout(
    ImportKind.NEWBORNS,
    (
        Column("出生医学证明编号", "birth_certificate_no", True, f.certificate),
        Column("姓名", "name", True),
        Column("性别", "sex", True, f.choice(SEXES)),
        Column("出生日期", "birth_date", True, f.date),
        Column("身份证号", "id_number", False, f.id_number),
        Column("监护人身份证号", "guardian_id_number", True, f.id_number),
        Column("监护人电话", "guardian_phone", False, f.phone),
        HUKOU_COLUMN,
        Column("平台参保日期", "platform_enrolled_on", False, f.date),
        *RESIDENCE_COLUMNS,
        # Where a parent's residence permit was issued: a non-local newborn may enroll there (004).
        Column("监护人居住证地区代码", "guardian_permit_area", False, f.area_code),
    ),
    key_columns=("birth_certificate_no", "id_number"),
)

ENROLLMENT = Layout(
    ImportKind.ENROLLMENT,
    (
        Column("身份证号", "id_number", False, f.id_number),
        Column("出生医学证明编号", "birth_certificate_no", False, f.certificate),
        Column("姓名", "name", True),
        Column("出生日期", "birth_date", False, f.date),
        Column("参保年度", "year", True, f.year),
        Column("险种", "scheme", True, f.choice(SCHEMES)),
        Column("参保地区代码", "area", True, f.area_code),
        Column("缴费日期", "paid_on", True, f.date),
        Column("缴费渠道", "channel", False, f.choice(CHANNELS)),
        Column("大病报销金额", "catastrophic_paid", False, f.amount),
        Column("基金报销金额", "fund_paid", False, f.amount),
    ),
    key_columns=(("id_number", "year", "scheme"), ("birth_certificate_no", "year", "scheme")),
)

DEDUCTION_RESULTS = {"成功": True, "失败": False}

# A bank's or payroll agent's results of withholding agreements (代扣代缴), 004: "对已签订协议
# 但扣缴不成功的参保人员，做好原因分析".
WITHHOLDING = Layout(
    ImportKind.WITHHOLDING,
    (
        Column("身份证号", "id_number", True, f.id_number),
        Column("姓名", "name", True),
        Column("代扣机构", "agent", True, lambda v, **k: f.text(v, max_length=100)),
        Column("协议签订日期", "agreed_on", True, f.date),
        Column("扣款日期", "deducted_on", True, f.date),
        Column("扣款结果", "result", True, f.choice(DEDUCTION_RESULTS)),
        Column("失败原因", "failure_reason", False, lambda v, **k: f.text(v, max_length=200)),
    ),
    key_columns=(("id_number", "agent", "deducted_on"),),
)

# The registry's own feeds (issue 18): they only reach children whose file the uploading
# county keeps (``feeds.row_errors``), and never create one.
GROUPS = {
    "特困": SpecialGroup.EXTREME_POVERTY,
    "低保": SpecialGroup.SUBSISTENCE,
    "孤儿": SpecialGroup.ORPHAN,
    "事实无人抚养": SpecialGroup.UNSUPPORTED,
    "重度残疾": SpecialGroup.DISABLED,
    "防返贫监测": SpecialGroup.POVERTY_MONITORING,
    "医疗救助对象": SpecialGroup.MEDICAL_ASSISTANCE,
    "留守儿童": SpecialGroup.LEFT_BEHIND,
}
SPECIAL_GROUPS = Layout(
    ImportKind.SPECIAL_GROUPS,
    (
        Column("身份证号", "id_number", True, f.id_number),
        Column("姓名", "name", True),
        Column("类别", "group", True, f.choice(GROUPS)),
        Column("起始日期", "valid_from", True, f.any_date),
        Column("终止日期", "valid_until", False, f.any_date),
        Column("来源部门", "source", True, lambda v, **k: f.text(v, max_length=50)),
    ),
    key_columns=(("id_number", "group"),),
)

EVENTS = {
    "出生": PopulationEventKind.BIRTH,
    "死亡": PopulationEventKind.DEATH,
    "迁入": PopulationEventKind.MOVE_IN,
    "迁出": PopulationEventKind.MOVE_OUT,
    "注销": PopulationEventKind.CANCELLED,
}
POPULATION_CHANGES = Layout(
    ImportKind.POPULATION_CHANGES,
    (
        Column("身份证号", "id_number", False, f.id_number),
        Column("出生医学证明编号", "birth_certificate_no", False, f.certificate),
        Column("变动类型", "event", True, f.choice(EVENTS)),
        Column("变动日期", "happened_on", True, f.date),
        Column("迁出地区代码", "from_area", False, f.area_code),
        Column("迁入地区代码", "to_area", False, f.area_code),
    ),
    key_columns=(("id_number", "event", "happened_on"), ("birth_certificate_no", "event", "happened_on")),
)

MATERNITY_CLAIMS = Layout(
    ImportKind.MATERNITY_CLAIMS,
    (
        Column("母亲身份证号", "mother_id_number", True, f.id_number),
        Column("分娩日期", "delivered_on", True, f.date),
        Column("分娩医院", "hospital", True, lambda v, **k: f.text(v, max_length=100)),
        Column("新生儿出生医学证明编号", "birth_certificate_no", False, f.certificate),
    ),
    key_columns=(("mother_id_number", "delivered_on"), "birth_certificate_no"),
)

LAYOUTS = {layout.kind: layout
           for layout in (SCHOOL_ROSTER, HEALTH_LIST, NEWBORNS, ENROLLMENT, WITHHOLDING,
                          SPECIAL_GROUPS, POPULATION_CHANGES, MATERNITY_CLAIMS)}
FEED_KINDS = (ImportKind.SPECIAL_GROUPS, ImportKind.POPULATION_CHANGES, ImportKind.MATERNITY_CLAIMS)
