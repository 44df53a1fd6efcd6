"""The exclusion constraint of plot holds covers the holds that hold at least one day.

The same rule as before: a hold released on the day it starts covers the empty range, which shares
no day with anything, so leaving it out changes nothing. What changes is the planner's choice: for
a province's or a county's free land it looked each plot's holds up in this GiST index (about 5 µs
a plot at scale 10) rather than in the b-tree on (plot, start, release) (about 1 µs): a province
145 → 50 ms, a county 60 → 18 ms. A partial index is read only by a query that states its
condition, and no query states this one. PostgreSQL only, like 0002.
"""

from django.db import migrations

OLD = "EXCLUDE USING gist (plot_id WITH =, daterange(start_date, released_on, '[)') WITH &&)"
FORWARD = [
    "ALTER TABLE land_plothold DROP CONSTRAINT plot_never_held_twice_on_a_day",
    f"""ALTER TABLE land_plothold ADD CONSTRAINT plot_never_held_twice_on_a_day {OLD}
       WHERE (released_on IS NULL OR released_on > start_date)""",
]
BACKWARD = [
    "ALTER TABLE land_plothold DROP CONSTRAINT plot_never_held_twice_on_a_day",
    f"ALTER TABLE land_plothold ADD CONSTRAINT plot_never_held_twice_on_a_day {OLD}",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("land", "0006_plot_serviced_cover")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
