"""One JSON object per log line, and the query counter behind the request and task lines.

A log call gives its structured fields as `extra={"fields": {...}}`; JsonFormatter writes them
beside the time, level, logger and message. LOGGING in settings routes the `shahrak.requests` and
`shahrak.tasks` loggers through it.
"""

import datetime as dt
import json
import logging

from django.db import connections


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class QueryCounter:
    """Counts the SQL statements run on every database connection of this thread while installed."""

    def __init__(self):
        self.count = 0
        self._installed = []

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def install(self) -> "QueryCounter":
        for conn in connections.all(initialized_only=False):
            conn.execute_wrappers.append(self)
            self._installed.append(conn)
        return self

    def remove(self) -> int:
        for conn in self._installed:
            if self in conn.execute_wrappers:
                conn.execute_wrappers.remove(self)
        self._installed = []
        return self.count
