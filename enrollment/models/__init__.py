"""Models of the registry app, one module per subject."""
from .accounts import Role, User
from .areas import Area, AreaLevel
from .audit import AccessAction, AccessEvent
from .benefits import BenefitParameterSet, ContributionStandard  # noqa: F401
from .corrections import ChangeRequest, ChangeStatus
from .enrollments import Channel, EnrollmentRecord, Scheme
from .exports import ExportJob, ExportStatus
from .feeds import MaternityClaim, PopulationEvent, PopulationEventKind
from .imports import ImportBatch, ImportKind, ImportStatus
from .lists import ComparisonRun, ListEntry, ListSource, UninsuredCase, UninsuredReason
from .organisations import Organisation, OrganisationKind, SchoolStage
from .people import Guardian, Person, PersonSpecialGroup, PersonStatus, Sex, SpecialGroup
from .ties import CaseReferral, Decision, PersonMerge, SchoolPlace, SchoolTransfer, TieKind
from .withholding import WithholdingRecord

__all__ = [
    "AccessAction",
    "AccessEvent",
    "Area",
    "CaseReferral",
    "ChangeRequest",
    "ChangeStatus",
    "MaternityClaim",
    "PersonStatus",
    "PopulationEvent",
    "PopulationEventKind",
    "Decision",
    "PersonMerge",
    "SchoolPlace",
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
