from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class SpecialGroup(models.TextChoices):
    """Groups whose enrollment is subsidised (资助参保)."""

    EXTREME_POVERTY = "extreme_poverty", _("Person in extreme poverty")
    SUBSISTENCE = "subsistence", _("Subsistence allowance recipient")
    POVERTY_MONITORING = "poverty_monitoring", _("Poverty-relapse monitoring")
    ORPHAN = "orphan", _("Orphan")
    UNSUPPORTED = "unsupported", _("De facto unsupported child")
    DISABLED = "disabled", _("Severely disabled child")
    LEFT_BEHIND = "left_behind", _("Left-behind child")
    MEDICAL_ASSISTANCE = "medical_assistance", _("Medical assistance recipient")


class PersonStatus(models.TextChoices):
    """Whether the child still belongs on the city's rolls (the public security feed or an
    approved correction sets it)."""

    ACTIVE = "active", _("Active")
    DECEASED = "deceased", _("Deceased")
    MOVED_OUT = "moved_out", _("Moved out of the city")
    EMIGRATED = "emigrated", _("Emigrated or registration cancelled")


class Person(models.Model):
    """One person, one file (一人一档).

    Keyed by the 18-digit ID number; a newborn without one is known by its birth certificate
    number and merged into the ID-keyed record later (``merged_into`` points there).
    ``county`` is the county that keeps the file. The file is the city's: staff of every county
    the child is tied to see it (``enrollment.access.rules``, ``models.ties.TieKind``).
    """

    # Unique by Meta constraints, not unique=True: PostgreSQL would get a second, pattern index
    # per column that no query uses (numbers are only ever looked up whole).
    id_number = models.CharField(_("ID number"), max_length=18, null=True, blank=True)
    birth_certificate_no = models.CharField(_("birth certificate number"), max_length=20, null=True, blank=True)
    name = models.CharField(_("name"), max_length=50)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    county = models.ForeignKey(
        "enrollment.Area", on_delete=models.PROTECT, related_name="persons",
        verbose_name=_("managing county"), db_index=False,  # person_county_birth leads with it
    )
    hukou_area_code = models.CharField(_("household registration area"), max_length=6, blank=True)
    residence_area_code = models.CharField(_("usual residence area"), max_length=6, blank=True)
    residence_permit = models.BooleanField(_("residence permit holder"), default=False)
    residence_permit_no = models.CharField(_("residence permit number"), max_length=30, blank=True)
    residence_permit_until = models.DateField(_("residence permit valid until"), null=True, blank=True)
    platform_enrolled_on = models.DateField(
        _("enrolled through the birth one-stop service on"), null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=PersonStatus.choices,
                              default=PersonStatus.ACTIVE)
    status_on = models.DateField(_("status since"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from",
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The history is read per person and by date; an index per column there would only slow
    # every import's history rows.
    history = HistoricalRecords(no_db_index=["birth_certificate_no", "id_number", "birth_date", "county",
                                             "merged_into"])

    class Meta:
        ordering = ["county", "name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.UniqueConstraint(fields=["id_number"], name="person_id_number_once"),
            models.UniqueConstraint(fields=["birth_certificate_no"], name="person_certificate_once"),
        ]
        indexes = [
            # It carries the columns of the access rule's ties on the person row, so that a
            # county's list counts the children other counties keep (in an age band) from the
            # index alone, without reading each one's row (PostgreSQL; SQLite ignores them).
            models.Index(fields=["county", "birth_date"], name="person_county_birth",
                         include=["id", "hukou_area_code", "residence_area_code", "merged_into"]),
            # The few files with a platform enrollment (newborns): the dispatch table reads
            # those of a date range, not every person of the province.
            models.Index(fields=["platform_enrolled_on"], name="person_platform_day",
                         condition=models.Q(platform_enrolled_on__isnull=False)),
            models.Index(fields=["name", "birth_date"], name="person_name_birth"),
            # The few merged files, by the file they were merged into. The foreign key's own
            # index holds every file, nearly all with no merge; SQLite's statistics then take a
            # look-up of one file's merged files for a read of the whole table, and the
            # comparison read it once per uninsured child.
            models.Index(fields=["merged_into"], name="person_merged",
                         condition=models.Q(merged_into__isnull=False)),
            models.Index(
                fields=["county", "name", "id"], name="person_county_live",
                condition=models.Q(merged_into__isnull=True),
            ),
        ]

    def __str__(self):
        return self.name

    # Where the child goes to school is its own narrow row (``ties.SchoolPlace``): a roster
    # import writes that row, not this wide one. These read it for templates and services;
    # lists load it with ``select_related("school_place__school")``, and every query that
    # filters or orders on the school goes through ``school_place``.
    @property
    def place(self):
        """The child's ``SchoolPlace``, or None."""
        try:
            return self.school_place
        except ObjectDoesNotExist:
            return None

    @property
    def school(self):
        place = self.place
        return place.school if place else None

    @property
    def school_id(self):
        place = self.place
        return place.school_id if place else None

    @property
    def grade(self):
        place = self.place
        return place.grade if place else ""

    @property
    def class_name(self):
        place = self.place
        return place.class_name if place else ""


class PersonSpecialGroup(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="special_groups")
    group = models.CharField(_("special group"), max_length=24, choices=SpecialGroup.choices)
    # From the civil affairs / disabled persons' federation / rural revitalisation feed
    # (``special_groups`` layout) or an approved correction; empty dates: open-ended.
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source department"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("special group membership")
        constraints = [
            models.UniqueConstraint(fields=["person", "group"], name="special_group_once"),
        ]
        indexes = [models.Index(fields=["group", "person"], name="special_group_person")]

    @staticmethod
    def valid_on(day):
        """Q: memberships valid on ``day`` (started by then or open at the start, ending on or
        after it or open at the end); ``is_valid_on`` is the same rule on one membership."""
        return ((models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day))
                & (models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day)))

    def is_valid_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until)


class Guardian(models.Model):
    # No database constraints on its keys, as on ListEntry: imports write guardians in bulk and
    # check their references set-based (``importing.integrity``).
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="guardians", db_constraint=False)
    name = models.CharField(_("guardian name"), max_length=50, blank=True)
    id_number = models.CharField(_("guardian ID number"), max_length=18, blank=True)
    phone = models.CharField(_("guardian phone"), max_length=20, blank=True)
    relation = models.CharField(_("relation"), max_length=20, blank=True)
    residence_permit_area_code = models.CharField(
        _("guardian's residence permit area"), max_length=6, blank=True,
        help_text=_("The county that issued the guardian's residence permit, if any."),
    )
    # A guardian a partner's list brought is the partner's: only that partner sees it, and it
    # never replaces the county's. Empty: the county's own (its lists, its staff).
    organisation = models.ForeignKey(
        "enrollment.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("added by partner"), db_index=False, db_constraint=False,
    )

    class Meta:
        verbose_name = _("guardian")
        indexes = [models.Index(fields=["id_number"], name="guardian_id_number")]
        verbose_name_plural = _("guardians")

    def __str__(self):
        return self.name
