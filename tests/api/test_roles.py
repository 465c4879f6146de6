"""Every route x every role: 401 without credentials, 403 for roles not allowed, past the role check for the others.

EXPECTED is this test's own statement of who may call what. The server's route table (GET /api/v1/routes) must
match it exactly, so a route added to the server without being added here fails this test.
"""
import unittest

from harness import ROLE_USER, ROLES, LtciTestCase

ALL = set(ROLES)
ADMIN = {"admin"}
AUDIT = {"admin", "auditor"}
BUREAU = {"bureau"}
REG_READ = {"bureau", "auditor", "intake", "coordinator", "assessor", "expert", "committee", "nurse"}
REG_WRITE = {"bureau", "intake"}
FUND = {"bureau", "auditor"}
CASES = {"bureau", "auditor", "intake", "coordinator", "assessor", "expert", "committee"}
FIELD = {"assessor", "expert"}
POOL = {"bureau", "auditor", "committee"}
CERTS = {"bureau", "auditor", "intake", "coordinator", "committee", "nurse"}
FOLLOW_READ = {"bureau", "auditor", "coordinator"}
FOLLOW_WRITE = {"bureau", "coordinator"}
STATS = {"bureau", "auditor", "coordinator", "committee"}
CG_READ = {"bureau", "auditor", "nurse", "coordinator", "provider_admin"}
CG_WRITE = {"bureau", "provider_admin"}
PLAN_WRITE = {"bureau", "nurse"}
PLAN_READ = {"bureau", "auditor", "nurse", "coordinator", "provider_admin", "applicant"}
PUBLIC = "public"

