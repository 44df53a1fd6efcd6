"""Where a project and its payments are, stored beside them for the figures, and kept in step.

DESIGN.md ("Where a record is"): a project, a disbursement and a planned disbursement are where
their estate is. The figures ask "the payments of a period in this province / county / estate, by
category and source", so each payment (`Disbursement`, `PlannedDisbursement`) stores its project's
estate, county, province and category, and each project its estate's county and province: a scope's
spending is then one range of a covering index instead of a walk county → estates → projects →
payments with a table read per payment (bench/metrics.py measures it).

They are a cache; the records stay the truth (a payment's project, a project's estate, an estate's
county, a county's province). The one write path keeps them in the same transaction:

- `Disbursement.save()` / `PlannedDisbursement.save()` copy their project's place;
- `DevelopmentProject.save()` derives its county and province from its estate and, when its estate
  or category changed, brings its payments in step;
- an estate moved to another county, or a county to another province, brings its projects and
  payments in step (`estate_moved` / `county_moved`, connected in apps.py: estates and regions sit
  below projects and do not know them);
- bulk writes (imports with bulk_create, the demo loader) call `refresh_places()` afterwards, in
  their transaction.

`shahrak rebuild_metric_caches` rebuilds them (only rows that differ are written) and
`--check` counts the rows that disagree with the records.
"""

from django.db import connection, transaction

from shahrak.core.versions import data_changed

PAYMENT_TABLES = ("projects_disbursement", "projects_planneddisbursement")
PROJECT_TABLE = "projects_developmentproject"
# NULL-safe "differs": IS DISTINCT FROM on PostgreSQL, IS NOT on SQLite.
_DIFFERS = {"postgresql": "IS DISTINCT FROM", "sqlite": "IS NOT"}
# Projects updated one id list at a time: beyond this many, one statement over all rows.
IDS_AT_ONCE = 5_000

# The place a project should store: its estate's county and that county's province.
_PROJECT_EXPECTED = """
    SELECT e.id AS estate_id, e.county_id AS county_id, c.province_id AS province_id
    FROM estates_estate e JOIN regions_county c ON c.id = e.county_id
"""


def _differs(left: str, right: str) -> str:
    return f"{left} {_DIFFERS[connection.vendor]} {right}"


def _project_stale(table: str = PROJECT_TABLE) -> str:
    return f"({_differs(f'{table}.county_id', 'x.county_id')} OR {_differs(f'{table}.province_id', 'x.province_id')})"


def _payment_stale(table: str) -> str:
    fields = ("estate_id", "county_id", "province_id", "category")
    return "(" + " OR ".join(_differs(f"{table}.{name}", f"p.{name}") for name in fields) + ")"


def _id_list(ids) -> str:
    return ", ".join(str(int(pk)) for pk in ids)


def _chunks(ids):
    ids = sorted({int(pk) for pk in ids if pk is not None})
    for at in range(0, len(ids), IDS_AT_ONCE):
        yield ids[at : at + IDS_AT_ONCE]


@transaction.atomic
def refresh_places(*, project_ids=None, estate_ids=None, county_ids=None, everything: bool = False) -> int:
    """Bring the stored places in step with the records for these projects (or the projects of
    these estates or counties, or all); returns the rows changed. Set-based: two or three
    UPDATE … FROM statements that write only the rows that differ."""
    if everything:
        return _refresh(None)
    conditions = []
    for column, ids in (("id", project_ids), ("estate_id", estate_ids)):
        for chunk in _chunks(ids or ()):
            conditions.append(f"{PROJECT_TABLE}.{column} IN ({_id_list(chunk)})")
    for chunk in _chunks(county_ids or ()):
        conditions.append(
            f"{PROJECT_TABLE}.estate_id IN (SELECT id FROM estates_estate WHERE county_id IN ({_id_list(chunk)}))"
        )
    return sum(_refresh(condition) for condition in conditions)


def _refresh(project_condition: str | None) -> int:
    changed = 0
    with connection.cursor() as cursor:
        where = f" AND {project_condition}" if project_condition else ""
        cursor.execute(
            f"UPDATE {PROJECT_TABLE} SET county_id = x.county_id, province_id = x.province_id "
            f"FROM ({_PROJECT_EXPECTED}) x WHERE x.estate_id = {PROJECT_TABLE}.estate_id "
            f"AND {_project_stale()}{where}"
        )
        changed += cursor.rowcount
        payment_where = ""
        if project_condition:
            payment_where = f" AND p.id IN (SELECT id FROM {PROJECT_TABLE} WHERE {project_condition})"
        for table in PAYMENT_TABLES:
            cursor.execute(
                f"UPDATE {table} SET estate_id = p.estate_id, county_id = p.county_id, "
                f"province_id = p.province_id, category = p.category "
                f"FROM {PROJECT_TABLE} p WHERE p.id = {table}.project_id AND {_payment_stale(table)}"
                f"{payment_where}"
            )
            changed += cursor.rowcount
    if changed:
        data_changed()
    return changed


def stale_places() -> dict[str, int]:
    """Per table, how many rows store a place that disagrees with the records (all 0 when in step)."""
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {PROJECT_TABLE} JOIN ({_PROJECT_EXPECTED}) x "
            f"ON x.estate_id = {PROJECT_TABLE}.estate_id WHERE {_project_stale()}"
        )
        found[PROJECT_TABLE] = cursor.fetchone()[0]
        # A payment is checked against the place its project should have (not the project's copy),
        # so a stale project does not hide stale payments.
        for table in PAYMENT_TABLES:
            cursor.execute(
                f"SELECT COUNT(*) FROM {table} JOIN ("
                f"SELECT pr.id AS id, pr.estate_id AS estate_id, x.county_id AS county_id, "
                f"x.province_id AS province_id, pr.category AS category FROM {PROJECT_TABLE} pr "
                f"JOIN ({_PROJECT_EXPECTED}) x ON x.estate_id = pr.estate_id) p ON p.id = {table}.project_id "
                f"WHERE {_payment_stale(table)}"
            )
            found[table] = cursor.fetchone()[0]
    return found


def places_missing() -> bool:
    """Whether some projects or payments were written without their place (a bulk insert not yet
    refreshed). One query, cheap: the partial indexes *_place_missing hold exactly those rows."""
    tables = (PROJECT_TABLE, *PAYMENT_TABLES)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            + " OR ".join(f"EXISTS (SELECT 1 FROM {table} WHERE county_id IS NULL)" for table in tables)
        )
        return bool(cursor.fetchone()[0])


PLACES_MISSING_WARNING = (
    "some projects or payments have no stored place (written in bulk, around save()): figures for a "
    "province, county or estate leave them out until `shahrak rebuild_metric_caches` is run"
)


def estate_moved(sender, instance, created=False, raw=False, **kwargs) -> None:
    """post_save of an estate: its projects and payments follow it to its (possibly new) county."""
    if created or raw:
        return
    refresh_places(estate_ids=[instance.pk])


def county_moved(sender, instance, created=False, raw=False, **kwargs) -> None:
    """post_save of a county: its projects and payments follow it to its (possibly new) province."""
    if created or raw:
        return
    refresh_places(county_ids=[instance.pk])
