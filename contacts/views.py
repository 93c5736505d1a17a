"""Public pages for contacts: the directory and each person's profile."""

from django.views.generic import DetailView, ListView

from contacts.models import Contact


class ContactListView(ListView):
    queryset = Contact.objects.active().prefetch_related("topics")
    paginate_by = 24


class ContactDetailView(DetailView):
    queryset = Contact.objects.prefetch_related("topics")
