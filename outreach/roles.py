"""Which roles use which outreach pages: the views, their buttons and the navigation read
these, so a page and its link always agree."""
from enrollment.models.accounts import Role

ALL_ROLES = tuple(Role.values)
NEWBORN_ROLES = (Role.CITY, Role.COUNTY, Role.HEALTH)
PRINTING_ROLES = (Role.COUNTY, Role.SCHOOL)  # enrollment notices: the county and the school liaison
