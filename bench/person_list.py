"""Time the filtered person list page (first page, with its count) on the bench registry
(run bench/registry_generate.py first). Target: < 300 ms at 1,000,000 persons.

    .venv/bin/python bench/person_list.py
"""
import statistics
import time

from registry_setup import setup_django

QUERIES = (
    "",
    "?age_band=6-9",
    "?status=uninsured",
    "?age_band=0-1&status=uninsured",
    "?q=王",
    "?school={school}",
)


def user(role, area, username):
    from enrollment.models import User

    found, _ = User.objects.get_or_create(username=username, defaults={"role": role, "area_id": area})
    return found


def measure(client, url, runs=5):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def main():
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from enrollment.models import Organisation, Person

    setup_test_environment()
    # What autovacuum does for a live registry: the roster bench's repeated imports leave dead
    # rows and an unset visibility map, which would measure the churn instead of the page.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE enrollment_person")
    total = Person.objects.count()
    school = Organisation.objects.filter(code="BENCH-350902").first()
    print(f"registry: {total:,} persons")
    for who in (user("county", "350902", "bench_county"), user("city", "350900", "bench_city")):
        client = Client()
        client.force_login(who, backend="django.contrib.auth.backends.ModelBackend")
        for query in QUERIES:
            url = "/persons/" + query.format(school=school.pk if school else "")
            print(f"{who.role:<6} {url:<45} median {measure(client, url):7.1f} ms")


if __name__ == "__main__":
    main()
