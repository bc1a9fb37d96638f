"""The subsidised enrollment page (资助参保), its people and its export: bureau staff, a
county or the city, as of a date."""
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from enrollment.access.audit import record_access
from enrollment.access.roles import role_required
from enrollment.models import AccessAction, SpecialGroup
from enrollment.models.accounts import BUREAU_ROLES
from enrollment.portal.exporting import xlsx_response
from enrollment.portal.params import MAX_PAGE, whole_number
from enrollment.registry import id_numbers

from ..dispatch import figures as dispatch_figures
from ..views import _choice
from . import figures


def _area(request):
    form, area, cutoff = _choice(request)
    return form, area, cutoff, [county.pk for county in dispatch_figures.counties_of(area)]


@role_required(*BUREAU_ROLES)
def subsidy_page(request):
    form, area, cutoff, codes = _area(request)
    rows = figures.table(request.user, codes, cutoff)
    record_access(request, AccessAction.VIEW_LIST, _("Subsidised enrollment"), county=area if area.is_county else None)
    return render(request, "reporting/subsidy.html", {
        "form": form, "area": area, "cutoff": cutoff, "rows": rows, "labels": figures.FIGURES,
    })


@role_required(*BUREAU_ROLES)
def subsidy_people(request, group, figure):
    if (group != figures.ALL and group not in SpecialGroup.values) or figure not in figures.FIGURES:
        raise Http404
    form, area, cutoff, codes = _area(request)
    number = whole_number(request.GET["page"], "page", maximum=MAX_PAGE) if request.GET.get("page") else 1
    page = Paginator(figures.people(request.user, codes, cutoff, group, figure), 50).get_page(number)
    for person in page.object_list:
        person.id_shown = id_numbers.mask(person.id_number or "")
    record_access(request, AccessAction.VIEW_LIST, _("Subsidised enrollment: people"),
                  record_count=len(page.object_list), county=area if area.is_county else None)
    return render(request, "reporting/subsidy_people.html", {
        "form": form, "area": area, "cutoff": cutoff, "page": page,
        "group_label": dict(SpecialGroup.choices).get(group, _("All difficult children (each once)")),
        "figure_label": figures.FIGURES[figure]
    })


@role_required(*BUREAU_ROLES)
def subsidy_export(request):
    """The figures, then every difficult child once per group with ID numbers masked."""
    _form, area, cutoff, codes = _area(request)
    labels = figures.FIGURES
    rows = [[_("Special group"), *(str(label) for label in labels.values())]]
    rows += [[str(label), *(counts[key] for key in labels)] for _code, label, counts in
             figures.table(request.user, codes, cutoff)]
    rows += [[], [_("Special group"), _("name"), _("ID number"), _("county"), *(str(labels[k]) for k in
                                                                                ("insured", "subsidised"))]]
    count = 0
    for code, label in SpecialGroup.choices:
        for person in figures.people(request.user, codes, cutoff, code, "children").iterator(chunk_size=2000):
            rows.append([str(label), person.name, id_numbers.mask(person.id_number or ""), person.county.name,
                         "是" if person.insured else "否", "是" if person.subsidised else "否"])
            count += 1
    record_access(request, AccessAction.EXPORT, _("Subsidised enrollment export"), record_count=count,
                  county=area if area.is_county else None)
    return xlsx_response(f"subsidy_{area.pk}_{cutoff:%Y%m%d}", rows, sheet_title="资助参保")
