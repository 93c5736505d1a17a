"""Management commands for events."""
