"""The person list (filtered, paginated, exportable) and the person file with its history."""
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_tables2.paginators import LazyPaginator

from ..access import selectors as areas
from ..access.audit import record_access
from ..access.roles import role_required
from ..models import AccessAction, Role
from ..portal.exporting import csv_response, xlsx_response
from ..portal.params import paginate
from . import id_numbers, selectors
from .filters import PersonFilter
from .tables import PersonTable

EXPORT_FORMATS = ("csv", "xlsx")


def _filtered_persons(request):
    user = request.user
    return PersonFilter(
        request.GET, queryset=selectors.person_list(user),
        counties=areas.counties_of(user), schools=selectors.schools_of(user),
    )


@role_required(*Role.values)
def person_list(request):
    persons = _filtered_persons(request)
    table = PersonTable(persons.qs)
    # No COUNT(*) over a county of a hundred thousand children: next/previous pages only.
    paginate(request, table, per_page=50, paginator_class=LazyPaginator)
    record_access(request, AccessAction.VIEW_LIST, _("Person list"), record_count=len(table.page.object_list))
    return render(request, "enrollment/person_list.html", {
        "filter": persons, "table": table, "can_export": request.user.is_bureau,
    })


@role_required(Role.CITY, Role.COUNTY)
def person_export(request, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    persons = _filtered_persons(request).qs
    headers = [_("name"), _("ID number"), _("birth certificate number"), _("birth date"), _("sex"),
               _("county"), _("school"), _("class"), _("Insured this year")]
    rows = list(selectors.person_export_rows(persons, headers))
    record_access(request, AccessAction.EXPORT, _("Person list export"), record_count=len(rows) - 1)
    respond = xlsx_response if fmt == "xlsx" else csv_response
    return respond("persons", rows)


@role_required(*Role.values)
def person_detail(request, pk):
    person = selectors.person_detail(request.user, pk)
    record_access(request, AccessAction.VIEW_DETAIL, _("Person file"), person=person)
    shows_full_id = request.user.role == Role.COUNTY
    history = selectors.person_history(person)
    codes = {person.hukou_area_code, person.residence_area_code}
    codes.update(record.area_code for record in history["enrollments"])
    return render(request, "enrollment/person_detail.html", {
        "person": person,
        "id_shown": person.id_number if shows_full_id else id_numbers.mask(person.id_number or ""),
        "area_names": areas.area_names(codes),
        **history,
    })
