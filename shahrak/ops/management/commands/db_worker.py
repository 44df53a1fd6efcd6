"""`shahrak db_worker`: django-tasks-db's worker, with a heartbeat row that `/readyz` reads."""

from django_tasks_db.management.commands import db_worker

from shahrak.ops.heartbeat import HeartbeatThread
from shahrak.ops.signals import worker_starting


class Command(db_worker.Command):
    help = db_worker.Command.help + " (a long-running worker keeps a heartbeat row for /readyz)"

    def handle(self, *args, worker_id, batch=False, reload=False, **options):
        # Jobs whose worker died (the one this replaces, say) are marked failed by their apps.
        worker_starting.send(sender=self.__class__, worker_id=worker_id)
        if batch:  # runs what is queued and exits: not a standing worker, no heartbeat
            return super().handle(*args, worker_id=worker_id, batch=batch, reload=False, **options)
        heartbeat = HeartbeatThread(worker_id)
        heartbeat.start()
        try:
            # No autoreloader: it would run the worker in a child process whose crash the
            # parent's heartbeat would hide.
            super().handle(*args, worker_id=worker_id, batch=batch, reload=False, **options)
        finally:
            heartbeat.stop()
