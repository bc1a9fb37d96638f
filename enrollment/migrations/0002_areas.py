"""Install the administrative divisions of enrollment/fixtures/areas.json (Ningde, Lishui)."""
import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "areas.json"


def load_areas(apps, schema_editor):
    Area = apps.get_model("enrollment", "Area")
    for row in json.loads(FIXTURE.read_text(encoding="utf-8")):  # parents come first
        fields = row["fields"]
        Area.objects.update_or_create(
            code=row["pk"],
            defaults={"name": fields["name"], "level": fields["level"], "parent_id": fields["parent"]},
        )


class Migration(migrations.Migration):
    dependencies = [("enrollment", "0001_initial")]
    operations = [migrations.RunPython(load_areas, migrations.RunPython.noop)]
