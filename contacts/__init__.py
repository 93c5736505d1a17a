"""Contacts: named leads readers can reach, and the enquiries sent to them."""
