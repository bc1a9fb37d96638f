"""The registry app's pages: each subject's own URLs, under their unchanged names."""
from django.urls import include, path

urlpatterns = [
    path("", include("enrollment.portal.urls")),
    path("", include("enrollment.access.urls")),
    path("", include("enrollment.importing.urls")),
    path("", include("enrollment.registry.urls")),
    path("", include("enrollment.corrections.urls")),
    path("", include("enrollment.maternity.urls")),
    path("", include("enrollment.comparison.urls")),
    path("", include("enrollment.withholding.urls")),
]
