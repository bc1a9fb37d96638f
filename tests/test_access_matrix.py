"""The adversarial access matrix: every URL pattern of the portal, as every role of two counties
and as nobody. Objects of county A requested by county B or by a partner outside the owning
organisation are 404 (never 403, never 200); lists and exports seen by outsiders carry none of
A's names or ID numbers and do not change at all when A's data appears (so no count leaks);
the admin is for superusers only; anonymous users are sent to the login page.

How to build county A's object for a pattern is in ``tests/trust_helpers.py`` (``SPECS``); a
pattern missing there fails here, naming itself.
"""
import datetime

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from enrollment.models import Role, User

from .trust_helpers import (
    ANONYMOUS,
    ROLES,
    SPECS,
    admin_patterns,
    admin_url,
    fingerprint,
    normalised,
    portal_patterns,
    response_text,
    spec_for,
    world_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hundreds of users are made here; real hashing is tested in tests/test_login.py."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

PORTAL = portal_patterns()
ADMIN = admin_patterns()
MARKER_A = "甲县机密儿童"
MARKER_B = "乙县儿童"


def client_for(request, role):
    if role == ANONYMOUS:
        return Client()
    client = Client()
    client.force_login(request.getfixturevalue(role), backend="django.contrib.auth.backends.ModelBackend")
    return client


def send(client, spec, url, world):
    if spec.method == "POST":
        return client.post(url, spec.data(world) if spec.data else {})
    return client.get(url)


def world_state(world):
    """The fields of county A's main objects: a refused write must change none."""
    objects = (world.person, world.case, world.task, world.batch, world.report, world.notices)
    return [model_to_dict(type(o).objects.get(pk=o.pk)) for o in objects]


def describe(pattern, role):
    return f"{pattern.name} [{pattern.route}] as {role}"


@pytest.mark.parametrize("pattern", PORTAL, ids=[p.name for p in PORTAL])
def test_every_pattern_is_in_the_matrix(pattern):
    spec = spec_for(pattern)
    assert spec is not None, f"{pattern.name} ({pattern.route}) is not in tests/trust_helpers.py SPECS"
    if pattern.params:
        assert spec.kwargs, f"{pattern.name} takes {pattern.params}: its spec must build an object"


def test_the_matrix_names_only_existing_patterns():
    stale = set(SPECS) - {p.name for p in PORTAL}
    assert not stale, f"SPECS names patterns that no longer exist: {sorted(stale)}"


CELLS = [(p, role) for p in PORTAL for role in ROLES]


@pytest.mark.parametrize(
    "pattern,role", CELLS, ids=[f"{p.name}-{role}" for p, role in CELLS]
)
def test_cell(request, pattern, role, county_a, county_b):
    spec = spec_for(pattern)
    if spec is None:
        pytest.fail(f"{pattern.name} ({pattern.route}) is not covered by the access matrix")
    if spec.kind == "public":
        check_public(request, pattern, spec, role)
    elif spec.names_an_object:
        check_object(request, pattern, spec, role, county_a, county_b)
    else:
        check_list(request, pattern, spec, role, county_a, county_b)


def check_public(request, pattern, spec, role):
    response = send(client_for(request, role), spec, spec.url(pattern.name), None)
    assert response.status_code in (200, 302), describe(pattern, role)


def check_object(request, pattern, spec, role, county_a, county_b):
    world_b = world_of(county_b, marker=MARKER_B)
    world_a = world_of(county_a, marker=MARKER_A)
    assert world_b  # county B has data of its own: a lookup by id alone would find it
    url = spec.url(pattern.name, world_a)
    client = client_for(request, role)
    before = fingerprint(), world_state(world_a)
    response = send(client, spec, url, world_a)
    where = describe(pattern, role)
    if role == ANONYMOUS:
        assert response.status_code == 302 and response.url.startswith(reverse("login")), where
        assert (fingerprint(), world_state(world_a)) == before, f"{where}: an anonymous request wrote data"
    elif role in spec.readers:
        assert response.status_code in (200, 302), f"{where}: a reader got {response.status_code}"
        if spec.method == "GET":
            assert response.status_code == 200, f"{where}: a reader got {response.status_code}"
    else:
        assert response.status_code == 404, f"{where}: got {response.status_code}, not 404"
        assert (fingerprint(), world_state(world_a)) == before, f"{where}: a refused request wrote data"


def check_list(request, pattern, spec, role, county_a, county_b):
    world_b = world_of(county_b, marker=MARKER_B)
    url = spec.url(pattern.name, world_b)
    client = client_for(request, role)
    before = send(client, spec, url, world_b)
    world_a = world_of(county_a, marker=MARKER_A)
    after = send(client, spec, url, world_b)
    where = describe(pattern, role)
    if role == ANONYMOUS:
        assert after.status_code == 302 and after.url.startswith(reverse("login")), where
        return
    assert after.status_code in (200, 302, 404), f"{where}: got {after.status_code}"
    if role in spec.readers:
        assert after.status_code == (302 if spec.method == "POST" else 200), (
            f"{where}: a reader got {after.status_code}"
        )
        if spec.shows_names:
            assert MARKER_A in response_text(after), f"{where}: county A's own rows are missing"
        return
    assert after.status_code == before.status_code, where
    if after.status_code != 200:
        assert after.status_code in (302, 404), where
        return
    text = response_text(after)
    assert MARKER_A not in text, f"{where}: shows county A's name"
    assert world_a.person.id_number not in text, f"{where}: shows county A's ID number"
    assert normalised(text) == normalised(response_text(before)), (
        f"{where}: the page changes when county A's data appears (a count or row leaks)"
    )


@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_superusers_only(request, role, county_a, county_b):
    """Every pattern of the admin, as every role: sent to the admin login, never served."""
    client = client_for(request, role)
    login_url = reverse("admin:login")
    served = []
    for pattern in ADMIN:
        if pattern.name in {"admin:login", "admin:logout"}:
            continue
        response = client.get(admin_url(pattern))
        if not (response.status_code == 302 and response.url.startswith(login_url)):
            served.append(f"{pattern.name} -> {response.status_code}")
    assert not served, f"as {role}: {served}"


def test_a_superuser_reaches_the_admin(county_a):
    admin = User.objects.create_superuser("root", password="Very-Long-Pass-99", role="")
    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_bureau_user_marked_staff_still_has_no_admin(county_a):
    """is_staff without superuser and without permissions opens no model of the admin."""
    user = User.objects.create_user("staff_a", password="Very-Long-Pass-99", role=Role.COUNTY,
                                    area=county_a, is_staff=True)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("admin:enrollment_accessevent_changelist")).status_code == 403


