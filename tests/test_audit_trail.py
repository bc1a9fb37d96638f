"""The audit page shows city staff's reads (issue 15): the city sees its own events and its
counties'; a county sees every read of its children, the city's included; the address is the
client's, taken from the trusted proxy's X-Forwarded-For when BEHIND_TLS_PROXY=1."""
import pytest
from django.urls import reverse

from enrollment.models import AccessEvent, Area, Role

from .factories import make_person, make_user

pytestmark = pytest.mark.django_db


def audit_subjects(client):
    response = client.get(reverse("audit_log"))
    assert response.status_code == 200
    return {event.subject for event in response.context["table"].data}


@pytest.fixture
def child_a(county_a):
    return make_person(county_a, name="甲童")


def test_city_reads_and_exports_show_on_the_city_and_county_pages(
    login, city_user, county_user_a, county_user_b, child_a
):
    city = login(city_user)
    assert city.get(reverse("persons")).status_code == 200
    assert city.get(reverse("person_export", args=["csv"])).status_code == 200
    assert city.get(reverse("person_detail", args=[child_a.pk])).status_code == 200
    login(county_user_b).get(reverse("persons"))

    translated = {str(e.subject) for e in AccessEvent.objects.filter(user=city_user)}
    assert len(translated) == 3
    assert translated <= audit_subjects(city)  # the city's own events
    assert translated <= audit_subjects(login(county_user_a))  # reads that reach A's children
    county_b_sees = audit_subjects(login(county_user_b))
    assert translated - county_b_sees == {AccessEvent.objects.get(person=child_a).subject}
    # The city sees its counties' events too.
    assert {e.subject for e in AccessEvent.objects.filter(user=county_user_b)} <= audit_subjects(city)


def test_another_citys_county_sees_none_of_it(login, city_user, child_a):
    login(city_user).get(reverse("persons"))
    lishui_county = make_user(Role.COUNTY, area=Area.objects.get(pk="331102"), username="liandu")
    assert audit_subjects(login(lishui_county)) == set()


def test_the_client_address_comes_from_the_trusted_proxy(login, county_user_a, settings):
    client = login(county_user_a)
    forwarded = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7", "REMOTE_ADDR": "127.0.0.1"}
    client.get(reverse("persons"), **forwarded)
    assert AccessEvent.objects.get().ip_address == "127.0.0.1"  # no proxy trusted: the peer
    settings.BEHIND_TLS_PROXY = True
    client.get(reverse("persons"), **forwarded)
    assert AccessEvent.objects.latest("pk").ip_address == "203.0.113.7"  # the proxy's entry
    client.get(reverse("persons"), HTTP_X_FORWARDED_FOR="not an address", REMOTE_ADDR="127.0.0.1")
    assert AccessEvent.objects.latest("pk").ip_address == "127.0.0.1"
