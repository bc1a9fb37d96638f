"""Build the demo: two synthetic counties (350902 蕉城区, 331102 莲都区), partners, users for
every role, children, enrollments; then each app's own demo step (imports and comparison,
outreach tasks, submitted reports), each through the real services."""
import datetime
from importlib import import_module

from django.core.management.base import BaseCommand

from enrollment.demo import registry as demo
from enrollment.importing.bulk import analyze
from enrollment.models import User

# Run in this order after the registry; a module that does not exist is skipped.
DEMO_STEPS = ("enrollment.demo.lists", "outreach.demo", "reporting.demo")


class Command(BaseCommand):
    help = "Fill an empty database with the demo counties and demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat,
                            help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args, today=None, **options):
        today = today or datetime.date.today()
        if User.objects.filter(username="county_jiaocheng").exists():
            self.stdout.write("The demo data is already there; nothing to do.")
            return
        logins = demo.build(self.stdout, today=today)
        for name in DEMO_STEPS:
            try:
                module = import_module(name)
            except ModuleNotFoundError as error:
                if error.name != name:
                    raise
                continue
            module.build(self.stdout, today)
        analyze()  # the planner's statistics of the loaded demo, as after a large import
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@example.invalid", demo.DEMO_PASSWORD)
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password {demo.DEMO_PASSWORD}):"))
        for username, role, where in logins + [("admin", "system administrator", "/admin/")]:
            self.stdout.write(f"  {username:<20} {role} · {where}")
