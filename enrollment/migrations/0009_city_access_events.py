"""City staff's reads and exports were stored without an area, so no audit page showed them:
file them under the city, as ``record_access`` now does."""
from django.db import migrations
from django.db.models import OuterRef, Subquery


def file_under_the_city(apps, schema_editor):
    AccessEvent = apps.get_model("enrollment", "AccessEvent")
    User = apps.get_model("enrollment", "User")
    area_of_user = User.objects.filter(pk=OuterRef("user_id")).values("area_id")[:1]
    AccessEvent.objects.filter(county__isnull=True, user__area__isnull=False).update(
        county_id=Subquery(area_of_user)
    )


class Migration(migrations.Migration):
    dependencies = [("enrollment", "0008_ties_across_counties")]
    operations = [migrations.RunPython(file_under_the_city, migrations.RunPython.noop)]
