"""Demo step after the registry: partner lists and an enrollment extract written as real
files (CSV in GB18030 and UTF-8, XLSX) and imported through the import service, then a
comparison, so that the demo shows uninsured children with reasons. Deterministic."""
import datetime
import random
import tempfile
from pathlib import Path

from openpyxl import Workbook

from ..comparison.runs import run_comparison
from ..comparison.services import set_case_reason
from ..importing import services
from ..importing.layouts import LAYOUTS
from ..models import Area, ImportKind, Organisation, Person, UninsuredCase, UninsuredReason, User
from ..registry.periods import insurance_year

DEMO_COUNTY = "350902"
STAGE_LABELS = {"kindergarten": "幼儿园", "primary": "小学", "junior": "初中", "senior": "高中"}


def _write(folder, name, headers, rows):
    path = Path(folder) / name
    if name.endswith(".xlsx"):
        workbook = Workbook()
        workbook.active.append(headers)
        for row in rows:
            workbook.active.append(row)
        workbook.save(path)
    else:
        encoding = "gb18030" if "gb" in name else "utf-8-sig"
        lines = [",".join(headers)] + [",".join(str(v) for v in row) for row in rows]
        path.write_bytes("\r\n".join(lines).encode(encoding))
    return path


def _guardian(person):
    return person.guardians.first()


def _roster_rows(school):
    rows = []
    for person in (Person.objects.filter(school_place__school=school, id_number__isnull=False)
                   .select_related("school_place").prefetch_related("guardians")):
        guardian = _guardian(person)
        rows.append([person.id_number, person.name, school.code, school.name, STAGE_LABELS[school.stage],
                     person.grade, person.class_name, guardian.name if guardian else "",
                     guardian.phone if guardian else ""])
    return rows


def _health_rows(county, provider, today):
    young = Person.objects.filter(county=county, birth_date__gt=today - datetime.timedelta(days=6 * 365))
    rows = []
    for person in young.prefetch_related("guardians")[:400]:
        guardian = _guardian(person)
        rows.append([person.id_number or "", person.name, person.birth_date.isoformat(),
                     person.birth_certificate_no or "", guardian.id_number if guardian else "",
                     guardian.phone if guardian else "", provider.name])
    return rows


def _newborn_rows(county, today):
    babies = Person.objects.filter(county=county, birth_date__gt=today - datetime.timedelta(days=200))
    rows = []
    for person in babies.prefetch_related("guardians"):
        guardian = _guardian(person)
        if guardian is None or not guardian.id_number:
            continue
        # Seven babies in ten were enrolled through the birth one-stop service (出生一件事)
        # about two weeks after birth.
        platform = min(person.birth_date + datetime.timedelta(days=15), today) if person.pk % 10 < 7 else None
        rows.append([person.birth_certificate_no or f"Q{person.pk:011d}", person.name,
                     "男" if person.sex == "M" else "女", person.birth_date.isoformat(),
                     person.id_number or "", guardian.id_number, guardian.phone, county.code,
                     platform.isoformat() if platform else ""])
    return rows


def _extract_rows(cases, today, rng):
    """Some of the uninsured pay after outreach: the extract that closes their cases."""
    rows, seen = [], set()
    for case in cases:
        if case.person_id in seen:
            continue
        seen.add(case.person_id)
        if rng.random() < 0.3 and case.person.id_number:
            rows.append([case.person.id_number, "", case.person.name, "", case.insurance_year, "居民医保",
                         case.county_id, today.isoformat(), "税务征收", "0", ""])
    return rows


LIST_AGE_DAYS = 14  # the partners' lists describe a day two weeks before they arrive


def _list_date(today):
    """The day the demo's lists describe: two weeks back, within the current insurance year."""
    return max(today - datetime.timedelta(days=LIST_AGE_DAYS), datetime.date(today.year, 1, 1))


def _import(kind, path, county, user, organisation=None, today=None):
    batch, result, _new = services.import_path(kind=kind, path=path, county=county, user=user,
                                              organisation=organisation, today=today,
                                              list_date=_list_date(today or datetime.date.today()))
    if batch is None:
        raise RuntimeError(f"demo import {path.name} rejected: {[e.as_dict() for e in result.errors[:5]]}")
    return batch


def build(stdout, today):
    rng = random.Random(7)
    county = Area.objects.get(pk=DEMO_COUNTY)
    staff = User.objects.filter(role="county", area=county).first()
    school = Organisation.objects.filter(county=county, kind="school", stage="primary").order_by("code").first()
    kindergarten = Organisation.objects.filter(county=county, kind="kindergarten").order_by("code").first()
    provider = Organisation.objects.filter(county=county, kind="vaccination_point").order_by("code").first()
    liaison = User.objects.filter(role="school", organisation=school).first()
    with tempfile.TemporaryDirectory() as folder:
        layouts = {kind: LAYOUTS[kind].headers for kind in ImportKind.values}
        _import(ImportKind.SCHOOL_ROSTER, _write(folder, f"{school.name}花名册.xlsx",
                layouts["school_roster"], _roster_rows(school)), county, liaison or staff, school, today)
        _import(ImportKind.SCHOOL_ROSTER, _write(folder, f"{kindergarten.name}花名册-gb.csv",
                layouts["school_roster"], _roster_rows(kindergarten)), county, staff, today=today)
        _import(ImportKind.HEALTH_LIST, _write(folder, "预防接种儿童名单.csv", layouts["health_list"],
                _health_rows(county, provider, today)), county, staff, today=today)
        _import(ImportKind.NEWBORNS, _write(folder, "出生一件事新生儿.csv", layouts["newborns"],
                _newborn_rows(county, today)), county, staff, today=today)
        run = run_comparison(county=county, as_of=today, user=staff)
        open_cases = list(UninsuredCase.objects.filter(county=county, insurance_year=insurance_year(today))
                          .select_related("person").order_by("pk"))
        extract = _extract_rows(open_cases, today, rng)
        if extract:
            _import(ImportKind.ENROLLMENT, _write(folder, "参保数据提取.csv", layouts["enrollment"], extract),
                    county, staff, today=today)
    reasons = [UninsuredReason.UNWILLING, UninsuredReason.UNREACHABLE, UninsuredReason.MOVED_OR_DIED,
               UninsuredReason.OTHER]
    still_open = UninsuredCase.objects.filter(county=county, insured_on__isnull=True, reason="")
    for case in still_open.order_by("pk")[: max(1, still_open.count() // 3)]:
        set_case_reason(case=case, reason=rng.choice(reasons), note="演示数据", user=staff)
    found = sum(figures["uninsured"] for figures in run.results["sources"].values())
    stdout.write(f"Demo lists: 5 imports in {county.name}, {found} children found uninsured.")