AREA_PAGES = ["reporting_dispatch", "reporting_dashboard", "reporting_dispatch_export", "reporting_subsidy"]


@pytest.mark.parametrize("name", AREA_PAGES)
@pytest.mark.parametrize("role", ["county_user_b", "school_user_a"])
def test_choosing_another_county_in_the_query_is_404(request, name, role, county_a, county_b):
    world_of(county_a, marker=MARKER_A)
    kwargs = {"fmt": "csv"} if name.endswith("export") else {}
    response = client_for(request, role).get(reverse(name, kwargs=kwargs), {"area": county_a.pk})
    assert response.status_code == 404, f"{name}?area={county_a.pk} as {role}"


@pytest.mark.parametrize("role", ["county_user_b", "school_user_a", "health_user_a", "community_user_a"])
def test_recording_a_contact_on_another_organisations_task_is_404(request, role, county_a, county_b):
    world_a = world_of(county_a, marker=MARKER_A)
    client = client_for(request, role)
    before = fingerprint(), world_state(world_a)
    response = client.post(
        reverse("outreach_task", kwargs={"pk": world_a.task.pk}),
        {"date": "2026-11-20", "method": "phone", "outcome": "unwilling", "note": "outsider"},
    )
    assert response.status_code == 404
    assert (fingerprint(), world_state(world_a)) == before


