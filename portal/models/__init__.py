"""All models, re-exported so `from portal.models import X` works everywhere."""

from .api import ApiClient, ApiIdempotentAnswer, ApiScope
from .audit import AuditEvent
from .business import (
    Business,
    BusinessInvitation,
    BusinessScale,
    EmployeeUpload,
    EmployeeUploadRow,
    Employment,
    RiskClass,
    UploadRowOutcome,
    UploadState,
    VerificationState,
    Worker,
    WorkerCategory,
)
from .complaint import (
    Complaint,
    ComplaintAttachment,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintState,
)
from .coverage import (
    CoverageEstimate,
    OfficialCategory,
    OfficialCount,
    OfficialCountUpload,
    Target,
)
from .enrolment import (
    AT_BPJS_STATES,
    BLOCKING_STATES,
    DECIDED_STATES,
    OPEN_ENROLMENT_STATES,
    OWN_ACCOUNT_CHANNELS,
    BpjsUpload,
    BpjsUploadKind,
    ContributionPayment,
    EnrolmentChannel,
    EnrolmentRequest,
    EnrolmentState,
    FundedBatch,
    FundedBatchMember,
    FunderType,
    FundingSource,
    Membership,
    MembershipState,
)
from .identity import (
    HEAD_ROLES,
    ROLE_AGENCY,
    STAFF_ROLES,
    Agency,
    LoginSession,
    LoginThrottle,
    PasswordReset,
    Role,
    User,
)
from .informal import (
    AgentArea,
    BatchContinuation,
    CashCollection,
    CollectionState,
    ContinuationChoice,
    MemberNotice,
    Occupation,
)
from .outreach import (
    CLOSED_COMPLIANCE_STATES,
    ComplianceCase,
    ComplianceCaseWorker,
    ComplianceState,
    ComplianceStep,
    OutreachEvent,
    Referral,
    ReferralState,
    outreach_event_businesses,
)
from .reference import DayOff, ProgrammeRequirement, RateValue, Region, Sector, Setting
from .reprimand import (
    Notification,
    Reprimand,
    ReprimandEvent,
    ReprimandState,
    reprimand_complaints,
    reprimand_enrolments,
)

__all__ = [name for name in dir() if not name.startswith("_")]
