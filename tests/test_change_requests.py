"""Corrections with approval (变更申请): proposed by county staff (or a partner, for its own
contacts of its own children), approved or rejected by another user of the county, applied
at once and kept in the file's history; a stale proposal is refused."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from enrollment.corrections import services
from enrollment.corrections.attachments import AttachmentProblem
from enrollment.models import (
    AccessAction,
    AccessEvent,
    ChangeRequest,
    ChangeStatus,
    Guardian,
    Person,
    PersonSpecialGroup,
    PersonStatus,
    Role,
    UninsuredReason,
)

from .factories import make_case, make_person, make_user, put_on_list
from .registry_helpers import media_root  # noqa: F401

pytestmark = pytest.mark.usefixtures("media_root")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def second_county_user(county_a):
    return make_user(Role.COUNTY, area=county_a, username="county_a2")


@pytest.fixture
def child(county_a):
    person = make_person(county_a, name="王小明", hukou_area_code="350902")
    Guardian.objects.create(person=person, name="王父", phone="13800000001", relation="父亲")
    return person


def propose_rename(child, user, name="王晓明", **extra):
    items = services.build_items(child, person_values={"name": name, **extra})
    return services.propose(person=child, user=user, items=items, reason="户籍信息核实，原姓名录入错误")


@pytest.mark.django_db
def test_approved_change_applies_and_shows_who_when_what_why_and_approver(
        login, child, county_user_a, second_county_user):
    change = propose_rename(child, county_user_a)
    child.refresh_from_db()
    assert child.name == "王小明"  # nothing changes before approval
    page = login(county_user_a).get(reverse("person_detail", args=[child.pk])).content.decode()
    assert "王小明 → 王晓明" in page  # the pending change shows on the file...
    decide = reverse("change_decide", args=[change.pk])
    assert decide not in page  # ...with no approve button for its proposer
    assert decide in login(second_county_user).get(reverse("person_detail", args=[child.pk])).content.decode()
    services.approve(change=change, user=second_county_user)
    child.refresh_from_db()
    assert child.name == "王晓明"
    latest = child.history.first()
    assert latest.history_user == second_county_user and "原姓名录入错误" in latest.history_change_reason
    page = login(second_county_user).get(reverse("person_detail", args=[child.pk])).content.decode()
    for shown in ("王小明 → 王晓明", "户籍信息核实，原姓名录入错误", str(county_user_a), str(second_county_user)):
        assert shown in page


@pytest.mark.django_db
def test_rejected_change_leaves_the_file_and_needs_a_reason(child, county_user_a, second_county_user):
    change = propose_rename(child, county_user_a)
    with pytest.raises(services.ChangeRefused):
        services.reject(change=change, user=second_county_user, answer=" ")
    services.reject(change=change, user=second_county_user, answer="无户籍证明")
    change.refresh_from_db()
    child.refresh_from_db()
    assert change.status == ChangeStatus.REJECTED and child.name == "王小明"
    with pytest.raises(services.ChangeRefused):  # decided once
        services.approve(change=change, user=second_county_user)


@pytest.mark.django_db
def test_a_stale_proposal_is_refused(child, county_user_a, second_county_user):
    """Proposed on Monday; on Tuesday an import (or another approved change) alters the same
    fact; approving Monday's proposal on Wednesday would overwrite what it did not see."""
    change = propose_rename(child, county_user_a)
    Person.objects.filter(pk=child.pk).update(name="王小鸣")
    with pytest.raises(services.StaleProposal) as refused:
        services.approve(change=change, user=second_county_user)
    assert "姓名" in refused.value.message or "name" in refused.value.message
    child.refresh_from_db()
    change.refresh_from_db()
    assert child.name == "王小鸣" and change.status == ChangeStatus.PENDING


