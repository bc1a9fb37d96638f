#!/usr/bin/env python
"""Time a batch of enrollment notices (参保告知书) rendered to one PDF; target: 1,000 in <= 60 s.

Runs on a throw-away SQLite database (migrated here), with synthetic children of 蕉城区 in
20 classes, each with a guardian: the same ``notice_batches.generate`` the Celery task runs.

    .venv/bin/python bench/notice_batch.py [number of notices, default 1000]
"""
import datetime
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60


def setup_django(folder):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = str(Path(folder) / "media")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_children(count):
    from enrollment.models import Area, Guardian, Organisation, Person, Role, SchoolPlace, User
    from enrollment.registry import id_numbers

    county = Area.objects.get(pk="350902")
    school = Organisation.objects.create(county=county, kind="school", code="BENCH0001",
                                         name="蕉城区第一实验小学", stage="primary")
    user = User.objects.create_user(username="bench", password="x", role=Role.COUNTY, area=county)
    persons = []
    for n in range(count):
        birth = datetime.date(2012 + n % 6, 1 + n % 12, 1 + n % 28)
        persons.append(Person(
            county=county, name=f"测试{'林陈黄张李王吴刘'[n % 8]}{n:04d}", birth_date=birth, sex="M",
            id_number=id_numbers.make("350902", birth, (n % 499) * 2 + 1),
        ))
    Person.objects.bulk_create(persons, batch_size=500)
    persons = list(Person.objects.filter(county=county).order_by("pk"))
    SchoolPlace.objects.bulk_create([SchoolPlace.of(p, school=school, class_name=f"{1 + n % 6}年级({1 + n % 20 // 6})班")
                                     for n, p in enumerate(persons)], batch_size=500)
    Guardian.objects.bulk_create(
        [Guardian(person=p, name=f"{p.name[:1]}家长", phone="13800000000", relation="父亲") for p in persons]
    )
    return user, Person.objects.filter(school_place__school=school)


def _cpu_seconds():
    """CPU time of this process and of the layout processes it forked and waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as folder:
        setup_django(folder)
        from outreach.models import NoticeBatch
        from outreach.notices import batches as notice_batches

        user, persons = build_children(count)
        batch = notice_batches.request_batch(user=user, persons=persons, scope="school",
                                             title="bench", pay_by=datetime.date(2026, 12, 31))
        started, cpu_started = time.perf_counter(), _cpu_seconds()
        notice_batches.generate(batch_id=batch.pk)
        seconds = time.perf_counter() - started
        cpu_seconds = _cpu_seconds() - cpu_started
        batch = NoticeBatch.objects.get(pk=batch.pk)
        size = batch.file.size
        from pypdf import PdfReader

        pages = len(PdfReader(batch.file.path).pages)
    verdict = "OK" if seconds <= TARGET_SECONDS * count / 1000 else "TOO SLOW"
    print(f"{count} notices, {pages} pages, {size / 1e6:.1f} MB PDF in {seconds:.1f} s "
          f"({seconds / count * 1000:.0f} ms per notice, {cpu_seconds:.1f} s of CPU in all processes; "
          f"load average {os.getloadavg()[0]:.1f}; target {TARGET_SECONDS} s per 1,000): {verdict}")
    return 0 if verdict == "OK" and pages == count else 1


if __name__ == "__main__":
    sys.exit(main())
