"""``manage.py benefit_quote ID_NUMBER --on YYYY-MM-DD``: the benefit answer for a registered
person, as on the person page. An operator command: not scoped, but audited (user empty)."""
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from enrollment.benefits.quotes import prefetched_person, quote_for, resolved_parameters
from enrollment.benefits.rules import format_yuan
from enrollment.models import AccessAction, AccessEvent, Person

COMMAND_PATH = "manage.py benefit_quote"


class Command(BaseCommand):
    help = "Print continuous years, waiting period, rewards and cap of a registered person."

    def add_arguments(self, parser):
        parser.add_argument("id_number")
        parser.add_argument("--on", type=datetime.date.fromisoformat, default=None,
                            help="answer as of this day (YYYY-MM-DD), default today")
        parser.add_argument("--enrolled-on", type=datetime.date.fromisoformat, default=None,
                            help="waiting period of enrolling on this day instead")

    def handle(self, *args, id_number, on=None, enrolled_on=None, **options):
        on = on or timezone.localdate()
        person = self._person(id_number.strip().upper())
        AccessEvent.objects.create(
            user=None, action=AccessAction.VIEW_DETAIL, county=person.county, person=person,
            subject=_("Benefit quote (command) on %(day)s") % {"day": on.isoformat()},
            record_count=1, path=COMMAND_PATH,
        )
        parameter_set, params = resolved_parameters(person.county, on)
        answer = quote_for(person, on, enrolled_on=enrolled_on, params=params)
        source = (_("%(area)s, in force from %(day)s")
                  % {"area": parameter_set.area, "day": parameter_set.effective_from}
                  if parameter_set else _("national defaults"))
        lines = [
            _("%(name)s, %(county)s, as of %(day)s") % {"name": person.name, "county": person.county, "day": on},
            _("Parameters: %(source)s") % {"source": source},
            _("Continuous years: %(years)s") % {"years": answer.continuous.years},
        ]
        if answer.waiting is not None:
            lines.append(_("Waiting period for %(year)s: %(months)s months, benefits from %(day)s")
                         % {"year": answer.waiting.insurance_year,
                            "months": answer.waiting.total_months,
                            "day": answer.waiting.benefits_start})
        lines += [
            _("Rewards: continuous %(cont)s yuan, zero-claim %(zero)s yuan")
            % {"cont": format_yuan(answer.rewards.continuous_reward),
               "zero": format_yuan(answer.rewards.zero_claim_reward)},
            _("Catastrophic-illness cap in %(year)s: %(amount)s yuan")
            % {"year": answer.cap.year, "amount": format_yuan(answer.cap.amount)},
            _("Why:"),
        ]
        lines += [f"  {number}. {reason}" for number, reason in enumerate(answer.reasons, start=1)]
        self.stdout.write("\n".join(lines))

    def _person(self, id_number):
        try:
            person = prefetched_person(Person.objects.all(), id_number=id_number)
        except Person.DoesNotExist:
            raise CommandError(_("No person with ID number %(id)s.") % {"id": id_number})
        seen = set()
        while person.merged_into_id and person.pk not in seen:  # follow merges to the live file
            seen.add(person.pk)
            person = prefetched_person(Person.objects.all(), pk=person.merged_into_id)
        return person
