import datetime

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from enrollment.registry.tables import masked_id

from .models import NoticeBatch, OutreachTask, TaskStatus
from .selectors import NEWBORN_DAYS, newborn_deadline

STATUS_BADGE = {TaskStatus.OPEN: "warn", TaskStatus.DONE: "", TaskStatus.INSURED: "ok"}


class MaskedIdColumn(tables.Column):
    """The person's ID number, masked, in the page and in exports."""

    def __init__(self, accessor="person", **kwargs):
        super().__init__(accessor=accessor, verbose_name=_("ID number"), orderable=False, **kwargs)

    def render(self, value):
        return masked_id(value)

    def value(self, value):
        return masked_id(value)


class TaskTable(tables.Table):
    name = tables.Column(accessor="person__name", verbose_name=_("name"))
    id_number = MaskedIdColumn()
    county = tables.Column(accessor="county__name", verbose_name=_("county"))
    # Read through the person's school (its SchoolPlace); sorted by the place.
    school = tables.Column(accessor="person__school__name", verbose_name=_("school"), default="",
                           order_by=("person__school_place__school__name",))
    class_name = tables.Column(accessor="person__class_name", verbose_name=_("class"), default="",
                               order_by=("person__school_place__class_name",))
    source = tables.Column(accessor="case__source", verbose_name=_("source"))
    assignee = tables.Column(accessor="assignee__name", verbose_name=_("assigned to"))
    due_on = tables.DateColumn(format="Y-m-d", verbose_name=_("due date"))
    status = tables.Column(verbose_name=_("status"))
    outcome = tables.Column(verbose_name=_("outcome"), default="")
    closed_on = tables.DateColumn(format="Y-m-d", verbose_name=_("insured on"), default="")

    class Meta:
        model = OutreachTask
        fields = ()
        sequence = ("name", "id_number", "county", "school", "class_name", "source", "assignee", "due_on",
                    "status", "outcome", "closed_on")
        empty_text = _("No outreach tasks.")

    def render_name(self, value, record):
        return format_html('<a href="{}">{}</a>', reverse("outreach_task", args=[record.pk]), value)

    def value_name(self, value):
        return value

    def render_source(self, record):
        return record.case.get_sources_display()

    def value_source(self, record):
        return record.case.get_sources_display()

    def render_status(self, record):
        late = record.status == TaskStatus.OPEN and record.due_on < datetime.date.today()
        badge = "bad" if late else STATUS_BADGE.get(record.status, "")
        label = _("Overdue") if late else record.get_status_display()
        return format_html('<span class="badge {}">{}</span>', badge, label)

    def value_status(self, record):
        return record.get_status_display()

    def render_outcome(self, record):
        return record.get_outcome_display()

    value_outcome = render_outcome


class CaseTable(tables.Table):
    select = tables.CheckBoxColumn(accessor="pk", attrs={"th__input": {"aria-label": _("select all")}})
    name = tables.Column(accessor="person__name", verbose_name=_("name"))
    id_number = MaskedIdColumn()
    source = tables.Column(verbose_name=_("source"))
    # Read through the person's school (its SchoolPlace); sorted by the place.
    school = tables.Column(accessor="person__school__name", verbose_name=_("school"), default="",
                           order_by=("person__school_place__school__name",))
    class_name = tables.Column(accessor="person__class_name", verbose_name=_("class"), default="",
                               order_by=("person__school_place__class_name",))
    provider = tables.Column(accessor="entry__organisation__name", verbose_name=_("listed by"), default="")
    residence = tables.Column(accessor="person__residence_area_code", verbose_name=_("residence area"), default="")
    found_on = tables.DateColumn(format="Y-m-d", verbose_name=_("found uninsured on"))
    has_task = tables.BooleanColumn(verbose_name=_("already assigned"), yesno="✔,—")

    class Meta:
        empty_text = _("No open uninsured cases.")
        orderable = False


class ProgressTable(tables.Table):
    """Tasks per partner or per school: counts and the share insured after outreach."""

    county = tables.Column(accessor="county__name", verbose_name=_("county"))
    total = tables.Column(verbose_name=_("tasks"), attrs={"td": {"class": "num"}})
    open = tables.Column(verbose_name=_("open"), attrs={"td": {"class": "num"}})
    overdue = tables.Column(verbose_name=_("overdue"), attrs={"td": {"class": "num"}})
    done = tables.Column(verbose_name=_("outcome recorded"), attrs={"td": {"class": "num"}})
    # tasks, not the dispatch table's figure: a task closes as insured when an extract shows the
    # child insured in the county handling its case (issue 14: labelled plainly)
    insured = tables.Column(verbose_name=_("tasks closed as insured here"), attrs={"td": {"class": "num"}})
    rate = tables.Column(verbose_name=_("insured share"), empty_values=(), attrs={"td": {"class": "num"}})
    outcome_will_enroll = tables.Column(verbose_name=_("will enroll"), attrs={"td": {"class": "num"}})
    outcome_insured_elsewhere = tables.Column(verbose_name=_("insured elsewhere"), attrs={"td": {"class": "num"}})
    outcome_unwilling = tables.Column(verbose_name=_("unwilling"), attrs={"td": {"class": "num"}})
    outcome_unreachable = tables.Column(verbose_name=_("unreachable"), attrs={"td": {"class": "num"}})
    outcome_moved_away = tables.Column(verbose_name=_("moved away"), attrs={"td": {"class": "num"}})

    class Meta:
        orderable = False
        empty_text = _("No outreach tasks.")

    def render_rate(self, record):
        return f"{record['insured'] * 100 / record['total']:.1f}%" if record["total"] else "—"

    value_rate = render_rate


