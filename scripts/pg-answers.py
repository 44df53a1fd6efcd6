"""Exit 0 when a PostgreSQL server answers at the URL given, 1 otherwise (used by `make test`)."""

import sys

import psycopg

try:
    url = sys.argv[1].replace("postgres://", "postgresql://", 1)
    # Connect to the maintenance database: the project database may not exist yet.
    base = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(base, connect_timeout=3) as connection:
        connection.execute("select 1")
except Exception:  # any failure means "no PostgreSQL here"
    sys.exit(1)
sys.exit(0)
