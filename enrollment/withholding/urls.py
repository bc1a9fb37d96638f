from django.urls import path

from . import views

urlpatterns = [
    path("withholding/", views.agent_list, name="withholding"),
]
