"""Write the dispatch table of a county or a city to a file, as the pages export it.

    python manage.py dispatch_table --county 350902 --as-of 2024-06-30 --format xlsx --output t.xlsx
    python manage.py dispatch_table --city 350900 --as-of 2024-06-30 --format pdf --output t.pdf
"""
import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from enrollment.models import Area, AreaLevel
from reporting.dispatch import exports
from reporting.dispatch import figures as dispatch_figures


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of: {value!r} is not a date YYYY-MM-DD")


class Command(BaseCommand):
    help = "Write the dispatch table (调度表) of a county or a city as CSV, XLSX or PDF."

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--county", help="6-digit division code of a county")
        where.add_argument("--city", help="6-digit division code of a city: its counties and a total row")
        parser.add_argument("--as-of", required=True, type=_date, help="cut-off date YYYY-MM-DD")
        parser.add_argument("--format", required=True, choices=exports.FORMATS)
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args, county, city, as_of, format, output, **options):
        level, code = (AreaLevel.COUNTY, county) if county else (AreaLevel.CITY, city)
        area = Area.objects.filter(pk=code, level=level).first()
        if area is None:
            raise CommandError(f"No {level} with code {code}")
        table = dispatch_figures.build_table(area, as_of)
        output.write_bytes(exports.render(table, format))
        self.stdout.write(f"{output}: {area.name}, {len(table.rows)} rows, as of {as_of:%Y-%m-%d}")
