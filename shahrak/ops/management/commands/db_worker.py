"""`shahrak db_worker`: django-tasks-db's worker, with a heartbeat row that `/readyz` reads."""

from django_tasks_db.management.commands import db_worker

from shahrak.ops.heartbeat import HeartbeatThread


class Command(db_worker.Command):
    help = db_worker.Command.help + " (with a heartbeat for /readyz)"

    def handle(self, *args, worker_id, reload=False, **options):
        heartbeat = HeartbeatThread(worker_id)
        heartbeat.start()
        try:
            # The reloader runs the worker in a child process that reloads on code change; the
            # heartbeat of the parent would outlive a crashed child, so no reloading here.
            super().handle(*args, worker_id=worker_id, reload=False, **options)
        finally:
            heartbeat.stop()
