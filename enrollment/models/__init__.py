"""Models of the registry app, one module per subject."""
from .areas import Area, AreaLevel
from .organisations import Organisation, OrganisationKind, SchoolStage
from .accounts import Role, User
from .people import Guardian, Person, PersonSpecialGroup, Sex, SpecialGroup
from .enrollments import Channel, EnrollmentRecord, Scheme
from .imports import ImportBatch, ImportKind, ImportStatus
from .lists import ComparisonRun, ListEntry, ListSource, UninsuredCase, UninsuredReason
from .audit import AccessEvent, AccessAction
from .exports import ExportJob, ExportStatus
from .benefits import BenefitParameterSet  # noqa: F401

__all__ = [
    "AccessAction",
    "AccessEvent",
    "Area",
    "AreaLevel",
    "Channel",
    "ComparisonRun",
    "EnrollmentRecord",
    "ExportJob",
    "ExportStatus",
    "Guardian",
    "ImportBatch",
    "ImportKind",
    "ImportStatus",
    "ListEntry",
    "ListSource",
    "Organisation",
    "OrganisationKind",
    "Person",
    "PersonSpecialGroup",
    "Role",
    "Scheme",
    "SchoolStage",
    "Sex",
    "SpecialGroup",
    "UninsuredCase",
    "UninsuredReason",
    "User",
]
