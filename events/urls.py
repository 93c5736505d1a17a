"""URLs for events."""

from django.urls import path

from events import registration_views, views

app_name = "events"
urlpatterns = [
    path("", views.EventListView.as_view(), name="index"),
    path("past/", views.EventListView.as_view(past=True), name="past"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("topics/<slug:slug>/calendar.ics", views.calendar_feed, name="topic-calendar"),
    path("registrations/<str:token>/cancel/", registration_views.cancel, name="cancel"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("<slug:slug>/register/", registration_views.register, name="register"),
    path("<slug:slug>/registered/", registration_views.registered, name="registered"),
    path("<slug:slug>/files/<int:file_pk>/", views.EventFileView.as_view(), name="file"),
    path("<slug:slug>/calendar.ics", views.EventCalendarView.as_view(), name="ics"),
]
