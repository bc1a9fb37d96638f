"""Which roles use which outreach pages: the views, their buttons and the navigation read
these, so a page and its link always agree."""
from enrollment.models.accounts import PERSONAL_DATA_ROLES, Role

ALL_ROLES = PERSONAL_DATA_ROLES  # every role but the read-only supervisory departments
NEWBORN_ROLES = (Role.CITY, Role.COUNTY, Role.HEALTH)
PRINTING_ROLES = (Role.COUNTY, Role.SCHOOL)  # enrollment notices: the county and the school liaison
