from django.urls import path

from . import family_views, views
from .notices import views as notice_views

urlpatterns = [
    path("tasks/", views.task_list, name="outreach_tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="outreach_task"),
    path("tasks/<int:pk>/change/", views.task_change, name="outreach_task_change"),
    path("uninsured/", views.case_list, name="outreach_cases"),
    path("progress/", views.progress, name="outreach_progress"),
    path("newborns/", views.newborn_list, name="outreach_newborns"),
    path("notifications/", views.notification_list, name="outreach_notifications"),
    path("notices/", notice_views.notice_list, name="outreach_notices"),
    path("notices/tasks/", notice_views.notice_for_tasks, name="outreach_notice_tasks"),
    path("notices/<int:pk>/download/", notice_views.notice_download, name="outreach_notice_download"),
    path("notices/child/<int:pk>/", notice_views.notice_for_person, name="outreach_notice_person"),
    # issue 19: renewals, messages to guardians, sampled call-backs
    path("renewals/", family_views.renewal_list, name="outreach_renewals"),
    path("messages/", family_views.message_list, name="outreach_messages"),
    path("callbacks/", family_views.callback_list, name="outreach_callbacks"),
    path("callbacks/<int:pk>/", family_views.callback_detail, name="outreach_callback"),
]
