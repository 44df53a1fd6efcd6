"""On PostgreSQL, a list's search is answered by the trigram indexes, not by reading every row."""

import pytest
from django.db import connection, transaction

from shahrak.core.collation import search
from shahrak.core.search_indexes import index_name
from shahrak.projects.models import DevelopmentProject, Disbursement
from shahrak.units.models import ProductionUnit

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")

CASES = [
    (ProductionUnit, ("national_id", "name"), "units_productionunit", ["national_id", "name"]),
    (
        DevelopmentProject,
        ("code", "title", "title_en"),
        "projects_developmentproject",
        ["code", "title", "title_en"],
    ),
    (Disbursement, ("reference",), "projects_disbursement", ["reference"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "fields", "table", "columns"), CASES, ids=[c[2] for c in CASES])
def test_search_uses_the_trigram_indexes(model, fields, table, columns):
    queryset = search(model.objects.all(), fields, "پارس ۱۴۰۲")
    sql, params = queryset.order_by().query.sql_with_params()  # as the list counts its matches
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test tables are small
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for column in columns:
        assert index_name(table, column) in plan, plan