# (method, pattern) -> roles allowed, or PUBLIC
EXPECTED = {
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/readyz"): PUBLIC,
    ("POST", "/api/v1/session"): PUBLIC,
    ("DELETE", "/api/v1/session"): ALL,
    ("GET", "/api/v1/me"): ALL,
    ("PUT", "/api/v1/me/password"): ALL,
    ("GET", "/api/v1/routes"): ADMIN,
    ("GET", "/api/v1/roles"): ALL,
    ("GET", "/api/v1/scheme"): ALL,
    ("GET", "/api/v1/providers"): ALL,
    ("POST", "/api/v1/providers"): BUREAU,
    ("GET", "/api/v1/providers/:id"): ALL,
    ("PATCH", "/api/v1/providers/:id"): BUREAU,
    ("POST", "/api/v1/providers/:id/status"): BUREAU,
    ("GET", "/api/v1/providers/:id/handover"): FUND,
    ("POST", "/api/v1/providers/:id/agreements"): BUREAU,
    ("PATCH", "/api/v1/agreements/:id"): BUREAU,
    ("POST", "/api/v1/agreements/:id/terminate"): BUREAU,
    ("GET", "/api/v1/caregivers"): CG_READ,
    ("POST", "/api/v1/caregivers"): {"bureau", "provider_admin", "nurse"},
    ("GET", "/api/v1/caregivers/stats"): {"bureau", "auditor", "provider_admin"},
    ("GET", "/api/v1/caregivers/:id"): CG_READ,
    ("PATCH", "/api/v1/caregivers/:id"): CG_WRITE,
    ("POST", "/api/v1/caregivers/:id/certificates"): CG_WRITE,
    ("POST", "/api/v1/caregivers/:id/employment"): CG_WRITE,
    ("POST", "/api/v1/caregivers/:id/status"): BUREAU,
    ("GET", "/api/v1/caregivers/:id/qualification"): CG_READ,
    ("GET", "/api/v1/care/catalogue"): ALL,
    ("POST", "/api/v1/care-plans/check"): PLAN_WRITE,
    ("GET", "/api/v1/care-plans"): PLAN_READ,
    ("POST", "/api/v1/care-plans"): PLAN_WRITE,
    ("GET", "/api/v1/care-plans/:id"): PLAN_READ,
    ("PUT", "/api/v1/care-plans/:id"): PLAN_WRITE,
    ("POST", "/api/v1/care-plans/:id/confirm"): {"bureau", "nurse", "applicant"},
    ("POST", "/api/v1/care-plans/:id/cancel"): PLAN_WRITE,
    ("POST", "/api/v1/care-plans/:id/end"): PLAN_WRITE,
    ("GET", "/api/v1/persons/:id/provider-options"): {"bureau", "nurse", "coordinator", "applicant"},
    ("PUT", "/api/v1/users/:id/persons"): ADMIN,
    ("GET", "/api/v1/visits/rules"): ALL,
    ("GET", "/api/v1/care-plans/:id/patterns"): {"bureau", "auditor", "nurse", "coordinator", "provider_admin"},
    ("PUT", "/api/v1/care-plans/:id/patterns"): {"bureau", "provider_admin"},
    ("POST", "/api/v1/visits/schedule"): {"bureau", "provider_admin"},
    ("POST", "/api/v1/visits/checkin"): {"caregiver"},
    ("POST", "/api/v1/visits/checkout"): {"caregiver"},
    ("GET", "/api/v1/visits/map"): FUND,
    ("GET", "/api/v1/visits/plans-today"): {"caregiver"},
    ("GET", "/api/v1/visits/exceptions/summary"): {"bureau", "auditor", "nurse", "coordinator", "provider_admin"},
    ("GET", "/api/v1/visits/:id/audio"): {"bureau", "auditor", "provider_admin"},
    ("GET", "/api/v1/visits"): {"bureau", "auditor", "nurse", "coordinator", "provider_admin", "caregiver", "applicant"},
    ("POST", "/api/v1/visits"): {"bureau", "provider_admin"},
    ("GET", "/api/v1/visits/:id"): {"bureau", "auditor", "nurse", "coordinator", "provider_admin", "caregiver",
                                    "applicant"},
    ("PATCH", "/api/v1/visits/:id"): {"bureau", "provider_admin"},
    ("POST", "/api/v1/visits/:id/reassign"): {"bureau", "provider_admin"},
    ("POST", "/api/v1/visits/:id/cancel"): {"bureau", "provider_admin"},
    ("POST", "/api/v1/visits/:id/audio"): {"caregiver"},
    ("POST", "/api/v1/visits/:id/explain"): {"provider_admin"},
    ("POST", "/api/v1/visits/:id/decision"): BUREAU,
    ("POST", "/api/v1/visits/:id/unlock"): BUREAU,
    ("GET", "/api/v1/users"): ADMIN,
    ("POST", "/api/v1/users"): ADMIN,
    ("GET", "/api/v1/users/:id"): ADMIN,
    ("PATCH", "/api/v1/users/:id"): ADMIN,
    ("POST", "/api/v1/users/:id/password"): ADMIN,
    ("POST", "/api/v1/users/:id/unlock"): ADMIN,
    ("GET", "/api/v1/areas"): ALL,
    ("POST", "/api/v1/areas"): ADMIN,
    ("GET", "/api/v1/areas/:id"): ALL,
    ("PATCH", "/api/v1/areas/:id"): ADMIN,
    ("DELETE", "/api/v1/areas/:id"): ADMIN,
    ("GET", "/api/v1/tokens"): ADMIN,
    ("POST", "/api/v1/tokens"): ADMIN,
    ("DELETE", "/api/v1/tokens/:id"): ADMIN,
    ("GET", "/api/v1/persons"): REG_READ,
    ("POST", "/api/v1/persons"): REG_WRITE,
    ("GET", "/api/v1/persons/:id"): REG_READ,
    ("PATCH", "/api/v1/persons/:id"): REG_WRITE,
    ("POST", "/api/v1/persons/:id/enrolments"): BUREAU,
    ("PUT", "/api/v1/persons/:id/death"): BUREAU,
    ("POST", "/api/v1/persons/:id/hospital-stays"): BUREAU,
    ("POST", "/api/v1/contributions/runs"): BUREAU,
    ("GET", "/api/v1/fund/summary"): FUND,
    ("GET", "/api/v1/fund/ledger"): FUND,
    ("POST", "/api/v1/imports"): BUREAU,
    ("GET", "/api/v1/imports"): FUND,
    ("GET", "/api/v1/imports/:id"): FUND,
    ("GET", "/api/v1/imports/:id/rejects"): FUND,
    ("GET", "/api/v1/assessment/form"): ALL,
    ("GET", "/api/v1/applications"): CASES,
    ("POST", "/api/v1/applications"): REG_WRITE,
    ("GET", "/api/v1/applications/:id"): CASES,
    ("POST", "/api/v1/applications/:id/materials"): REG_WRITE,
    ("GET", "/api/v1/applications/:id/materials/:mid"): CASES,
    ("POST", "/api/v1/applications/:id/prescreen"): REG_WRITE,
    ("POST", "/api/v1/applications/:id/withdraw"): REG_WRITE,
    ("POST", "/api/v1/applications/:id/assign"): BUREAU,
    ("GET", "/api/v1/applications/:id/draws"): CASES,
    ("POST", "/api/v1/applications/:id/assessment"): FIELD,
    ("POST", "/api/v1/applications/:id/review"): {"committee"},
    ("POST", "/api/v1/applications/:id/confirm"): {"expert", "committee"},
    ("POST", "/api/v1/applications/:id/certify"): BUREAU,
    ("GET", "/api/v1/assessors"): POOL,
    ("POST", "/api/v1/assessors"): BUREAU,
    ("PATCH", "/api/v1/assessors/:id"): BUREAU,
    ("GET", "/api/v1/certifications"): CERTS,
    ("GET", "/api/v1/shared/certifications"): {"dept"},
    ("POST", "/api/v1/followups/samples"): BUREAU,
    ("GET", "/api/v1/followups"): FOLLOW_READ,
    ("PATCH", "/api/v1/followups/:id"): FOLLOW_WRITE,
    ("GET", "/api/v1/assessment/stats"): STATS,
    ("GET", "/api/v1/notices"): FUND,
    ("GET", "/api/v1/audit"): AUDIT,
    ("GET", "/api/v1/audit/verify"): AUDIT,
}

