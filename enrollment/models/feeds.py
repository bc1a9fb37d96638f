"""What the public security and maternity feeds brought (``population_changes``,
``maternity_claims`` layouts): kept per county, once per event, so a file sent again changes
nothing."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class PopulationEventKind(models.TextChoices):
    BIRTH = "birth", _("Birth")
    DEATH = "death", _("Death")
    MOVE_IN = "move_in", _("Moved in")
    MOVE_OUT = "move_out", _("Moved out")
    CANCELLED = "cancelled", _("Registration cancelled")


class PopulationEvent(models.Model):
    person = models.ForeignKey("enrollment.Person", on_delete=models.CASCADE, related_name="population_events")
    county = models.ForeignKey("enrollment.Area", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("event"), max_length=10, choices=PopulationEventKind.choices)
    happened_on = models.DateField(_("event date"))
    from_area_code = models.CharField(_("from area"), max_length=6, blank=True)
    to_area_code = models.CharField(_("to area"), max_length=6, blank=True)
    batch = models.ForeignKey("enrollment.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")

    class Meta:
        verbose_name = _("population event")
        constraints = [models.UniqueConstraint(fields=["person", "kind", "happened_on"],
                                               name="population_event_once")]
        indexes = [models.Index(fields=["county", "happened_on"], name="population_county_date")]


class MaternityClaim(models.Model):
    """A reimbursed delivery (生育医疗费用报销): the newborn must be insured within 90 days."""

    county = models.ForeignKey("enrollment.Area", on_delete=models.PROTECT, related_name="+")
    mother_id_number = models.CharField(_("mother's ID number"), max_length=18)
    delivered_on = models.DateField(_("delivery date"))
    hospital = models.CharField(_("hospital"), max_length=100)
    birth_certificate_no = models.CharField(_("birth certificate number"), max_length=20, blank=True)
    newborn = models.ForeignKey("enrollment.Person", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="maternity_claims", verbose_name=_("newborn"))
    batch = models.ForeignKey("enrollment.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")

    class Meta:
        verbose_name = _("maternity claim")
        ordering = ["delivered_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["county", "mother_id_number", "delivered_on"],
                                               name="maternity_claim_once")]
        indexes = [models.Index(fields=["county", "delivered_on"], name="maternity_county_date")]
