from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrollmentConfig(AppConfig):
    name = "enrollment"
    verbose_name = _("Registry and enrollment")

    def ready(self):
        from .access import rules  # noqa: F401  registers the scoping rules of this app
