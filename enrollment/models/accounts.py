from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .areas import AreaLevel
from .organisations import COMMUNITY_KINDS, EDUCATION_KINDS, HEALTH_KINDS


class Role(models.TextChoices):
    CITY = "city", _("City bureau")
    COUNTY = "county", _("County bureau")
    SCHOOL = "school", _("School liaison")
    HEALTH = "health", _("Health partner")
    COMMUNITY = "community", _("Women's federation / community partner")
    SUPERVISOR = "supervisor", _("City supervisory department (read-only)")


BUREAU_ROLES = (Role.CITY, Role.COUNTY)
PARTNER_ROLES = (Role.SCHOOL, Role.HEALTH, Role.COMMUNITY)
# Roles that work with children's files; a supervisory department (the city's 妇儿工委,
# education and health bureaus) reads the city's figures only (FIGURE_ROLES), never a person.
PERSONAL_DATA_ROLES = (*BUREAU_ROLES, *PARTNER_ROLES)
FIGURE_ROLES = (*BUREAU_ROLES, Role.SUPERVISOR)
ORGANISATION_KINDS_OF_ROLE = {
    Role.SCHOOL: EDUCATION_KINDS,
    Role.HEALTH: HEALTH_KINDS,
    Role.COMMUNITY: COMMUNITY_KINDS,
}


class User(AbstractUser):
    """A portal user. Bureau staff belong to an area; partners to one organisation."""

    role = models.CharField(_("role"), max_length=12, choices=Role.choices, blank=True)
    area = models.ForeignKey(
        "enrollment.Area", on_delete=models.PROTECT, null=True, blank=True,
        related_name="users", verbose_name=_("area"),
    )
    organisation = models.ForeignKey(
        "enrollment.Organisation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="users", verbose_name=_("organisation"),
    )
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self):
        """A Chinese name: family name first, no space (陈建华)."""
        return f"{self.last_name}{self.first_name}".strip()

    @property
    def unit(self):
        """Where the user works: the partner's organisation, or the area's bureau (蕉城区医保局)."""
        if self.organisation_id:
            return self.organisation.name
        if self.area_id:
            return f"{self.area.name}医保局"
        return ""

    @property
    def display_name(self):
        """How pages name a user: 陈建华（蕉城区医保局）; the login name only when no name is set."""
        name = self.get_full_name() or self.username
        return f"{name}（{self.unit}）" if self.unit else name

    @property
    def is_bureau(self):
        return self.role in BUREAU_ROLES

    @property
    def is_partner(self):
        return self.role in PARTNER_ROLES

    @property
    def county_id(self):
        """The county this user works in, or None for city staff (and city departments)."""
        return self.area_id if self.role not in (Role.CITY, Role.SUPERVISOR) else None

    def clean(self):
        super().clean()
        if not self.role:
            return
        if self.role == Role.CITY and (not self.area or self.area.level != AreaLevel.CITY):
            raise ValidationError({"area": _("City bureau staff belong to a city.")})
        if self.role == Role.SUPERVISOR and (not self.area or self.area.level != AreaLevel.CITY
                                             or self.organisation_id):
            raise ValidationError({"area": _("A supervisory department belongs to a city, without an organisation.")})
        if self.role == Role.COUNTY and (not self.area or self.area.level != AreaLevel.COUNTY):
            raise ValidationError({"area": _("County bureau staff belong to a county.")})
        if self.role in PARTNER_ROLES:
            org = self.organisation
            if org is None or org.kind not in ORGANISATION_KINDS_OF_ROLE[self.role]:
                raise ValidationError(
                    {"organisation": _("This role needs an organisation of a matching kind.")}
                )
            if self.area_id != org.county_id:
                raise ValidationError({"area": _("A partner's area is its organisation's county.")})
