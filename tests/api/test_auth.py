"""Sign-in, sessions, CSRF, password changes, must-change-password gating, throttling and expiry."""
import time
import unittest

from harness import DEMO_PASSWORD, LtciTestCase


class TestLogin(LtciTestCase):
    def test_login_sets_httponly_strict_cookie_and_returns_csrf(self):
        c = self.new_client()
        r = c.login("bureau")
        self.assertEqual(r.status, 201, r)
        cookie = r.header("Set-Cookie")
        self.assertTrue(cookie.startswith("ltci_session="), cookie)
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        self.assertIn("Path=/", cookie)
        self.assertNotIn("Secure", cookie)  # plain HTTP here
        self.assertEqual(r.json["user"]["username"], "bureau")
        self.assertEqual(r.json["user"]["role"], "bureau")
        self.assertEqual(len(r.json["csrf_token"]), 64)
        self.assertNotIn("password_hash", r.raw.decode())
        me = c.get("/api/v1/me")
        self.assertEqual(me.status, 200, me)
        self.assertEqual(me.json["user"]["username"], "bureau")
        self.assertEqual(me.json["csrf_token"], r.json["csrf_token"])

    def test_session_token_is_stored_hashed(self):
        c = self.login("expert")
        rows = self.db.sql("SELECT token_hash FROM sessions")
        hashes = [row[0] for row in rows]
        self.assertNotIn(c.cookie, hashes)
        self.assertTrue(all(len(h) == 64 for h in hashes))

    def test_wrong_password_and_unknown_user_look_the_same(self):
        c = self.new_client()
        a = c.login("committee", "Wrong@2026x")
        b = c.login("nobody_here", "Wrong@2026x")
        self.assertError(a, 401, "unauthenticated")
        self.assertError(b, 401, "unauthenticated")
        self.assertEqual(a.error["message"], b.error["message"])
        self.assertIsNone(a.header("Set-Cookie"))
        rows = self.audit_rows(action="session.login", outcome="failed")
        reasons = " ".join(r["detail"] for r in rows)
        self.assertIn("wrong_password", reasons)
        self.assertIn("unknown_user", reasons)
        # failed attempts are found by the name that was tried
        r = self.as_user("auditor").get("/api/v1/audit?username=committee&action=session.login&outcome=failed")
        self.assertEqual(r.json["total"], 1, r)
        self.assertEqual((r.json["items"][0]["actor_kind"], r.json["items"][0]["user_id"]), ("anonymous", None))
        self.assertNotIn("Wrong@2026x", str(r.json))

    def test_previous_login_is_kept(self):
        first = self.login("dept").get("/api/v1/me").json["user"]
        second = self.login("dept").get("/api/v1/me").json["user"]
        self.assertEqual(second["previous_login_at"], first["last_login_at"])
        self.assertGreaterEqual(second["last_login_at"], first["last_login_at"])

    def test_login_validation(self):
        c = self.new_client()
        self.assertError(c.post("/api/v1/session", {"username": "admin"}), 400, "validation", "password")
        self.assertError(c.post("/api/v1/session", {"username": 5, "password": "x"}), 400, "validation", "username")
        self.assertError(c.post("/api/v1/session", {"username": "admin", "password": "x", "extra": 1}), 400,
                         "validation", "extra")

    def test_no_cookie_is_401_and_bad_cookie_is_cleared(self):
        c = self.new_client()
        self.assertError(c.get("/api/v1/me"), 401, "unauthenticated")
        c.cookie = "forged-value"
        r = c.get("/api/v1/me")
        self.assertError(r, 401, "unauthenticated")
        self.assertIn("Max-Age=0", r.header("Set-Cookie"))

    def test_logout_ends_the_session(self):
        c = self.login("nurse")
        old = c.cookie
        r = c.delete("/api/v1/session")
        self.assertEqual(r.status, 200, r)
        self.assertIn("Max-Age=0", r.header("Set-Cookie"))
        c.cookie = old
        self.assertError(c.get("/api/v1/me"), 401)
        self.assertEqual(self.audit_rows(action="session.logout")[0]["outcome"], "ok")

    def test_csrf_header_required_for_mutations(self):
        c = self.login("admin")
        body = {"parent_id": 1, "code": "339904", "name": "CSRF测试区"}
        r = c.post("/api/v1/areas", body, csrf=False)
        self.assertError(r, 403, "forbidden", "X-CSRF-Token")
        r = c.post("/api/v1/areas", body, headers={"X-CSRF-Token": "0" * 64})
        self.assertError(r, 403, "forbidden", "X-CSRF-Token")
        self.assertEqual(self.db.sql("SELECT COUNT(*) FROM areas WHERE code = '339904'"), [["0"]])
        row = self.audit_rows(action="area.create")[0]
        self.assertEqual(row["outcome"], "denied")
        # GET needs no CSRF header
        self.assertEqual(c.get("/api/v1/areas", csrf=False).status, 200)


