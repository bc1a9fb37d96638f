"""Generate a registry of N persons (default 1,000,000) with valid ID numbers across the
counties of Ningde, guardians and enrollment records, by PostgreSQL COPY; print the time.

    .venv/bin/python bench/registry_generate.py --persons 1000000 [--counties N] [--layout blocks]

Replaces any registry already in the bench database. ``--layout`` sets the order of the rows on
disk: ``interleaved`` (the default) deals the persons out to the counties one by one, so that a
county's rows lie on every page of the table (the worst case for a county's work); ``blocks``
writes each county's persons together, as a province's registry grows when each county loads
its own population and imports its own lists.
"""
import argparse
import datetime
import random

from registry_setup import setup_django, timed

TODAY = datetime.date(2026, 11, 23)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑"


def person_rows(counties, count, rng, layout="interleaved"):
    from enrollment.registry import id_numbers

    sequences = {}
    for n in range(count):
        county = counties[n % len(counties) if layout == "interleaved" else n * len(counties) // count]
        birth = TODAY - datetime.timedelta(days=rng.randint(0, 18 * 365))
        key = (county, birth)
        sequence = sequences.get(key, 0)
        sequences[key] = sequence + 1
        number = id_numbers.make(county, birth, sequence % 1000)
        if sequence >= 1000:  # more than 1000 children of one county born on one day: vary the area
            number = id_numbers.make(county[:4] + f"{sequence // 1000 + 80:02d}", birth, sequence % 1000)
        sex = "M" if int(number[16]) % 2 else "F"
        yield (number, f"{SURNAMES[n % len(SURNAMES)]}儿童{n}", birth, sex, county, county, county, False,
               TODAY, TODAY, "", "active")


def bench_counties(count):
    """``count`` counties of a bench city (359900, in Fujian) beyond Ningde's, created when
    missing: a province of more counties, each the size of Ningde's."""
    from enrollment.models import Area

    if count <= 0:
        return []
    city, _ = Area.objects.get_or_create(code="359900", defaults={"name": "基准测试市", "level": "city",
                                                                 "parent_id": "350000"})
    codes = [f"3599{n:02d}" for n in range(1, count + 1)]
    for code in codes:
        Area.objects.get_or_create(code=code, defaults={"name": f"基准测试县{code[-2:]}", "level": "county",
                                                        "parent": city})
    return codes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--counties", type=int, default=0,
                        help="spread the persons over this many counties: Ningde's, then bench counties "
                             "of a bench city (default: Ningde's only)")
    parser.add_argument("--layout", choices=("interleaved", "blocks"), default="interleaved",
                        help="the persons' order on disk: dealt out county by county, or each county's together")
    options = parser.parse_args()
    setup_django()
    from django.db import connection

    from enrollment.models import Area, Organisation
    from enrollment.registry.periods import years_before

    counties = sorted(Area.objects.filter(parent_id="350900", level="county").values_list("code", flat=True))
    counties += bench_counties(options.counties - len(counties))
    for code in counties:
        Organisation.objects.get_or_create(county_id=code, code=f"BENCH-{code}", defaults={
            "kind": "school", "stage": "primary", "name": f"基准测试小学{code}"})
    rng = random.Random(1)
    results = {}
    with connection.cursor() as cursor:
        # List entries and guardians reference persons without a constraint: named here, as
        # CASCADE does not reach them (a trigger refuses the TRUNCATE that would leave them).
        cursor.execute("TRUNCATE enrollment_person, enrollment_historicalperson, enrollment_historicalschoolplace,"
                       " enrollment_listentry, enrollment_guardian CASCADE")
    with timed(f"generate {options.persons:,} persons (COPY)", results):
        with connection.cursor() as cursor:
            copy_sql = ("COPY enrollment_person (id_number, name, birth_date, sex, county_id, hukou_area_code,"
                        " residence_area_code, residence_permit, created_at, updated_at, residence_permit_no, status)"
                        " FROM STDIN")
            with cursor.cursor.copy(copy_sql) as copy:
                for row in person_rows(counties, options.persons, rng, options.layout):
                    copy.write_row(row)
    with timed("school places of the 6-11-year-olds (one INSERT ... SELECT)", results):
        with connection.cursor() as cursor:  # each county's one bench school, as the person row had it
            cursor.execute("""
                INSERT INTO enrollment_schoolplace
                    (person_id, school_id, grade, class_name, person_county, person_name, updated_at)
                SELECT p.id, o.id, '', '', p.county_id, p.name, %s FROM enrollment_person p
                JOIN enrollment_organisation o ON o.code = 'BENCH-' || p.county_id
                WHERE p.birth_date > %s AND p.birth_date <= %s
            """, [TODAY, years_before(TODAY, 12), years_before(TODAY, 6)])
    # The uninsured tenth is drawn by a hash of the id: ``id % 10`` would make whole name
    # groups (the surname follows n % 20) insured or not, and a status filter would walk
    # thousands of rows in name order before its first uninsured child.
    with timed("enrollment records for ~90% (one INSERT ... SELECT)", results):
        with connection.cursor() as cursor:
            cursor.execute("""
                INSERT INTO enrollment_enrollmentrecord
                    (person_id, year, scheme, area_code, paid_on, channel, in_concentrated_period, catastrophic_paid)
                SELECT id, 2026, 'resident', county_id, DATE '2025-10-15', 'tax', true, 0
                FROM enrollment_person WHERE abs(hashint8(id)) % 10 <> 0
            """)
    with timed("ANALYZE", results):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE enrollment_person; ANALYZE enrollment_schoolplace; ANALYZE enrollment_enrollmentrecord")
    print(f"TOTAL registry generation: {sum(results.values()):.1f} s for {options.persons:,} persons")


if __name__ == "__main__":
    main()
