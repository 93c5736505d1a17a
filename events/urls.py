"""URLs for events."""

from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("", views.EventListView.as_view(), name="index"),
    path("past/", views.EventListView.as_view(past=True), name="past"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("topics/<slug:slug>/calendar.ics", views.calendar_feed, name="topic-calendar"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("<slug:slug>/calendar.ics", views.EventCalendarView.as_view(), name="ics"),
]