class TestPasswords(LtciTestCase):
    def create_user(self, username, password="Start#2026a", must_change=True, role="intake"):
        admin = self.as_user("admin")
        street = self.db.sql("SELECT id FROM areas WHERE code = '339902001'")[0][0]
        r = admin.post("/api/v1/users", {
            "username": username, "display_name": "测试用户", "role": role,
            "scope": {"kind": "street", "id": int(street)}, "password": password,
            "must_change_password": must_change})
        self.assertEqual(r.status, 201, r)
        return r.json

    def test_must_change_password_gates_everything_else(self):
        self.create_user("newbie1")
        c = self.login("newbie1", "Start#2026a")
        self.assertTrue(c.get("/api/v1/me").json["must_change_password"])
        self.assertError(c.get("/api/v1/areas"), 403, "forbidden", "password")
        r = c.put("/api/v1/me/password", {"current_password": "Start#2026a", "new_password": "Fresh#2026b"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(c.get("/api/v1/areas").status, 200)
        self.assertFalse(c.get("/api/v1/me").json["must_change_password"])
        self.assertEqual(self.new_client().login("newbie1", "Start#2026a").status, 401)
        self.assertEqual(self.new_client().login("newbie1", "Fresh#2026b").status, 201)

    def test_password_policy(self):
        self.create_user("newbie2", must_change=False)
        c = self.login("newbie2", "Start#2026a")
        cases = [
            ({"current_password": "Wrong#2026a", "new_password": "Fresh#2026b"}, "current_password"),
            ({"current_password": "Start#2026a", "new_password": "short1A"}, "new_password"),
            ({"current_password": "Start#2026a", "new_password": "alllowercase"}, "new_password"),
            ({"current_password": "Start#2026a", "new_password": "xnewbie2X#1"}, "new_password"),
            ({"current_password": "Start#2026a", "new_password": "Start#2026a"}, "new_password"),
            ({"current_password": "Start#2026a", "new_password": "A" * 129 + "a1"}, "new_password"),
        ]
        before = self.db.sql("SELECT password_hash FROM users WHERE username = 'newbie2'")
        for body, field in cases:
            self.assertError(c.put("/api/v1/me/password", body), 400, "validation", field)
        self.assertEqual(self.db.sql("SELECT password_hash FROM users WHERE username = 'newbie2'"), before)

    def test_changing_password_ends_other_sessions(self):
        self.create_user("newbie3", must_change=False)
        a = self.login("newbie3", "Start#2026a")
        b = self.login("newbie3", "Start#2026a")
        r = a.put("/api/v1/me/password", {"current_password": "Start#2026a", "new_password": "Fresh#2026b"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(a.get("/api/v1/me").status, 200)
        self.assertError(b.get("/api/v1/me"), 401)

    def test_passwords_are_argon2id(self):
        self.create_user("newbie4", must_change=False)
        h = self.db.sql("SELECT password_hash FROM users WHERE username = 'newbie4'")[0][0]
        self.assertTrue(h.startswith("$argon2id$"), h)

    def test_disabled_account_cannot_sign_in_and_loses_sessions(self):
        u = self.create_user("newbie5", must_change=False)
        c = self.login("newbie5", "Start#2026a")
        admin = self.as_user("admin")
        r = admin.patch("/api/v1/users/%d" % u["id"], {"status": "disabled"})
        self.assertEqual(r.status, 200, r)
        self.assertError(c.get("/api/v1/me"), 401)
        self.assertError(self.new_client().login("newbie5", "Start#2026a"), 401)


class TestLockout(LtciTestCase):
    server_env = {"LTCI_LOGIN_LOCK": "3"}

    def test_account_locks_after_five_failures_then_unlocks(self):
        c = self.new_client()
        for i in range(5):
            self.assertError(c.login("coordinator", "Wrong#%d2026" % i), 401)
        r = c.login("coordinator")  # right password, but locked
        self.assertError(r, 429, "rate_limited")
        self.assertTrue(r.header("Retry-After"))
        self.assertEqual(self.audit_rows(action="session.login")[0]["outcome"], "denied")
        time.sleep(3.2)
        self.assertEqual(c.login("coordinator").status, 201)

    def test_admin_unlocks(self):
        c = self.new_client()
        for i in range(5):
            c.login("coord_hw", "Wrong#%d2026" % i)
        self.assertError(c.login("coord_hw"), 429)
        admin = self.as_user("admin")
        uid = int(self.db.sql("SELECT id FROM users WHERE username = 'coord_hw'")[0][0])
        self.assertTrue(admin.get("/api/v1/users/%d" % uid).json["locked"])
        r = admin.post("/api/v1/users/%d/unlock" % uid)
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json["locked"])
        self.assertEqual(c.login("coord_hw").status, 201)

    def test_success_resets_the_failure_count(self):
        c = self.new_client()
        for _ in range(2):
            for i in range(4):
                self.assertError(c.login("assessor", "Wrong#%d2026" % i), 401)
            self.assertEqual(c.login("assessor").status, 201)


class TestAddressThrottle(LtciTestCase):
    def test_many_failures_from_one_address_get_429(self):
        c = self.new_client()
        statuses = [c.login("ghost%d" % i, "Wrong#2026x").status for i in range(30)]
        self.assertEqual(statuses, [401] * 30)
        r = c.login("admin")  # even a correct password is refused while the address is throttled
        self.assertError(r, 429, "rate_limited")
        self.assertGreater(int(r.header("Retry-After")), 0)
        self.assertIn("address_throttled", self.audit_rows(action="session.login")[0]["detail"])


class TestExpiry(LtciTestCase):
    server_env = {"LTCI_SESSION_IDLE": "2", "LTCI_SESSION_MAX": "5"}

    def test_idle_expiry(self):
        c = self.login("bureau")
        time.sleep(2.5)
        r = c.get("/api/v1/me")
        self.assertError(r, 401, "unauthenticated")
        self.assertEqual(self.db.sql("SELECT COUNT(*) FROM sessions WHERE user_id = "
                                     "(SELECT id FROM users WHERE username = 'bureau')"), [["0"]])

    def test_activity_keeps_session_alive_until_absolute_expiry(self):
        # the session's five seconds count from its creation, somewhere between start and signed (a sign-in can take
        # a second on a loaded machine under the sanitizers)
        start = time.time()
        c = self.login("auditor")
        signed = time.time()
        while time.time() - start < 3.5:
            self.assertEqual(c.get("/api/v1/me").status, 200)
            time.sleep(0.4)
        time.sleep(max(0.0, signed + 5.3 - time.time()))
        self.assertError(c.get("/api/v1/me"), 401)


if __name__ == "__main__":
    unittest.main()
