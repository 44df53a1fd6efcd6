"""Signals ops sends for the apps above it (which may listen; ops imports none of them)."""

from django.dispatch import Signal

# Sent by `shahrak db_worker` before it takes its first task: apps with jobs a dead worker may have
# left running (imports) mark them failed here.
worker_starting = Signal()
