"""The plain tracking codes dropped, once their hashes are written (0004: a migration of its own,
so that PostgreSQL alters the table after the rows' updates are committed)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("land", "0004_tracking_code_hashed")]

    operations = [
        migrations.RemoveField(model_name="application", name="tracking_code"),
        migrations.RemoveField(model_name="historicalapplication", name="tracking_code"),
        migrations.AlterField(
            model_name="application",
            name="tracking_hash",
            field=models.CharField(
                editable=False, max_length=64, unique=True, verbose_name="tracking code (SHA-256)"
            ),
        ),
        migrations.AlterField(
            model_name="historicalapplication",
            name="tracking_hash",
            field=models.CharField(
                db_index=True, editable=False, max_length=64, verbose_name="tracking code (SHA-256)"
            ),
        ),
    ]
