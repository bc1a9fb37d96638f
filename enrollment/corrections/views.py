"""Pages of corrections with approval: propose on a person's file, the county's queue with
bulk approval, one decision, the attachment."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..access.audit import record_access
from ..access.roles import role_required
from ..access.scoping import get_visible_or_404
from ..models import AccessAction, Role
from ..portal.params import MAX_PAGE, whole_number
from ..registry import selectors as registry
from . import selectors, services
from .attachments import AttachmentProblem
from .forms import CountyChangeForm, PartnerChangeForm

PROPOSERS = (Role.COUNTY, Role.SCHOOL, Role.HEALTH, Role.COMMUNITY)


def _initial(person):
    return {field: getattr(person, field) for field in ("name", "hukou_area_code", "residence_area_code",
                                                       "residence_permit_no", "residence_permit_until",
                                                       "status", "status_on")}


@role_required(*PROPOSERS)
def change_propose(request, pk):
    user = request.user
    person = registry.person_detail(user, pk)
    county = user.role == Role.COUNTY
    form_class = CountyChangeForm if county else PartnerChangeForm
    guardians = selectors.guardians_for(user, person)
    form = form_class(request.POST or None, request.FILES or None, guardians=guardians,
                      initial=_initial(person) if county else None)
    if request.method == "POST" and form.is_valid():
        guardian, guardian_values = form.guardian_change()
        group, membership = form.group_change() if county else (None, None)
        items = services.build_items(person, person_values=form.person_values() if county else None,
                                     guardian=guardian, guardian_values=guardian_values,
                                     group=group, membership=membership)
        try:
            change = services.propose(person=person, user=user, items=items, reason=form.cleaned_data["reason"],
                                      attachment=form.cleaned_data.get("attachment"))
        except AttachmentProblem as problem:
            form.add_error("attachment", problem.message)
        except services.ChangeRefused as problem:
            form.add_error(None, problem.message)
        else:
            record_access(request, AccessAction.CHANGE, _("Proposed a change #%(pk)s") % {"pk": change.pk},
                          person=person)
            messages.success(request, _("The change was proposed; another county user will approve it."))
            return redirect("person_detail", person.pk)
    record_access(request, AccessAction.VIEW_DETAIL, _("Change proposal form"), person=person)
    return render(request, "enrollment/change_form.html", {"person": person, "form": form})


@role_required(Role.CITY, Role.COUNTY)
def change_list(request):
    number = whole_number(request.GET["page"], "page", maximum=MAX_PAGE) if request.GET.get("page") else 1
    page = Paginator(selectors.pending(request.user), 50).get_page(number)
    selectors.described(page.object_list)
    record_access(request, AccessAction.VIEW_LIST, _("Change requests"), record_count=len(page.object_list))
    return render(request, "enrollment/change_list.html", {"page": page, "changes": page.object_list})


@require_POST
@role_required(Role.COUNTY)
def change_decide(request, pk):
    change = get_visible_or_404(selectors.change_requests(request.user), request.user, pk=pk)
    try:
        if request.POST.get("approve") == "1":
            services.approve(change=change, user=request.user)
            messages.success(request, _("Change approved and applied."))
        else:
            services.reject(change=change, user=request.user, answer=request.POST.get("answer", ""))
            messages.success(request, _("Change rejected."))
    except services.ChangeRefused as problem:
        messages.error(request, problem.message)
    else:
        record_access(request, AccessAction.CHANGE, _("Decided change #%(pk)s") % {"pk": change.pk},
                      person=change.person)
    if request.POST.get("next") == "list":
        return redirect("changes")
    return redirect("person_detail", change.person_id)


@require_POST
@role_required(Role.COUNTY)
def change_approve_many(request):
    """Bulk approval of the requests ticked on one page (at most a page's worth)."""
    ids = [value for value in request.POST.getlist("change")[:200] if value.isdigit()]
    changes = list(selectors.pending(request.user).filter(pk__in=ids))
    approved, refused = services.approve_many(changes=changes, user=request.user)
    for change in approved:
        record_access(request, AccessAction.CHANGE, _("Decided change #%(pk)s") % {"pk": change.pk},
                      person=change.person)
    messages.success(request, _("%(n)s change(s) approved.") % {"n": len(approved)})
    for change, message in refused:
        messages.error(request, f"{change.person.name}（#{change.pk}）：{message}")
    return redirect("changes")


@role_required(*PROPOSERS)
def change_attachment(request, pk):
    change = get_visible_or_404(selectors.change_requests(request.user), request.user, pk=pk)
    if not change.attachment or not change.attachment.storage.exists(change.attachment.name):
        raise Http404
    record_access(request, AccessAction.DOWNLOAD, _("Downloaded the attachment of change #%(pk)s") % {"pk": pk},
                  person=change.person)
    response = FileResponse(change.attachment.open("rb"), as_attachment=True, filename=change.attachment_name,
                            content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response