def test_notices_for_the_task_list_take_only_the_users_own_children(county_user_b, county_a, county_b, login):
    from outreach.models import NoticeBatch

    world_a = world_of(county_a, marker=MARKER_A)
    world_b = world_of(county_b, marker=MARKER_B)
    response = login(county_user_b).post(reverse("outreach_notice_tasks"), {"pay_by": "2026-12-31"})
    assert response.status_code == 302
    batch = NoticeBatch.objects.filter(created_by=county_user_b).get()
    assert world_a.person.pk not in batch.person_ids
    assert batch.person_ids == [world_b.person.pk]


OWN_OBJECTS = [
    ("outreach_task", "school_user_a"), ("outreach_task", "health_user_a"),
    ("outreach_task", "community_user_a"), ("person_detail", "school_user_a"),
    ("person_detail", "health_user_a"), ("person_detail", "community_user_a"),
    ("import_detail", "school_user_a"), ("import_detail", "health_user_a"),
    ("import_file", "school_user_a"), ("outreach_notice_download", "school_user_a"),
    ("outreach_notice_person", "school_user_a"),
]


@pytest.mark.parametrize("name,role", OWN_OBJECTS, ids=[f"{n}-{r}" for n, r in OWN_OBJECTS])
def test_partners_reach_their_own_organisations_objects(request, name, role, county_a):
    """The positive side of the matrix's 404s: a partner is refused others' rows, not its own."""
    user = request.getfixturevalue(role)
    world = world_of(county_a, marker=MARKER_A, owner=user.organisation)
    response = client_for(request, role).get(SPECS[name].url(name, world))
    assert response.status_code == 200, f"{name} as {role}: {response.status_code}"


OBJECT_SPECS = [name for name, spec in SPECS.items() if spec.names_an_object]


@pytest.mark.parametrize("name", OBJECT_SPECS)
def test_city_staff_reach_no_county_of_another_city(request, name, city_user):
    """Ningde's city bureau and Lishui's 莲都区 (331102): every object there is 404."""
    from enrollment.models import Area

    lishui_county = Area.objects.get(pk="331102")
    world = world_of(lishui_county, marker="丽水儿童")
    spec = SPECS[name]
    url = spec.url(name, world)  # before the snapshot: building the URL may set the object up
    before = fingerprint(), world_state(world)
    response = send(client_for(request, "city_user"), spec, url, world)
    assert response.status_code == 404, f"{name}: {response.status_code}"
    assert (fingerprint(), world_state(world)) == before


READ_ONLY_WRITES = [
    ("outreach_cases", lambda w: {"assignee": w.owner.pk, "due_on": "2026-12-31", "scope": "filtered"}),
    # the world's enrollment extract covers last year: a comparison of this year is refused (issue 14)
    ("comparison", lambda w: {"as_of": f"{datetime.date.today().year - 1}-11-20"}),
    ("outreach_notices", lambda w: {"school": w.owner.pk, "class_name": "一(1)班", "pay_by": "2026-12-31"}),
]


@pytest.mark.parametrize("name,data", READ_ONLY_WRITES, ids=[n for n, _ in READ_ONLY_WRITES])
def test_city_staff_only_read(request, name, data, county_a):
    """The city bureau reads its counties (domain.md): a post from city staff writes nothing,
    where the same post from county staff does."""
    world = world_of(county_a, marker=MARKER_A)
    world.task.delete()  # the case is open and unassigned
    city_client, county_client = client_for(request, "city_user"), client_for(request, "county_user_a")
    before = fingerprint()
    response = city_client.post(reverse(name), data(world))
    assert response.status_code in (200, 302, 404)
    assert fingerprint() == before, f"city staff wrote through {name}"
    county_client.post(reverse(name), data(world))
    assert fingerprint() != before, f"the same post by county staff wrote nothing through {name}"
