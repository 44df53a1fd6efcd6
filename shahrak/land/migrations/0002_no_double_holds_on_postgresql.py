"""No plot held twice on one day, no workshop leased twice on one day: exclusion constraints on
PostgreSQL (btree_gist lets a GiST index compare the plot's id with =). On SQLite the same rules
are checked by the write path (PlotHold.clean, WorkshopLease.clean); this migration does nothing there.

A hold covers [start_date, released_on) and a lease [start_date, end_date] (inclusive end).
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE land_plothold ADD CONSTRAINT plot_never_held_twice_on_a_day
       EXCLUDE USING gist (plot_id WITH =, daterange(start_date, released_on, '[)') WITH &&)""",
    """ALTER TABLE land_workshoplease ADD CONSTRAINT workshop_never_leased_twice_on_a_day
       EXCLUDE USING gist (workshop_id WITH =, daterange(start_date, end_date, '[]') WITH &&)""",
]
BACKWARD = [
    "ALTER TABLE land_workshoplease DROP CONSTRAINT IF EXISTS workshop_never_leased_twice_on_a_day",
    "ALTER TABLE land_plothold DROP CONSTRAINT IF EXISTS plot_never_held_twice_on_a_day",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("land", "0001_plots_applications_contracts_leases")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