@pytest.mark.django_db
def test_the_proposer_cannot_approve_and_another_county_cannot_either(
        login, child, county_user_a, county_user_b, second_county_user):
    change = propose_rename(child, county_user_a)
    with pytest.raises(services.ChangeRefused):
        services.approve(change=change, user=county_user_a)
    # Through the page: the proposer's POST is refused, B's is a 404.
    login(county_user_a).post(reverse("change_decide", args=[change.pk]), {"approve": "1"})
    assert login(county_user_b).post(reverse("change_decide", args=[change.pk]), {"approve": "1"}).status_code == 404
    child.refresh_from_db()
    assert child.name == "王小明"


@pytest.mark.django_db
def test_another_county_cannot_propose_on_a_file_it_only_sees(child, county_user_b):
    Person.objects.filter(pk=child.pk).update(residence_area_code=county_user_b.area_id)  # B sees it now
    child.refresh_from_db()
    with pytest.raises(services.ChangeRefused):
        propose_rename(child, county_user_b)


@pytest.mark.django_db
def test_partner_may_correct_only_its_own_contacts_of_its_own_children(
        login, child, clinic_a, health_user_a, county_user_a, county_a):
    put_on_list(child, "health", organisation=clinic_a)
    own = Guardian.objects.create(person=child, name="王母", phone="13800000002", organisation=clinic_a)
    county_guardian = Guardian.objects.get(person=child, organisation__isnull=True)
    items = services.build_items(child, guardian=own, guardian_values={"phone": "13900000003"})
    change = services.propose(person=child, user=health_user_a, items=items, reason="电话停机，家长提供新号码")
    assert change.organisation == clinic_a
    for forbidden in (services.build_items(child, person_values={"name": "改名"}),
                      services.build_items(child, guardian=county_guardian, guardian_values={"phone": "13900000004"})):
        with pytest.raises(services.ChangeRefused):
            services.propose(person=child, user=health_user_a, items=forbidden, reason="试图修改")
    # Through the page: a partner's form has no name field; a child not its own is a 404.
    stranger = make_person(county_a, name="他人")
    assert login(health_user_a).get(reverse("change_propose", args=[stranger.pk])).status_code == 404
    page = login(health_user_a).get(reverse("change_propose", args=[child.pk])).content.decode()
    assert 'name="guardian_phone"' in page and 'name="name"' not in page and "13800000001" not in page
    services.approve(change=change, user=county_user_a)
    own.refresh_from_db()
    assert own.phone == "13900000003"


@pytest.mark.django_db
def test_a_death_recorded_by_correction_closes_the_open_case(child, county_user_a, second_county_user):
    case = make_case(person=child, year=2026)
    items = services.build_items(child, person_values={"status": PersonStatus.DECEASED,
                                                       "status_on": datetime.date(2026, 11, 1)})
    change = services.propose(person=child, user=county_user_a, items=items, reason="死亡医学证明")
    services.approve(change=change, user=second_county_user)
    child.refresh_from_db()
    case.refresh_from_db()
    assert child.status == PersonStatus.DECEASED and case.reason == UninsuredReason.MOVED_OR_DIED


