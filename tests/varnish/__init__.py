"""Tests through a real Varnish in front of the app."""
