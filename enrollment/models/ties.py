"""What ties a child to more than one county, and the decisions those ties need: the school
the child attends, a school transfer a partner's roster proposes, a case one county refers to another, and the trail of a
merge of two files that different counties kept."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TieKind(models.TextChoices):
    """The ways a child is tied to a county (each one lets that county's staff see the file)."""

    KEEPER = "keeper", _("keeps the file")
    REGISTRATION = "registration", _("household registration")
    RESIDENCE = "residence", _("usual residence")
    SCHOOL = "school", _("school")
    LIST = "list", _("on a list of the county")
    INSURED = "insured", _("insured in the county")
    CASE = "case", _("handles a case")


class SchoolPlace(models.Model):
    """Where a child goes to school: one narrow row per child, apart from the wide person row.

    A roster import writes these rows (an upsert of the changed ones) instead of updating the
    person: the person table and its indexes stay untouched. The person reads it as
    ``person.school``, ``person.grade`` and ``person.class_name``; the scope's school tie and a
    liaison's "own students" probe it by person.

    ``person_county`` and ``person_name`` copy the person list's sort key, so the school filter
    reads a school's children in the list's order from one index (``school_place_order``) and
    stops at the page, as the person row's (school, county, name, id) index did: without them a
    page of a 33,000-pupil school sorted all 33,000 (0.7 s, 2.5 s with JIT, at a million
    persons). Every write of a place copies them from the person (an import's upsert refreshes a
    stale copy); a correction of the name updates them. A stale copy only misorders that list."""

    person = models.OneToOneField("enrollment.Person", on_delete=models.CASCADE, primary_key=True,
                                  related_name="school_place", verbose_name=_("person"))
    school = models.ForeignKey("enrollment.Organisation", on_delete=models.CASCADE, related_name="places",
                               verbose_name=_("school"), db_index=False)  # school_place_order leads with it
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    class_name = models.CharField(_("class"), max_length=30, blank=True)
    person_county = models.CharField(max_length=6, editable=False)  # the person's county_id
    person_name = models.CharField(max_length=50, editable=False)  # the person's name
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The person file shows the school's changes with who made them; read per person only.
    history = HistoricalRecords(no_db_index=["person", "school"], excluded_fields=["person_county", "person_name"])

    class Meta:
        verbose_name = _("school place")
        indexes = [models.Index(fields=["school", "person_county", "person_name", "person"],
                                name="school_place_order")]

    def __str__(self):
        return f"{self.school} {self.grade} {self.class_name}".strip()

    @classmethod
    def of(cls, person, **values):
        """A place of ``person``, with its copies of the person's sort key."""
        return cls(person=person, person_county=person.county_id, person_name=person.name, **values)


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class SchoolTransfer(models.Model):
    """A school's roster named a child another school has: county staff confirm the move."""

    person = models.ForeignKey("enrollment.Person", on_delete=models.CASCADE, related_name="transfers")
    county = models.ForeignKey("enrollment.Area", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("county"))
    from_school = models.ForeignKey("enrollment.Organisation", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("from school"))
    to_school = models.ForeignKey("enrollment.Organisation", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("to school"))
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    class_name = models.CharField(_("class"), max_length=30, blank=True)
    batch = models.ForeignKey("enrollment.ImportBatch", on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("school transfer")
        constraints = [
            models.UniqueConstraint(fields=["person", "to_school"], condition=models.Q(status="pending"),
                                    name="transfer_pending_once"),
        ]
        indexes = [models.Index(fields=["county", "status"], name="transfer_county_status")]


class CaseReferral(models.Model):
    """转办: the county whose list found an uninsured child refers the case to the county of
    residence or registration; that county accepts it (the case is then its own) or returns it."""

    case = models.ForeignKey("enrollment.UninsuredCase", on_delete=models.CASCADE, related_name="referrals")
    from_county = models.ForeignKey("enrollment.Area", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("referred by county"))
    to_county = models.ForeignKey("enrollment.Area", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("referred to county"))
    reason = models.CharField(_("reason"), max_length=200)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    referred_at = models.DateTimeField(_("referred at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    answer = models.CharField(_("answer"), max_length=200, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case referral")
        ordering = ["-referred_at"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(status="pending"),
                                    name="referral_pending_once"),
        ]
        indexes = [
            models.Index(fields=["to_county", "status"], name="referral_to_status"),
            models.Index(fields=["from_county", "status"], name="referral_from_status"),
        ]


class PersonMerge(models.Model):
    """The trail of a birth-certificate file merged into an ID-keyed file: both keeping
    counties read it on the file."""

    source = models.ForeignKey("enrollment.Person", on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey("enrollment.Person", on_delete=models.CASCADE, related_name="merges")
    source_county = models.ForeignKey("enrollment.Area", on_delete=models.PROTECT, related_name="+")
    target_county = models.ForeignKey("enrollment.Area", on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey("enrollment.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("merge of files")
        ordering = ["-merged_at"]