@pytest.mark.django_db
def test_special_groups_residence_and_guardians_through_the_form(login, child, county_user_a, second_county_user):
    client = login(county_user_a)
    guardian = Guardian.objects.get(person=child)
    response = client.post(reverse("change_propose", args=[child.pk]), {
        "name": "王小明", "hukou_area_code": "350902", "residence_area_code": "350921", "status": "active",
        "guardian": str(guardian.pk), "guardian_phone": "13700000009",
        "group": "subsistence", "valid_from": "2026-01-01", "reason": "民政部门核实",
        "attachment": SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf"),
    })
    assert response.status_code == 302, response.content.decode()
    change = ChangeRequest.objects.get()
    assert {(i["target"].split(":")[0], i["field"]) for i in change.items} == {
        ("person", "residence_area_code"), ("guardian", "phone"), ("group", "membership")}
    services.approve(change=change, user=second_county_user)
    child.refresh_from_db()
    guardian.refresh_from_db()
    assert child.residence_area_code == "350921" and guardian.phone == "13700000009"
    assert PersonSpecialGroup.objects.get(person=child).valid_from == datetime.date(2026, 1, 1)
    # The attachment: downloaded by the county, audited; not by another county.
    download = login(second_county_user).get(reverse("change_attachment", args=[change.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/octet-stream"
    assert AccessEvent.objects.filter(action=AccessAction.DOWNLOAD, person=child).exists()


@pytest.mark.django_db
def test_attachments_are_checked_by_type_content_and_size(child, county_user_a):
    for name, content in (("a.exe", b"MZ..."), ("fake.pdf", b"<html><script>"), ("empty.png", b""),
                          ("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))):
        with pytest.raises(AttachmentProblem):
            services.propose(person=child, user=county_user_a, reason="x",
                             items=services.build_items(child, person_values={"name": "甲"}),
                             attachment=SimpleUploadedFile(name, content))
    assert not ChangeRequest.objects.exists()


@pytest.mark.django_db
def test_bulk_approval_of_a_page_skips_stale_and_own(login, county_a, county_user_a, second_county_user):
    children = [make_person(county_a, name=f"儿童{n}") for n in range(3)]
    changes = [propose_rename(c, county_user_a, name=f"儿童{n}改") for n, c in enumerate(children)]
    own = propose_rename(make_person(county_a, name="自己提的"), second_county_user, name="自己提的改")
    Person.objects.filter(pk=children[2].pk).update(name="已被导入修改")
    page = login(second_county_user).get(reverse("changes")).content.decode()
    assert "儿童0" in page and f'value="{own.pk}"' not in page  # no tick box on one's own
    response = login(second_county_user).post(reverse("change_approve_many"),
                                              {"change": [str(c.pk) for c in [*changes, own]]}, follow=True)
    statuses = dict(ChangeRequest.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in changes] == [ChangeStatus.APPROVED, ChangeStatus.APPROVED, ChangeStatus.PENDING]
    assert statuses[own.pk] == ChangeStatus.PENDING
    assert "已发生变化" in response.content.decode()


@pytest.mark.django_db
def test_bulk_approval_cannot_reach_another_countys_requests(login, county_b, county_user_b, county_user_a):
    other = make_person(county_b, name="霞浦儿童")
    change = propose_rename(other, county_user_b, name="霞浦儿童改")
    login(county_user_a).post(reverse("change_approve_many"), {"change": [str(change.pk)]})
    assert ChangeRequest.objects.get().status == ChangeStatus.PENDING
    assert login(county_user_a).get(reverse("change_attachment", args=[change.pk])).status_code == 404
    assert "霞浦儿童" not in login(county_user_a).get(reverse("changes")).content.decode()


@pytest.mark.django_db
def test_an_attachment_name_with_path_tricks_is_stored_under_a_random_name(child, county_user_a):
    change = services.propose(person=child, user=county_user_a, reason="证明",
                              items=services.build_items(child, person_values={"name": "甲"}),
                              attachment=SimpleUploadedFile("../../etc/<script>证明.pdf", PDF))
    assert change.attachment_name == "_script_证明.pdf"
    stored = change.attachment.name
    assert stored.startswith("changes/") and ".." not in stored and "script" not in stored
    assert stored.endswith(".pdf")


@pytest.mark.django_db
def test_a_proposal_on_a_file_merged_since_is_refused(child, county_a, county_user_a, second_county_user):
    """A birth-certificate file proposed on, then merged into the child's ID file: approving it
    would write on a file nobody reads any more."""
    from enrollment.registry.merging import merge_person

    change = propose_rename(child, county_user_a)
    target = make_person(county_a, name="王小明", birth_date=child.birth_date)
    merge_person(source=child, target=target)
    with pytest.raises(services.StaleProposal) as refused:
        services.approve(change=change, user=second_county_user)
    assert "合并" in refused.value.message
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


@pytest.mark.django_db
def test_a_renamed_pupil_keeps_its_place_in_the_school_lists_order(child, school_a, county_user_a, second_county_user):
    from enrollment.models import SchoolPlace

    from .factories import place_in_school

    place_in_school(child, school_a, class_name="1班")
    services.approve(change=propose_rename(child, county_user_a), user=second_county_user)
    assert SchoolPlace.objects.get(person=child).person_name == "王晓明"
