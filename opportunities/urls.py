"""URLs for funding opportunities: the finder, each opportunity's page and its deadline for calendars."""

from django.urls import path

from opportunities import views

app_name = "opportunities"
urlpatterns = [
    path("", views.OpportunityListView.as_view(), name="index"),
    path("<slug:slug>/", views.OpportunityDetailView.as_view(), name="detail"),
    path("<slug:slug>/deadline.ics", views.OpportunityCalendarView.as_view(), name="calendar"),
]
