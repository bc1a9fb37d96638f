"""Synthetic demo counties: partners, users for every role, children with valid ID numbers,
guardians and enrollment history. Deterministic (a fixed random seed) and bulk-written.

Nothing here is real: names are drawn from common characters, ID numbers are valid by
construction (check digit) but random.
"""
import datetime
import random
from dataclasses import dataclass

from django.db import transaction

from ..benefits.quotes import parameters_for
from ..benefits.rules import in_concentrated_period, insurance_year_for
from ..models import (
    Area,
    Channel,
    EnrollmentRecord,
    Guardian,
    Organisation,
    Person,
    PersonSpecialGroup,
    Role,
    Scheme,
    SchoolPlace,
    SpecialGroup,
    User,
)
from ..registry import id_numbers

DEMO_PASSWORD = "Demo@2026"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "子梓浩宇轩涵欣怡诗雨晨阳思佳一博文俊杰嘉睿泽辰然可馨悦航铭昊颖琪瑶萱睿哲安语彤乐天明雅晴宸熙逸凡柏豪若楠依诺"

# How the demo counties look: (code, children, schools per stage, villages).
COUNTIES = (("350902", 4200), ("331102", 1200))
STAGE_AGES = {"kindergarten": range(3, 6), "primary": range(6, 12), "junior": range(12, 15), "senior": range(15, 18)}
SCHOOLS_PER_STAGE = {"kindergarten": 4, "primary": 4, "junior": 2, "senior": 1}
STAGE_NAMES = {"kindergarten": "幼儿园", "primary": "小学", "junior": "初级中学", "senior": "高级中学"}
PARTNERS = (
    ("family_doctor_team", "家庭医生团队", 3),
    ("vaccination_point", "预防接种门诊", 2),
    ("village_clinic", "村卫生室", 4),
    ("womens_federation", "妇联", 1),
    ("community", "社区居委会", 2),
    ("childcare", "托育中心", 1),
)
PLACE_NAMES = ("城南", "城北", "东湖", "金涵", "八一", "洋中", "霍童", "赤溪", "九都", "飞鸾", "碧湖", "紫金")


@dataclass
class DemoCounty:
    county: Area
    organisations: dict  # kind -> [Organisation]


def build(stdout, today=None, seed=2024):
    """Create the demo counties from nothing. Returns the demo logins."""
    today = today or datetime.date.today()
    rng = random.Random(seed)
    logins = []
    with transaction.atomic():
        for code, children in COUNTIES:
            demo = _organisations(Area.objects.get(pk=code), rng)
            _children(demo, children, today, rng)
            logins += _users(demo)
        logins += _city_users()
    stdout.write(f"Demo registry: {Person.objects.count()} persons, "
                 f"{EnrollmentRecord.objects.count()} enrollment records.")
    return logins


def _organisations(county, rng):
    short = county.name[:2]
    organisations = {}
    for stage, count in SCHOOLS_PER_STAGE.items():
        kind = "kindergarten" if stage == "kindergarten" else "school"
        prefix = "K" if stage == "kindergarten" else "S"
        for n in range(count):
            place = PLACE_NAMES[(n * 3 + len(stage)) % len(PLACE_NAMES)]
            org = Organisation.objects.create(
                county=county, kind=kind, stage=stage,
                code=f"{prefix}{county.code}{len(organisations.get(kind, [])) + 1:04d}",
                name=f"{short}{place}{STAGE_NAMES[stage]}" if n else f"{short}实验{STAGE_NAMES[stage]}",
                contact_name=_name(rng), contact_phone=_mobile(rng),
            )
            organisations.setdefault(kind, []).append(org)
    for kind, label, count in PARTNERS:
        for n in range(count):
            place = PLACE_NAMES[n % len(PLACE_NAMES)]
            name = f"{county.name}{label}" if count == 1 else f"{short}{place}{label}"
            org = Organisation.objects.create(
                county=county, kind=kind, code=f"{kind[:2].upper()}{county.code}{n + 1:03d}",
                name=name, contact_name=_name(rng), contact_phone=_mobile(rng),
            )
            organisations.setdefault(kind, []).append(org)
    return DemoCounty(county=county, organisations=organisations)


