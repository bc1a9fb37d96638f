"""Models of the registry app, one module per subject."""
from .accounts import Role, User
from .areas import Area, AreaLevel
from .enrollments import Channel, EnrollmentRecord, Scheme
from .imports import ImportBatch, ImportKind, ImportStatus
from .lists import ComparisonRun, ListEntry, ListSource, UninsuredCase, UninsuredReason
from .organisations import Organisation, OrganisationKind, SchoolStage
from .people import Guardian, Person, PersonSpecialGroup, Sex, SpecialGroup
from .ties import CaseReferral, Decision, PersonMerge, SchoolTransfer, TieKind
from .audit import AccessEvent, AccessAction
from .benefits import BenefitParameterSet, ContributionStandard  # noqa: F401
from .withholding import WithholdingRecord
from .exports import ExportJob, ExportStatus

__all__ = [
    "AccessAction",
    "AccessEvent",
    "Area",
    "CaseReferral",
    "Decision",
    "PersonMerge",
    "SchoolTransfer",
    "TieKind",
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
    "WithholdingRecord",
]
