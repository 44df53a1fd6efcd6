from django.db import migrations

from shahrak.core.search_indexes import search_index_operation


class Migration(migrations.Migration):
    dependencies = [("units", "0003_constraint_messages_date_ranges_and_derived_fields")]

    operations = [search_index_operation("units_productionunit", ["national_id", "name"])]
