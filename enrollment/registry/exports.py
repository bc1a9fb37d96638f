"""The person list's export: written while the user waits up to ``EXPORT_BACKGROUND_ROWS``
rows, past that by a Celery worker into a file the user downloads when it is ready (a hundred
thousand rows built inside a web request killed a gunicorn worker)."""
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from ..access import selectors as areas
from ..models import ExportJob, ExportStatus
from ..portal.exporting import rows_file
from . import selectors
from .filters import PersonFilter
KIND = "persons"
def background_rows():
    return settings.EXPORT_BACKGROUND_ROWS
def filtered_persons(user, data):
    """The person list as ``user`` filtered it (``data``: the query string's values)."""
    return PersonFilter(data, queryset=selectors.person_list(user), counties=areas.counties_of(user),
                        schools=selectors.schools_of(user))
def rows(persons):
    headers = [_("name"), _("ID number"), _("birth certificate number"), _("birth date"), _("sex"),
               _("county"), _("school"), _("class"), _("Insured this year")]
    return selectors.person_export_rows(persons, headers)
@transaction.atomic
def request_export(*, user, fmt, query):
    """A background export of the person list as ``user`` filtered it (``query``)."""
    from .tasks import write_export
    job = ExportJob.objects.create(user=user, kind=KIND, fmt=fmt, query=query[:2000])
    transaction.on_commit(lambda: write_export.delay(job.pk))
    return job
def write_export(*, job):
    """The worker's part: the rows as the requesting user may see them now, into the job's file."""
    if job.status == ExportStatus.DONE:  # a late redelivery
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING)
    try:
        persons = filtered_persons(job.user, QueryDict(job.query)).qs
        content = rows_file(list(rows(persons)), job.fmt)
    except Exception:
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED)
        raise
    job.file.save(f"persons-{job.pk}.{job.fmt}", ContentFile(content), save=False)
    job.row_count = persons.count()
    job.status, job.finished_at = ExportStatus.DONE, timezone.now()
    job.save()
    return job
def filename(job):
    return f"persons_{timezone.localtime(job.created_at):%Y%m%d_%H%M}.{job.fmt}"