class PartnerProgressTable(ProgressTable):
    partner = tables.Column(accessor="assignee__name", verbose_name=_("partner"))

    class Meta(ProgressTable.Meta):
        sequence = ("county", "partner", "...")


class SchoolProgressTable(ProgressTable):
    school = tables.Column(accessor="person__school_place__school__name", verbose_name=_("school"))

    class Meta(ProgressTable.Meta):
        sequence = ("county", "school", "...")


class NewbornTable(tables.Table):
    name = tables.Column(verbose_name=_("name"))
    id_number = MaskedIdColumn(accessor="pk")
    birth_date = tables.DateColumn(format="Y-m-d", verbose_name=_("birth date"))
    deadline = tables.Column(accessor="birth_date", verbose_name=_("newborn deadline"), orderable=False)
    days_left = tables.Column(accessor="birth_date", verbose_name=_("days left"), orderable=False)
    lists = tables.Column(accessor="pk", verbose_name=_("lists"), orderable=False)
    guardian = tables.Column(accessor="pk", verbose_name=_("guardian phone"), orderable=False)
    has_task = tables.BooleanColumn(verbose_name=_("outreach task"), yesno="✔,—", orderable=False)

    class Meta:
        empty_text = _("No uninsured newborns.")
        orderable = False

    def __init__(self, *args, today, days_by_county=None, guardians=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.days_by_county = days_by_county or {}
        # person pk -> guardians whose phone the user may read, for the rows shown (the view
        # fills it once the page is known: one query, not one per row)
        self.guardians = guardians or {}

    def render_name(self, record, value):
        return format_html('<a href="{}">{}</a>', reverse("person_detail", args=[record.pk]), value)

    def value_name(self, value):
        return value

    def render_guardian(self, record):
        guardians = self.guardians.get(record.pk, [])
        if not guardians:
            return "—"
        return format_html_join("<br>", '{} <a href="tel:{}">{}</a>', ((g.name, g.phone, g.phone) for g in guardians))

    def value_guardian(self, record):
        return "；".join(f"{g.name} {g.phone}" for g in self.guardians.get(record.pk, []))

    def render_id_number(self, record):
        return masked_id(record)

    value_id_number = render_id_number

    def _deadline(self, record):
        """The deadline under the county's ``newborn_days``."""
        return newborn_deadline(record.birth_date,
                                self.days_by_county.get(record.county_id, NEWBORN_DAYS))

    def render_deadline(self, record):
        return self._deadline(record).isoformat()

    value_deadline = render_deadline

    def render_days_left(self, record):
        left = self.value_days_left(record)
        if left < 0:
            return format_html('<span class="badge bad">{}</span>', _("%(days)s days past") % {"days": -left})
        return format_html('<span class="badge {}">{}</span>', "warn" if left <= 30 else "ok", left)

    def value_days_left(self, record):
        return (self._deadline(record) - self.today).days

    def render_lists(self, record):
        names = []
        if record.on_birth_list:
            names.append(str(_("Birth one-stop service")))
        if record.on_health_list:
            names.append(str(_("Health list")))
        return "、".join(names) or "—"

    value_lists = render_lists


class NoticeBatchTable(tables.Table):
    title = tables.Column(verbose_name=_("notices for"))
    total = tables.Column(verbose_name=_("notices"), attrs={"td": {"class": "num"}})
    status = tables.Column(verbose_name=_("status"))
    progress = tables.Column(verbose_name=_("progress"))
    created_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("requested at"))
    download = tables.Column(accessor="pk", verbose_name="", empty_values=(), orderable=False)

    class Meta:
        model = NoticeBatch
        fields = ()
        sequence = ("title", "total", "status", "progress", "created_at", "download")
        orderable = False
        empty_text = _("No notices printed yet.")

    def render_progress(self, value):
        return format_html('<progress max="100" value="{0}">{0}%</progress> {0}%', value)

    def render_download(self, record):
        if not record.file:
            return ""
        return format_html('<a class="button" href="{}">{}</a>',
                           reverse("outreach_notice_download", args=[record.pk]), _("Download PDF"))
