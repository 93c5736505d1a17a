"""The outbox for all mail: any app's message row is claimed, sent, retried with backoff or dead-lettered."""
