"""Tracking codes are stored only as their SHA-256 hash (a copy of the database reveals no live
code): the hash of every existing code is written, in the applications and in their history, the
plain codes are dropped. Codes issued before (16 hexadecimal characters) stay followable: the
status page hashes what is typed the same way (land.models.tracking_hash)."""

import hashlib

from django.db import migrations, models


def _hash(code: str) -> str:
    # As land.models.tracking_hash reads a code typed (upper case, no dashes or spaces; O→0, I/L→1).
    plain = (
        (code or "")
        .strip()
        .upper()
        .translate(str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None}))
    )
    return hashlib.sha256(plain.encode("ascii", "replace")).hexdigest()


def hash_codes(apps, schema_editor):
    for name in ("Application", "HistoricalApplication"):
        model = apps.get_model("land", name)
        rows = []
        for row in model.objects.only("pk", "tracking_code").iterator(chunk_size=2000):
            row.tracking_hash = _hash(row.tracking_code)
            rows.append(row)
            if len(rows) == 2000:
                model.objects.bulk_update(rows, ["tracking_hash"])
                rows = []
        if rows:
            model.objects.bulk_update(rows, ["tracking_hash"])


class Migration(migrations.Migration):
    dependencies = [("land", "0003_plot_changes")]

    operations = [
        migrations.AddField(
            model_name="application",
            name="tracking_hash",
            field=models.CharField(
                editable=False, max_length=64, null=True, verbose_name="tracking code (SHA-256)"
            ),
        ),
        migrations.AddField(
            model_name="historicalapplication",
            name="tracking_hash",
            field=models.CharField(
                editable=False, max_length=64, null=True, verbose_name="tracking code (SHA-256)"
            ),
        ),
        migrations.RunPython(hash_codes, migrations.RunPython.noop),
    ]
