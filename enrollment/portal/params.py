"""Typed query-string parameters: a value that is not what the page expects is a 400 with a
Chinese message (``BadParameter``, answered by ``BadParameterMiddleware``), never a 500.

``paginate`` is the one way a table is paginated: page sizes are capped at ``MAX_PER_PAGE``.
"""
from django.core.paginator import EmptyPage, Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_tables2 import LazyPaginator, RequestConfig

from ..registry.periods import FIRST_DATE, LAST_DATE, parse_iso_date

MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000


class BadParameter(Exception):
    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name, self.message = name, message


def whole_number(value, name, *, minimum=1, maximum):
    """``value`` (text from the query string) as an integer in [minimum, maximum]."""
    try:
        number = int(str(value).strip())
    except ValueError:
        raise BadParameter(name, _("a whole number is expected"))
    if not minimum <= number <= maximum:
        raise BadParameter(name, _("it must be between %(low)s and %(high)s") % {"low": minimum, "high": maximum})
    return number


def required_date(value, name):
    """A YYYY-MM-DD parameter that must be present and plausible."""
    day = parse_iso_date(value)
    if day is None:
        raise BadParameter(name, _("a date between %(first)s and %(last)s is expected (YYYY-MM-DD)")
                           % {"first": FIRST_DATE, "last": LAST_DATE})
    return day


def paginate(request, table, *, per_page, **options):
    """Paginate ``table`` from the request: ``?per_page=`` is capped at ``MAX_PER_PAGE``; a page
    or page size that is not a positive whole number is a 400."""
    size, page = per_page, 1
    if request.GET.get(table.prefixed_per_page_field):
        size = min(whole_number(request.GET[table.prefixed_per_page_field], table.prefixed_per_page_field,
                                maximum=10**12), MAX_PER_PAGE)
    if request.GET.get(table.prefixed_page_field):
        page = whole_number(request.GET[table.prefixed_page_field], table.prefixed_page_field, maximum=MAX_PAGE)
    RequestConfig(request, paginate=False).configure(table)  # the ordering
    options.setdefault("paginator_class", Paginator)
    try:
        table.paginate(per_page=size, page=page, **options)
    except EmptyPage:  # past the end: the last page, as django-tables2 does
        table.page = table.paginator.page(table.paginator.num_pages)
    return table


# Past this many rows a list says "more than" and pages on lazily. A thousand is twenty pages
# of fifty: a list that long is for narrowing, not reading (the figures pages give exact
# counts). Counting up to 5,000 took 0.5-1 s on a county's status filters at a million persons,
# walking and probing each child's enrollment records; up to 1,000 it takes 30-80 ms.
COUNT_CAP = 1_000


class CountedPaginator(Paginator):
    """A paginator whose row count is already known (``total``): no second COUNT."""

    def __init__(self, *args, total, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = total


def paginate_with_total(request, table, *, per_page, cap=None, total=None):
    """Paginate ``table`` with its total and a link to its last page when it has at most
    ``cap`` rows (COUNT_CAP): the count stops at ``cap + 1`` rows (``counts_up_to``), so that a
    county's whole registry is not counted on every page view. A longer list pages lazily,
    next by next. ``total``: the table's rows counted already (``counts_up_to`` of its parts).
    Returns the total, or None when the list holds more than ``cap`` rows."""
    cap = COUNT_CAP if cap is None else cap
    total = sum(counts_up_to([table.data.data], cap)) if total is None else total
    if total > cap:
        paginate(request, table, per_page=per_page, paginator_class=LazyPaginator)
        return None
    paginate(request, table, per_page=per_page, paginator_class=CountedPaginator, total=total)
    return total


def counts_up_to(parts, cap=None):
    """The rows of each of ``parts`` (querysets splitting a list's rows into disjoint parts, the
    cheapest and fullest first), counted in turn up to ``cap + 1`` (COUNT_CAP) in all: a later
    part is not counted, nor in the list returned, once the earlier ones pass the cap. Each
    count selects the key only, so the list's annotations (a probe per row) are not computed
    for rows that are only counted."""
    cap = COUNT_CAP if cap is None else cap
    counts = []
    for part in parts:
        counts.append(part.order_by().values("pk")[: cap + 1 - sum(counts)].count())
        if sum(counts) > cap:
            break
    return counts


class BadParameterMiddleware:
    """Answers ``BadParameter`` with a 400 page saying which parameter and why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, BadParameter):
            return None
        return render(request, "bad_parameter.html", {"name": exception.name, "message": exception.message},
                      status=400)
