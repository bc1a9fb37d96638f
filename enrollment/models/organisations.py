from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    SCHOOL = "school", _("School")
    FAMILY_DOCTOR_TEAM = "family_doctor_team", _("Family doctor team")
    VACCINATION_POINT = "vaccination_point", _("Vaccination point")
    VILLAGE_CLINIC = "village_clinic", _("Village clinic")
    WOMENS_FEDERATION = "womens_federation", _("Women's federation")
    COMMUNITY = "community", _("Community")
    CHILDCARE = "childcare", _("Childcare institution")


class SchoolStage(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")


EDUCATION_KINDS = (OrganisationKind.KINDERGARTEN, OrganisationKind.SCHOOL)
HEALTH_KINDS = (
    OrganisationKind.FAMILY_DOCTOR_TEAM,
    OrganisationKind.VACCINATION_POINT,
    OrganisationKind.VILLAGE_CLINIC,
)
COMMUNITY_KINDS = (
    OrganisationKind.WOMENS_FEDERATION,
    OrganisationKind.COMMUNITY,
    OrganisationKind.CHILDCARE,
)


class Organisation(models.Model):
    """A partner organisation in one county: a school, a health unit, a federation..."""

    county = models.ForeignKey(
        "enrollment.Area", on_delete=models.PROTECT, related_name="organisations",
        verbose_name=_("county"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    stage = models.CharField(
        _("stage"), max_length=16, choices=SchoolStage.choices, blank=True,
        help_text=_("For schools and kindergartens."),
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["county", "kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["county", "code"], name="organisation_code_unique_in_county"),
        ]

    def __str__(self):
        return self.name
