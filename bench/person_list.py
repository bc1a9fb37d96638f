"""Time every filtered person list page on the bench registry, as production serves it
(DEBUG off), interleaved: RUNS rounds over all pages after one untimed round; prints the
median and the p95 of each.
Run bench/registry_generate.py first. Target: p95 < 300 ms at 1,000,000 persons.

    .venv/bin/python bench/person_list.py
"""
import os
import statistics
import time

from registry_setup import setup_django

os.environ.setdefault("DJANGO_DEBUG", "0")  # as production renders: no debug templates nor SQL log
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

RUNS = 20
QUERIES = (
    "",
    "?age_band=6-9",
    "?status=uninsured",
    "?status=insured",
    "?age_band=0-1&status=uninsured",
    "?q=王",
    "?q=王儿童1",
    "?school={school}",
    "?school={school}&status=uninsured",
    "?special_group=subsistence",
    "?uninsured_reason=unwilling",
    "?page=5",
)


def user(role, area, username):
    from enrollment.models import User

    found, _ = User.objects.get_or_create(username=username, defaults={"role": role, "area_id": area})
    return found


def timed_get(client, url):
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return (time.perf_counter() - start) * 1000


def p95(values):
    return statistics.quantiles(values, n=20)[-1]


def main():
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from enrollment.models import Organisation, Person

    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off serves the manifest
    # What autovacuum does for a live registry: the roster bench's repeated imports leave dead
    # rows and an unset visibility map, which would measure the churn instead of the page.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE enrollment_person")
    total = Person.objects.count()
    # The school of the county last in the list's order: the city's list reaches it last.
    school = Organisation.objects.filter(code__startswith="BENCH-").order_by("-code").first()
    print(f"registry: {total:,} persons")
    pages = []
    for who in (user("county", "350902", "bench_county"), user("city", "350900", "bench_city")):
        client = Client(SERVER_NAME="localhost")  # no test environment: templates render as served
        client.force_login(who, backend="django.contrib.auth.backends.ModelBackend")
        pages += [(who.role, client, "/persons/" + query.format(school=school.pk if school else ""))
                  for query in QUERIES]
    times = {url_of: [] for url_of in ((role, url) for role, _client, url in pages)}
    for _role, client, url in pages:  # one round untimed: the VACUUM above leaves a cold cache
        timed_get(client, url)
    for _ in range(RUNS):
        for role, client, url in pages:
            times[role, url].append(timed_get(client, url))
    for (role, url), values in times.items():
        print(f"{role:<6} {url:<45} median {statistics.median(values):7.1f} ms   p95 {p95(values):7.1f} ms")
    print(f"worst p95: {max(p95(values) for values in times.values()):.1f} ms (target < 300 ms)")


if __name__ == "__main__":
    main()
