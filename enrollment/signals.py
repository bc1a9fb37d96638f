"""Signals other apps listen to, so that the registry never imports them."""
from django.dispatch import Signal

# Sent by the enrollment import, inside its transaction, after it closed uninsured cases
# because the extract shows the children insured. Arguments: case_ids (list of
# UninsuredCase pks), insured_on (dict case pk -> date paid). Outreach closes the open tasks
# of those cases as "insured after outreach".
cases_insured = Signal()

# Sent by an import, inside its transaction, once its batch has landed (status done).
# Argument: batch. Reporting queues a recomputation of the county's stored dispatch figures.
import_landed = Signal()

# Sent by a public security feed, inside its transaction, after it closed the open cases of
# children who died, left the city or had their registration cancelled. Argument: case_ids.
# Outreach closes their unfinished tasks as "moved away", which stops their reminders.
cases_departed = Signal()
