"""URLs for reports."""

from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="index"),
    path("<slug:slug>/", views.ReportDetailView.as_view(), name="detail"),
    path("<slug:slug>/download/", views.ReportDownloadView.as_view(), name="download"),
]
