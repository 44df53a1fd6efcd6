"""Import speed: 100,000 production units from CSV, against a raw COPY of the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shahrak_api_bench .venv/bin/python bench/import.py [--rows N] [--xlsx]

In one run, on the same table: (1) COPY of the rows, already converted to the table's columns
(ids, Gregorian dates), with no checks and no history; (2) `shahrak import` of the CSV a person
would upload (Persian digits in some cells, Solar Hijri dates, estate and ISIC codes), which
checks every cell, the check digit, references, the model's rules and writes history rows;
(3) the same import again, which must change nothing; (4) an import that changes every row. With
--xlsx the files are workbooks (numbers as number cells, the rest as text) instead of CSV. Prints rows per second and the ratio
COPY time ÷ import time (1.0 would be as fast as COPY). The database is created if missing and
its units are replaced; a database the benchmark did not create itself is refused.
"""

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shahrak.settings")
os.environ.setdefault("SHAHRAK_VAR_DIR", tempfile.mkdtemp(prefix="shahrak-bench-"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/shahrak_api_bench"
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)


# The benchmark empties the units table and its history: it works only on a database it made
# itself, which it marks with this comment. Any other database, even an empty one, is refused.
BENCH_MARK = "made by bench/import.py; its production units are replaced on every run"


def ensure_database(url: str) -> None:
    """Create the benchmark's database, or check that an existing one is the benchmark's own."""
    import psycopg

    url = url.replace("postgres://", "postgresql://", 1)
    base, name = url.rsplit("/", 1)
    name = name.split("?", 1)[0]
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        found = conn.execute(
            "select shobj_description(oid, 'pg_database') from pg_database where datname = %s", [name]
        ).fetchone()
        if found is None:
            conn.execute(f'create database "{name}"')
            conn.execute(f"comment on database \"{name}\" is '{BENCH_MARK}'")
        elif found[0] != BENCH_MARK:
            sys.exit(
                f"bench/import.py refuses database {name!r}: it was not made by this benchmark and its "
                f"production units would be replaced. Point DATABASE_URL at a new database name "
                f"(default {DEFAULT_URL})."
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1401)
    parser.add_argument("--xlsx", action="store_true", help="upload workbooks (XLSX) instead of CSV")
    args = parser.parse_args()
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        sys.exit("bench/import.py measures PostgreSQL: set DATABASE_URL=postgres://...")
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from shahrak.accounts.models import Role, User
    from shahrak.core import jalali
    from shahrak.core.text import to_persian_digits
    from shahrak.core.validators import national_id_check_digit
    from shahrak.estates.models import Estate
    from shahrak.imports.importer import import_file
    from shahrak.regions.models import County
    from shahrak.units.models import IsicClass, ProductionUnit

    call_command("migrate", verbosity=0, skip_checks=True)
    call_command("load_reference", verbosity=0, skip_checks=True)
    admin, _created = User.objects.get_or_create(
        username="bench-admin", defaults={"role": Role.ADMINISTRATOR}
    )
    counties = list(County.objects.order_by("sci_code"))
    if Estate.objects.filter(code__startswith="BENCH-").count() < 300:
        for i in range(300):
            Estate.objects.get_or_create(
                code=f"BENCH-{i:03d}",
                defaults={"name_fa": f"شهرک {i}", "kind": "park", "county": counties[i % len(counties)]},
            )
    estates = list(Estate.objects.filter(code__startswith="BENCH-").order_by("code"))
    isic = list(IsicClass.objects.order_by("code").values_list("code", flat=True))

    rng = random.Random(args.seed)
    person_rows, copy_rows = [], []
    for i in range(args.rows):
        first = f"{1_010_000_000 + i:010d}"
        national_id = first + str(national_id_check_digit(first))
        estate = estates[i % len(estates)] if i % 10 else None
        county = estate.county if estate else counties[i % len(counties)]
        code = isic[rng.randrange(len(isic))]
        employees = rng.randint(1, 400)
        kb = None
        if i % 7 == 0:
            year, month, day = rng.randint(1395, 1402), rng.randint(1, 12), rng.randint(1, 29)
            kb = (year, month, day)
        name = f"شركت توليدي {i}" if i % 3 else f"Tolid {i}"
        employees_text = to_persian_digits(employees) if i % 5 == 0 else str(employees)
        person_rows.append(
            [
                national_id,
                name,
                estate.code if estate else "",
                "" if estate else county.sci_code,
                code,
                f"{kb[0]}/{kb[1]:02d}/{kb[2]:02d}" if kb else "",
                employees_text,
            ]
        )
        copy_rows.append(
            [
                national_id,
                name.replace("ي", "ی").replace("ك", "ک"),
                estate.pk if estate else None,
                county.pk,
                code,
                jalali.to_gregorian(*kb).isoformat() if kb else None,
                employees,
            ]
        )
    work = Path(tempfile.mkdtemp(prefix="shahrak-bench-"))
    header = ["national_id", "name", "estate", "county", "isic", "knowledge_based_since", "employees"]
    kind = "xlsx" if args.xlsx else "csv"

    def write_upload(path: Path, rows) -> Path:
        path = path.with_suffix(f".{kind}")
        if kind == "csv":
            with open(path, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(header)
                writer.writerows(rows)
            return path
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "constant_memory": True})
        sheet = book.add_worksheet("units")
        sheet.write_row(0, 0, header)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if value == "":
                    continue
                if c == 6 and value.isascii():  # a head count typed as a number (Persian digits stay text)
                    sheet.write_number(r, c, int(value))
                else:
                    sheet.write_string(r, c, value)
        book.close()
        return path

    upload = write_upload(work / "units", person_rows)

    table = ProductionUnit._meta.db_table
    history_table = ProductionUnit.history.model._meta.db_table

    def empty():
        with connection.cursor() as cursor:
            cursor.execute(f'TRUNCATE "{table}", "{history_table}" CASCADE')
            cursor.execute(f'VACUUM ANALYZE "{table}"')

    columns = "national_id, name, estate_id, county_id, isic_id, knowledge_based_since, employees"
    empty()
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["" if v is None else v for v in row] for row in copy_rows])
    data = buffer.getvalue()
    started = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN (FORMAT csv)') as copy,
    ):
        copy.write(data)
    copy_seconds = time.perf_counter() - started
    assert ProductionUnit.objects.count() == args.rows

    empty()
    started = time.perf_counter()
    result = import_file(upload, user=admin)
    import_seconds = time.perf_counter() - started
    if not result.ok:
        sys.exit("\n".join(result.error_lines()[:20]))
    assert result.created == args.rows and ProductionUnit.objects.count() == args.rows
    assert ProductionUnit.history.count() == args.rows

    started = time.perf_counter()
    again = import_file(upload, user=admin)
    again_seconds = time.perf_counter() - started
    assert again.unchanged == args.rows and again.created == again.updated == 0
    assert ProductionUnit.history.count() == args.rows

    # employees e (1..400) becomes e % 400 + 1, never e itself
    changed = write_upload(
        work / "units-changed",
        [[*row[:6], str(copy_rows[i][6] % 400 + 1)] for i, row in enumerate(person_rows)],
    )
    started = time.perf_counter()
    update = import_file(changed, user=admin)
    update_seconds = time.perf_counter() - started
    assert update.updated == args.rows, update.error_lines()[:5]
    assert ProductionUnit.history.count() == 2 * args.rows

    print(f"rows:                     {args.rows:,} ({kind.upper()})")
    print(f"raw COPY (no checks):     {copy_seconds:6.2f} s  {args.rows / copy_seconds:10,.0f} rows/s")
    print(
        f"shahrak import:           {import_seconds:6.2f} s  {args.rows / import_seconds:10,.0f} rows/s  (with history)"
    )
    print(
        f"re-import (no change):    {again_seconds:6.2f} s  {args.rows / again_seconds:10,.0f} rows/s  (writes nothing)"
    )
    print(
        f"import changing each row: {update_seconds:6.2f} s  {args.rows / update_seconds:10,.0f} rows/s  (with history)"
    )
    print(f"ratio COPY / import:      {copy_seconds / import_seconds:6.2f}")


if __name__ == "__main__":
    main()
