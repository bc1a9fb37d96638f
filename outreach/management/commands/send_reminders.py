import datetime

from django.core.management.base import BaseCommand

from outreach.reminders import send_reminders


class Command(BaseCommand):
    help = "Send today's reminders (the same service Celery beat runs); never sends one twice."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="YYYY-MM-DD, default today")

    def handle(self, *args, date=None, **options):
        sent = send_reminders(today=date)
        total = sum(sent.values())
        details = ", ".join(f"{kind}: {count}" for kind, count in sorted(sent.items()))
        self.stdout.write(f"{total} reminder(s) sent" + (f" ({details})" if details else ""))