def _children(demo, count, today, rng):
    county = demo.county
    other_counties = list(Area.objects.filter(level="county").exclude(pk=county.pk).values_list("code", flat=True))
    sequences = {}
    persons, places = [], []
    for n in range(count):
        age_days = rng.randint(0, 18 * 365 + 4)
        birth_date = today - datetime.timedelta(days=age_days)
        sex = rng.choice("MF")
        newborn_without_id = age_days < 75 and rng.random() < 0.5
        hukou = county.code if rng.random() < 0.9 else rng.choice(other_counties)
        person = Person(
            county=county, name=_name(rng), birth_date=birth_date, sex=sex,
            hukou_area_code=hukou, residence_area_code=county.code,
            residence_permit=hukou != county.code and rng.random() < 0.6,
        )
        if newborn_without_id:
            person.birth_certificate_no = f"Q{county.code[:2]}{rng.randrange(10**9):09d}{n % 10}"
        else:
            person.id_number = _unique_id(hukou, birth_date, sex, sequences, rng)
        places.append(_place_in_school(demo, _age(birth_date, today), rng))
        persons.append(person)
    Person.objects.bulk_create(persons, batch_size=2000)
    persons = list(Person.objects.filter(county=county).order_by("pk"))
    SchoolPlace.objects.bulk_create([SchoolPlace.of(person, school=place[0], grade=place[1], class_name=place[2])
                                     for person, place in zip(persons, places) if place], batch_size=2000)
    _guardians(persons, county, sequences, rng)
    _special_groups(persons, rng)
    _enrollments(persons, county, other_counties, today, rng)
    EnrollmentRecord.objects.filter(person__county=county, person__special_groups__group__in=SUBSIDISED_GROUPS,
                                    scheme=Scheme.RESIDENT).update(channel=Channel.SUBSIDY)


def _place_in_school(demo, age, rng):
    """``(school, grade, class)`` of a child of ``age``, or None (too young, or not in school)."""
    for stage, ages in STAGE_AGES.items():
        if age in ages and rng.random() < 0.97:
            kind = "kindergarten" if stage == "kindergarten" else "school"
            schools = [s for s in demo.organisations[kind] if s.stage == stage]
            school = rng.choice(schools)
            year = age - ages.start + 1
            grade = f"{year}年级" if stage != "kindergarten" else ("小班", "中班", "大班")[year - 1]
            return school, grade, f"{rng.randint(1, 4)}班"
    return None


def _guardians(persons, county, sequences, rng):
    guardians = []
    for person in persons:
        for relation in ("父亲", "母亲")[: rng.choice((1, 2, 2))]:
            birth = person.birth_date.replace(year=person.birth_date.year - rng.randint(24, 38), day=1)
            guardians.append(Guardian(
                person=person, name=_name(rng), relation=relation, phone=_mobile(rng),
                id_number=_unique_id(county.code, birth, "M" if relation == "父亲" else "F", sequences, rng),
            ))
    Guardian.objects.bulk_create(guardians, batch_size=4000)


# The department whose list records each group (the ``special_groups`` feed's 来源部门).
GROUP_SOURCES = {SpecialGroup.DISABLED: "残联", SpecialGroup.POVERTY_MONITORING: "乡村振兴局"}
# Groups whose enrollment the demo shows as subsidised (资助参保).
SUBSIDISED_GROUPS = (SpecialGroup.EXTREME_POVERTY, SpecialGroup.SUBSISTENCE, SpecialGroup.ORPHAN,
                     SpecialGroup.UNSUPPORTED)


def _special_groups(persons, rng):
    groups = list(SpecialGroup.values)
    since = datetime.date(datetime.date.today().year - 1, 1, 1)
    rows = []
    for person in persons:
        if rng.random() < 0.04:
            group = rng.choice(groups)
            rows.append(PersonSpecialGroup(person=person, group=group, valid_from=since,
                                           source=GROUP_SOURCES.get(group, "民政局")))
    PersonSpecialGroup.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


