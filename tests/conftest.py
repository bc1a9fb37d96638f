"""The healthchecks trio for our areas: county A's staff, county B's staff, a school liaison
of a school in A and a city user above both, plus partners of A."""
import pytest
from django.test import Client

from enrollment.models import Area, Role

from .factories import make_organisation, make_user

COUNTY_A = "350902"  # 蕉城区, Ningde
COUNTY_B = "350921"  # 霞浦县, Ningde
CITY = "350900"  # 宁德市


@pytest.fixture
def county_a(db):
    return Area.objects.get(pk=COUNTY_A)


@pytest.fixture
def county_b(db):
    return Area.objects.get(pk=COUNTY_B)


@pytest.fixture
def city(db):
    return Area.objects.get(pk=CITY)


@pytest.fixture
def school_a(county_a):
    return make_organisation(county_a, kind="school", code="S3509020001", name="蕉城实验小学")


@pytest.fixture
def school_b(county_b):
    return make_organisation(county_b, kind="school", code="S3509210001", name="霞浦城关小学")


@pytest.fixture
def clinic_a(county_a):
    return make_organisation(county_a, kind="vaccination_point", code="V3509020001", name="蕉城区预防接种门诊")


@pytest.fixture
def federation_a(county_a):
    return make_organisation(county_a, kind="womens_federation", code="W3509020001", name="蕉城区妇联")


@pytest.fixture
def county_user_a(county_a):
    return make_user(Role.COUNTY, area=county_a, username="county_a")


@pytest.fixture
def county_user_b(county_b):
    return make_user(Role.COUNTY, area=county_b, username="county_b")


@pytest.fixture
def city_user(city):
    return make_user(Role.CITY, area=city, username="city")


@pytest.fixture
def supervisor_user(city):
    """A read-only login of the city's supervisory departments (妇儿工委, education, health)."""
    return make_user(Role.SUPERVISOR, area=city, username="supervisor")


@pytest.fixture
def school_user_a(school_a):
    return make_user(Role.SCHOOL, organisation=school_a, username="school_a")


@pytest.fixture
def health_user_a(clinic_a):
    return make_user(Role.HEALTH, organisation=clinic_a, username="health_a")


@pytest.fixture
def community_user_a(federation_a):
    return make_user(Role.COMMUNITY, organisation=federation_a, username="community_a")


@pytest.fixture
def login():
    """login(user) -> a test client logged in as that user."""

    def _login(user):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker process consuming a queue of its own, sharing the test database.
    Tests using it need committed data: mark them ``django_db(transaction=True)``."""
    from config.celery import app

    from .celery_worker import WorkerProcess

    worker = WorkerProcess(app).start()
    yield worker
    worker.stop()


@pytest.fixture(autouse=True)
def django_db_serialized_rollback():
    """Every transactional test puts back what the migrations loaded (areas, benefit
    parameters, the reminder schedule), so the tests after it still find them."""
    return True
