import datetime

from django.core.management.base import BaseCommand

from outreach.guardian_sms import scheduled_run


class Command(BaseCommand):
    help = ("Queue today's texts to guardians (renewal, uninsured, newborn deadline): the same service "
            "Celery beat runs; at most one per guardian, purpose and week. A worker sends them.")

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="YYYY-MM-DD, default today")

    def handle(self, *args, date=None, **options):
        queued = scheduled_run(today=date)
        details = ", ".join(f"{purpose}: {count}" for purpose, count in sorted(queued.items()))
        self.stdout.write(f"{sum(queued.values())} message(s) queued" + (f" ({details})" if details else ""))
