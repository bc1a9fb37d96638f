"""Where a child may enroll (参保地) and why, from the facts on its file. Pure: no database.

001 (医保办函〔2024〕14号): "各地要进一步落实持居住证参保政策，创造条件放开儿童参保户籍限制，推动外地户籍
儿童在常住地、学籍地参保。" Lishui's plan (004) adds: "非本市户籍新生儿凭出生医学证明和父母一方本地居住证
参保城乡居民基本医疗保险……非本市户籍学龄前儿童可凭父母一方本地居住证参保居民医保。"
"""
import datetime
from dataclasses import dataclass

from .periods import years_before

PRESCHOOL_AGE = 6  # a child younger than this at the day asked is of preschool age
NEWBORN_DAYS = 365
# Cities (first four digits of the area code) whose plan lets a non-local newborn or preschooler
# enroll by one parent's local residence permit (Lishui, 004).
PARENT_PERMIT_CITIES = {"3311": "非本市户籍新生儿凭出生医学证明和父母一方本地居住证参保；"
                                "非本市户籍学龄前儿童可凭父母一方本地居住证参保居民医保（丽水市实施方案）"}
REGISTRATION = "户籍地参保"
RESIDENCE = "常住地参保：推动外地户籍儿童在常住地、学籍地参保（医保办函〔2024〕14号）"
RESIDENCE_PERMIT = "持居住证参保：各地要进一步落实持居住证参保政策（医保办函〔2024〕14号）"
SCHOOL = "学籍地参保：推动外地户籍儿童在常住地、学籍地参保（医保办函〔2024〕14号）"


@dataclass(frozen=True)
class Place:
    county: str  # area code
    reasons: tuple  # Chinese sentences, each with its source


def city_of(code):
    return (code or "")[:4]


def enrollment_places(*, hukou, residence, school_county, has_permit, has_certificate, birth_date,
                      guardian_permit_counties, today=None):
    """The counties where the child may enroll, registration first, each with its reasons."""
    today = today or datetime.date.today()
    reasons = {}

    def add(county, reason):
        if county:
            reasons.setdefault(county, []).append(reason)

    add(hukou, REGISTRATION)
    non_local = lambda county: bool(county) and city_of(county) != city_of(hukou)  # noqa: E731
    if residence and residence != hukou:
        add(residence, RESIDENCE_PERMIT if has_permit else RESIDENCE)
    if school_county and school_county != hukou:
        add(school_county, SCHOOL)
    newborn = birth_date > today - datetime.timedelta(days=NEWBORN_DAYS)
    preschool = birth_date > years_before(today, PRESCHOOL_AGE)
    for county in guardian_permit_counties:
        rule = PARENT_PERMIT_CITIES.get(city_of(county))
        if rule and non_local(county) and ((newborn and has_certificate) or preschool):
            add(county, rule)
    return [Place(county, tuple(dict.fromkeys(found))) for county, found in reasons.items()]


def places_of(person, guardians, today=None):
    """``enrollment_places`` for a person and its guardians (model instances)."""
    return enrollment_places(
        hukou=person.hukou_area_code, residence=person.residence_area_code,
        school_county=person.school.county_id if person.school_id else "",
        has_permit=person.residence_permit, has_certificate=bool(person.birth_certificate_no),
        birth_date=person.birth_date,
        guardian_permit_counties=[g.residence_permit_area_code for g in guardians if g.residence_permit_area_code],
        today=today,
    )
