from django.urls import path

from . import views

urlpatterns = [
    path("comparison/", views.comparison_page, name="comparison"),
    path("comparison/runs/<int:pk>/", views.comparison_run, name="comparison_run"),
    path("comparison/runs/<int:pk>/people/<str:source>/<str:figure>/", views.comparison_run_people,
         name="comparison_run_people"),
    path("cases/", views.case_list, name="cases"),
    path("cases/bulk/", views.case_bulk, name="case_bulk"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/reason/", views.case_reason, name="case_reason"),
    path("cases/<int:pk>/refer/", views.case_refer, name="case_refer"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<int:pk>/answer/", views.referral_answer, name="referral_answer"),
    path("duplicates/", views.duplicate_list, name="duplicates"),
]
