"""Stored dispatch figures follow the data: an import that lands queues a recomputation of
its county's stored figures once its transaction has committed."""
from django.db import transaction
from django.dispatch import receiver

from enrollment.signals import import_landed

from .dispatch import stored as stored_figures


@receiver(import_landed, dispatch_uid="reporting.recompute_after_import")
def recompute_after_import(sender, batch, **kwargs):
    county_code = batch.county_id
    # robust: a broker that is down is logged, never turned into an error of an import that
    # has already landed.
    transaction.on_commit(lambda: stored_figures.recompute_after_import(county_code=county_code), robust=True)
