"""The route x role table of the ratings, complaints and attendance routes (merged into test_roles.EXPECTED)."""
from harness import ROLES

ALL = set(ROLES)
RATING_READ = {"bureau", "auditor", "provider_admin"}
COMPLAINT_READ = {"bureau", "auditor", "coordinator", "provider_admin", "applicant"}
COMPLAINT_HANDLE = {"bureau", "coordinator"}
ATTEST_READ = {"bureau", "auditor", "nurse", "coordinator", "provider_admin", "applicant"}
PRESENCE_READ = {"bureau", "auditor", "coordinator", "provider_admin"}

EXPECTED_FEEDBACK = {
    ("GET", "/api/v1/feedback/options"): ALL,
    ("GET", "/api/v1/ratings"): RATING_READ,
    ("GET", "/api/v1/ratings/summary"): RATING_READ,
    ("GET", "/api/v1/ratings/:token"): "public",
    ("POST", "/api/v1/ratings/:token"): "public",
    ("POST", "/api/v1/visits/:id/rating"): {"applicant"},
    ("GET", "/api/v1/complaints"): COMPLAINT_READ,
    ("POST", "/api/v1/complaints"): {"bureau", "coordinator", "applicant"},
    ("GET", "/api/v1/complaints/:id"): COMPLAINT_READ,
    ("POST", "/api/v1/complaints/:id/notes"): {"bureau", "coordinator", "provider_admin"},
    ("POST", "/api/v1/complaints/:id/reply"): COMPLAINT_HANDLE,
    ("POST", "/api/v1/complaints/:id/close"): COMPLAINT_HANDLE,
    ("GET", "/api/v1/care-plans/:id/attestations"): ATTEST_READ,
    ("POST", "/api/v1/care-plans/:id/attestations"): {"bureau", "nurse", "applicant"},
    ("GET", "/api/v1/presence"): PRESENCE_READ,
    ("POST", "/api/v1/presence"): {"bureau", "provider_admin"},
}