# The ratings, complaints and attendance routes are listed in their own file.
from roles_feedback import EXPECTED_FEEDBACK  # noqa: E402
EXPECTED.update(EXPECTED_FEEDBACK)
# The settlement routes likewise.
from roles_settle import EXPECTED_SETTLE  # noqa: E402
EXPECTED.update(EXPECTED_SETTLE)

# Routes that only a signed-in person may call, never an API token.
SESSION_ONLY = {("DELETE", "/api/v1/session"), ("PUT", "/api/v1/me/password"), ("POST", "/api/v1/tokens"),
                ("DELETE", "/api/v1/tokens/:id")}

# POSTs that compute and change nothing: not audited unless denied.
READONLY = {("POST", "/api/v1/care-plans/check")}

MISSING_ID = "987654"


def probe(method, pattern):
    """A request that passes the role check without changing anything: mutations get an empty or invalid body
    (400) or a missing id (404)."""
    path = pattern.replace(":id", MISSING_ID).replace(":mid", MISSING_ID)
    body = None
    if method in ("POST", "PUT", "PATCH"):
        body = {}
    if pattern == "/api/v1/users/:id/unlock":
        body = None
    if pattern in ("/api/v1/imports", "/api/v1/applications/:id/materials", "/api/v1/visits/:id/audio"):
        body = None  # an upload: no body with a JSON type -> 415 once past the role check
    return method, path, body


class TestRouteRoleMatrix(LtciTestCase):
    def test_route_table_matches_expected(self):
        r = self.as_user("admin").get("/api/v1/routes")
        self.assertEqual(r.status, 200, r)
        actual = {}
        for item in r.json["items"]:
            key = (item["method"], item["pattern"])
            self.assertNotIn(key, actual, "route listed twice: %s" % (key,))
            actual[key] = PUBLIC if item["public"] else set(item["roles"])
            if (item["method"], item["pattern"]) in SESSION_ONLY:
                self.assertTrue(item["session_only"], key)
            if item["method"] not in ("GET", "HEAD") and not item["public"] and not item["readonly"]:
                self.assertTrue(item["action"], "mutating route without an audit action: %s" % (key,))
            self.assertEqual(item["readonly"], key in READONLY, key)
        self.assertEqual(set(actual), set(EXPECTED), "routes differ from the test's matrix")
        for key, roles in EXPECTED.items():
            self.assertEqual(actual[key], roles, "roles of %s %s" % key)

    def test_without_credentials(self):
        c = self.new_client()
        for (method, pattern), roles in EXPECTED.items():
            m, path, body = probe(method, pattern)
            r = c.request(m, path, body=body)
            if roles == PUBLIC:
                self.assertNotIn(r.status, (401, 403), (method, pattern, r))
            else:
                self.assertError(r, 401, "unauthenticated")

    def test_every_role_on_every_route(self):
        for role in ROLES:
            username = ROLE_USER[role]
            c = self.login(username)
            for (method, pattern), roles in sorted(EXPECTED.items()):
                if roles == PUBLIC:
                    continue
                if (method, pattern) == ("DELETE", "/api/v1/session"):
                    continue  # checked below with a throw-away session
                m, path, body = probe(method, pattern)
                r = c.request(m, path, body=body)
                with self.subTest(role=role, route="%s %s" % (method, pattern)):
                    if role in roles:
                        self.assertNotIn(r.status, (401, 403), r)
                        self.assertLess(r.status, 500, r)
                    else:
                        self.assertError(r, 403, "forbidden")
            throwaway = self.login(username)
            self.assertEqual(throwaway.delete("/api/v1/session").status, 200)

    def test_denials_are_audited(self):
        c = self.login("nurse")
        r = c.post("/api/v1/users", {"username": "x"})
        self.assertError(r, 403)
        row = self.audit_rows(action="user.create")[0]
        self.assertEqual(row["outcome"], "denied")
        self.assertEqual(row["username"], "nurse")

    def test_api_token_roles(self):
        admin = self.as_user("admin")
        region = int(self.db.sql("SELECT id FROM areas WHERE parent_id IS NULL")[0][0])
        tokens = {}
        for role in ("dept", "admin", "auditor"):
            r = admin.post("/api/v1/tokens", {"name": "矩阵测试-" + role, "role": role,
                                              "scope": {"kind": "region", "id": region}})
            self.assertEqual(r.status, 201, r)
            tokens[role] = r.json["token"]
        for role, token in tokens.items():
            c = self.new_client(token=token)
            for (method, pattern), roles in sorted(EXPECTED.items()):
                if roles == PUBLIC:
                    continue
                m, path, body = probe(method, pattern)
                r = c.request(m, path, body=body)
                with self.subTest(token_role=role, route="%s %s" % (method, pattern)):
                    if role in roles and (method, pattern) not in SESSION_ONLY:
                        self.assertNotIn(r.status, (401, 403), r)
                    else:
                        self.assertError(r, 403, "forbidden")


if __name__ == "__main__":
    unittest.main()
