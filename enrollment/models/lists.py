from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ListSource(models.TextChoices):
    """The partner lists compared with enrollment, one block each in the dispatch table."""

    KINDERGARTEN = "kindergarten", _("Kindergarten roster")
    SCHOOL = "school", _("Primary and secondary school roster")
    HEALTH = "health", _("Vaccination / village clinic list")
    NEWBORN = "newborn", _("Birth one-stop service")
    WITHHOLDING = "withholding", _("Failed withholding")  # cases only, no list comparison
    RENEWAL = "renewal", _("Renewal reminder")  # cases only: insured last year, not yet this one


COMPARED_SOURCES = tuple(s for s in ListSource.values if s not in (ListSource.WITHHOLDING, ListSource.RENEWAL))


class UninsuredReason(models.TextChoices):
    INSURED_ELSEWHERE = "insured_elsewhere", _("Insured elsewhere")
    UNWILLING = "unwilling", _("Unwilling to enroll")
    UNREACHABLE = "unreachable", _("Unreachable")
    MOVED_OR_DIED = "moved_or_died", _("Moved away or died")
    DUPLICATE = "duplicate", _("Duplicate record")
    OTHER = "other", _("Other")


class ListEntry(models.Model):
    """A person as they appear on one partner list (one import batch)."""

    # The foreign keys lead the composite indexes below, which serve them: no single-column
    # index each (a roster of 100,000 rows would maintain them all).
    # No database constraint either (db_constraint=False): the import that writes these rows in
    # bulk checks its references set-based and locks the referenced rows
    # (``importing.integrity``), and a trigger refuses the deletion of a referenced row
    # (migration 0018); a per-row constraint trigger cost 100,000 look-ups at commit. Django
    # still cascades and protects on ORM deletes.
    batch = models.ForeignKey(
        "enrollment.ImportBatch", on_delete=models.CASCADE, related_name="entries", db_index=False,
        db_constraint=False,
    )
    person = models.ForeignKey(
        "enrollment.Person", on_delete=models.CASCADE, related_name="list_entries", db_constraint=False,
    )
    county = models.ForeignKey("enrollment.Area", on_delete=models.PROTECT, related_name="+", db_index=False,
                               db_constraint=False)
    source = models.CharField(_("source"), max_length=16, choices=ListSource.choices)
    organisation = models.ForeignKey(
        "enrollment.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="list_entries", verbose_name=_("school or provider"), db_index=False, db_constraint=False,
    )
    row_number = models.PositiveIntegerField(_("row"))
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    class_name = models.CharField(_("class"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        constraints = [
            models.UniqueConstraint(fields=["batch", "person"], name="list_entry_once_per_batch"),
        ]
        indexes = [
            models.Index(fields=["county", "source", "person"], name="list_entry_county_source"),
            models.Index(fields=["organisation", "person"], name="list_entry_org_person"),
        ]


class UninsuredCase(models.Model):
    """The closed loop (参保管理闭环): a child found uninsured on a partner list.

    One case per child and insurance year, whatever number of lists found the child. It stays
    open until an enrollment extract shows the child insured (``insured_on`` is then set:
    insured after outreach) or staff confirm a reason.
    """

    # No single-column indexes where a wider one leads with the column: the person's cases are
    # found through ``uninsured_case_once_per_year`` (person, year), a county's through
    # ``case_county_source`` (county, ...). Each index is one more write per case an import opens.
    person = models.ForeignKey(
        "enrollment.Person", on_delete=models.CASCADE, related_name="uninsured_cases", db_index=False,
    )
    county = models.ForeignKey("enrollment.Area", on_delete=models.PROTECT, related_name="+", db_index=False)
    # The source that first found the child; ``sources`` lists every source that did (a child
    # on a roster and a clinic list is one case), comma-separated in ListSource order.
    source = models.CharField(_("source"), max_length=16, choices=ListSource.choices)
    sources = models.CharField(_("sources"), max_length=80, blank=True)
    entry = models.ForeignKey(
        ListEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    insurance_year = models.PositiveSmallIntegerField(_("insurance year"))
    found_on = models.DateField(_("found uninsured on"))
    reason = models.CharField(
        _("uninsured reason"), max_length=20, choices=UninsuredReason.choices, blank=True
    )
    reason_note = models.CharField(_("note"), max_length=200, blank=True)
    reason_set_by = models.ForeignKey(  # accounts are deactivated, not deleted: no index needed
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_index=False,
    )
    reason_set_at = models.DateTimeField(null=True, blank=True)
    insured_on = models.DateField(_("insured after outreach on"), null=True, blank=True)
    # No index: no query reads a case by the record that closed it, and no flow deletes
    # enrollment records (issue 20: one index write less per case opened or closed).
    closed_by = models.ForeignKey(
        "enrollment.EnrollmentRecord", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="closed_cases", db_index=False,
    )

    class Meta:
        verbose_name = _("uninsured case")
        verbose_name_plural = _("uninsured cases")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "insurance_year"], name="uninsured_case_once_per_year"
            ),
        ]
        indexes = [
            models.Index(fields=["county", "source", "insured_on"], name="case_county_source"),
        ]

    @property
    def is_open(self):
        return self.insured_on is None

    @property
    def source_list(self):
        return [value for value in (self.sources or self.source).split(",") if value]

    def get_sources_display(self):
        labels = dict(ListSource.choices)
        return "、".join(str(labels.get(value, value)) for value in self.source_list)


class ComparisonRun(models.Model):
    """One comparison (数据比对) of a county's partner lists with enrollment as of a date.

    ``results`` holds, per source, the figures shown to staff: on the list, insured here,
    insured elsewhere only, found uninsured, cases opened.
    """

    county = models.ForeignKey("enrollment.Area", on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField(_("as of"))
    run_at = models.DateTimeField(_("run at"), auto_now_add=True)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("run by"),
    )
    results = models.JSONField(_("results"), default=dict)

    class Meta:
        ordering = ["-run_at"]
        verbose_name = _("comparison")
        verbose_name_plural = _("comparisons")
