from django.db import migrations

from shahrak.core.search_indexes import search_index_operation


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_project_place_missing")]

    operations = [
        search_index_operation("projects_developmentproject", ["code", "title", "title_en"]),
        search_index_operation("projects_disbursement", ["reference"]),
    ]