def _enrollments(persons, county, other_counties, today, rng):
    """Three insurance years up to the current one, plus next year's concentrated period when
    it has opened (September). Most children stay insured; some drop out, some are insured
    elsewhere, a few twice in one year."""
    params = parameters_for(county, today)
    last_year = insurance_year_for(today, params)
    records = []
    for person in persons:
        habit = rng.random()
        elsewhere = rng.choice(other_counties) if habit > 0.965 else None
        for year in range(today.year - 2, last_year + 1):
            if year < person.birth_date.year:
                continue
            paid_on = _payment_date(person, year, today, rng)
            if paid_on is None or (habit > 0.90 and habit <= 0.965 and rng.random() < 0.7):
                continue
            if rng.random() < 0.03:
                continue
            records.append(EnrollmentRecord(
                person=person, year=year, area_code=elsewhere or county.code,
                scheme=Scheme.RESIDENT, paid_on=paid_on,
                in_concentrated_period=in_concentrated_period(paid_on, year, params),
                channel=rng.choice((Channel.TAX, Channel.TAX, Channel.TAX, Channel.BANK, Channel.FAMILY_ACCOUNT)),
                fund_paid=rng.choice((0, 0, 0, 120, 860, 2300)),
            ))
            if rng.random() < 0.004:  # a duplicate enrollment: employee scheme via a parent
                records.append(EnrollmentRecord(
                    person=person, year=year, area_code=county.code, scheme=Scheme.EMPLOYEE,
                    paid_on=paid_on, channel=Channel.FAMILY_ACCOUNT,
                ))
    EnrollmentRecord.objects.bulk_create(records, batch_size=5000)


def _payment_date(person, year, today, rng):
    if person.birth_date.year == year and person.birth_date.month > 1:
        paid_on = person.birth_date + datetime.timedelta(days=rng.randint(5, 120))
    elif rng.random() < 0.85:
        paid_on = datetime.date(year - 1, rng.randint(9, 12), rng.randint(1, 28))
    else:
        paid_on = datetime.date(year, rng.randint(1, 6), rng.randint(1, 28))
    if paid_on < person.birth_date:  # born after the concentrated period: paid after birth
        paid_on = person.birth_date + datetime.timedelta(days=rng.randint(5, 60))
    return paid_on if paid_on <= today else None


def _users(demo):
    county = demo.county
    slug = {"350902": "jiaocheng", "331102": "liandu"}[county.code]
    orgs = demo.organisations
    names = DEMO_NAMES[slug]
    specs = [
        (f"county_{slug}", Role.COUNTY, None),
        (f"school_{slug}", Role.SCHOOL, orgs["school"][0]),
        (f"kinder_{slug}", Role.SCHOOL, orgs["kindergarten"][0]),
        (f"health_{slug}", Role.HEALTH, orgs["vaccination_point"][0]),
        (f"doctor_{slug}", Role.HEALTH, orgs["family_doctor_team"][0]),
        (f"women_{slug}", Role.COMMUNITY, orgs["womens_federation"][0]),
        (f"community_{slug}", Role.COMMUNITY, orgs["community"][0]),
    ]
    return [
        _user(username, role, area=county, organisation=org, name=name)
        for (username, role, org), name in zip(specs, names)
    ]


# The demo staff's names (family name, given name): people, not their roles, in every page.
DEMO_NAMES = {
    "jiaocheng": [("陈", "建华"), ("林", "秀英"), ("黄", "丽娟"), ("郑", "志强"), ("吴", "海燕"), ("张", "美玲"),
                  ("刘", "国栋")],
    "liandu": [("叶", "伟明"), ("周", "晓燕"), ("毛", "慧芳"), ("徐", "建军"), ("蓝", "春梅"), ("潘", "丽萍"),
               ("季", "文斌")],
}


def _city_users():
    return [
        _user("city_ningde", Role.CITY, area=Area.objects.get(pk="350900"), name=("王", "立新")),
        _user("city_lishui", Role.CITY, area=Area.objects.get(pk="331100"), name=("朱", "雅琴")),
    ]


def _user(username, role, *, area, organisation=None, name=("", "")):
    user = User(
        username=username, role=role, area=organisation.county if organisation else area,
        organisation=organisation, last_name=name[0], first_name=name[1], email=f"{username}@example.invalid",
    )
    user.set_password(DEMO_PASSWORD)
    user.full_clean()
    user.save()
    return (username, user.get_role_display(), str(organisation or area))


def _unique_id(area_code, birth_date, sex, sequences, rng):
    key = (area_code, birth_date)
    used = sequences.setdefault(key, set())
    while True:
        sequence = rng.randrange(0, 500) * 2 + (1 if sex == "M" else 0)
        if sequence not in used:
            used.add(sequence)
            return id_numbers.make(area_code, birth_date, sequence)


def _age(birth_date, today):
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def _name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _mobile(rng):
    return rng.choice(("138", "139", "159", "186", "188", "177")) + f"{rng.randrange(10**8):08d}"
