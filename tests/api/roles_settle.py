"""The route x role table of the settlement routes (merged into test_roles.EXPECTED)."""
from harness import ROLES

ALL = set(ROLES)
BUREAU = {"bureau"}
# statements: the bureau and auditors (their area), provider staff (their own provider's, once published)
READERS = {"bureau", "auditor", "provider_admin"}
# payments, the fund, the supplementary insurance roster
STAFF = {"bureau", "auditor"}

EXPECTED_SETTLE = {
    ("GET", "/api/v1/settlement/rules"): ALL,
    ("POST", "/api/v1/settlement/runs"): BUREAU,
    ("GET", "/api/v1/settlement/months"): READERS,
    ("GET", "/api/v1/settlement/statements"): READERS,
    ("GET", "/api/v1/settlement/statements/:id"): READERS,
    ("GET", "/api/v1/settlement/statements/:id/items"): READERS,
    ("GET", "/api/v1/settlement/statements/:id/xlsx"): READERS,
    ("POST", "/api/v1/settlement/statements/:id/claim"): BUREAU,
    ("POST", "/api/v1/settlement/statements/:id/first-review"): BUREAU,
    ("POST", "/api/v1/settlement/statements/:id/second-review"): BUREAU,
    ("POST", "/api/v1/settlement/statements/:id/approve"): BUREAU,
    ("POST", "/api/v1/settlement/statements/:id/reopen"): BUREAU,
    ("GET", "/api/v1/settlement/items/:id"): READERS,
    ("GET", "/api/v1/settlement/lines/:id"): READERS,
    ("POST", "/api/v1/settlement/lines/:id/objections"): {"provider_admin"},
    ("GET", "/api/v1/settlement/objections"): READERS,
    ("POST", "/api/v1/settlement/objections/:id/answer"): BUREAU,
    ("GET", "/api/v1/settlement/adjustments"): READERS,
    ("POST", "/api/v1/settlement/adjustments"): BUREAU,
    ("POST", "/api/v1/settlement/adjustments/:id/cancel"): BUREAU,
    ("GET", "/api/v1/settlement/payments"): STAFF,
    ("POST", "/api/v1/settlement/payments"): BUREAU,
    ("GET", "/api/v1/settlement/payments/:id"): STAFF,
    ("GET", "/api/v1/settlement/payments/:id/xlsx"): STAFF,
    ("GET", "/api/v1/settlement/payments/:id/csv"): STAFF,
    ("POST", "/api/v1/settlement/payments/:id/paid"): BUREAU,
    ("GET", "/api/v1/fund/months"): STAFF,
    ("GET", "/api/v1/supplementary-policies"): STAFF,
    ("POST", "/api/v1/supplementary-policies"): BUREAU,
}
