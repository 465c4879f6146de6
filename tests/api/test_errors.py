"""Bad input of every kind gets a clear JSON error naming the problem and changes nothing; limits hold; the
server survives; the static web app is served safely; PostgreSQL connections are re-established."""
import os
import socket
import unittest

from harness import ENGINE, SOURCE_DIR, LtciTestCase, run_cli


class TestErrors(LtciTestCase):
    def setUp(self):
        self.admin = self.as_user("admin")
        self.areas_before = self.db.sql("SELECT COUNT(*) FROM areas")

    def tearDown(self):
        self.assertEqual(self.db.sql("SELECT COUNT(*) FROM areas"), self.areas_before)
        self.assertEqual(self.new_client().get("/healthz").status, 200)

    def post_raw(self, raw, content_type="application/json", path="/api/v1/areas"):
        return self.admin.request("POST", path, raw=raw, content_type=content_type)

    def test_oversized_body_413(self):
        r = self.post_raw(b"{" + b" " * (2 * 1024 * 1024) + b"}")
        self.assertError(r, 413, "too_large", "body")

    def test_huge_content_length_is_refused_without_reading(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        s.sendall(b"POST /api/v1/areas HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 900000000\r\n\r\n{")
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
            if b"}}" in data:
                break
        s.close()
        self.assertTrue(data.startswith(b"HTTP/1.1 413"), data[:200])

    def test_malformed_json_400(self):
        for raw in (b"{", b'{"name": }', b"{'a':1}", b"nul", b'{"a":1}x'):
            with self.subTest(raw=raw):
                self.assertError(self.post_raw(raw), 400, "validation", "body")

    def test_non_object_and_empty_bodies(self):
        for raw in (b"[]", b'"text"', b"42", b"null", b""):
            with self.subTest(raw=raw):
                self.assertError(self.post_raw(raw), 400, "validation")

    def test_duplicate_keys_400(self):
        r = self.post_raw(b'{"parent_id":1,"code":"339906","name":"a","name":"b"}')
        self.assertError(r, 400, "validation", "body")

    def test_deep_nesting_400(self):
        raw = b'{"name":' + b"[" * 5000 + b"]" * 5000 + b"}"
        self.assertError(self.post_raw(raw), 400, "validation", "body")
        raw = b'{"name":"' + b"[" * 5000 + b'"}'  # brackets inside a string are not nesting: the name is too long
        self.assertError(self.post_raw(raw), 400, "validation", "name")

    def test_invalid_utf8_400(self):
        r = self.post_raw(b'{"parent_id":1,"code":"339906","name":"\xff\xfe"}')
        self.assertError(r, 400, "validation", "body")
        r = self.post_raw(b'{"parent_id":1,"code":"339906","name":"\xed\xa0\x80"}')  # a surrogate
        self.assertError(r, 400, "validation", "body")

    def test_wrong_content_type_415(self):
        for ct in ("text/plain", "application/x-www-form-urlencoded", "application/jsonp", None):
            with self.subTest(ct=ct):
                r = self.post_raw(b'{"parent_id":1,"code":"339906","name":"x"}', content_type=ct)
                self.assertError(r, 415, "unsupported_media_type", "Content-Type")
        r = self.post_raw(b'{"parent_id":1}', content_type="application/json; charset=utf-8")
        self.assertEqual(r.status, 400, r)  # accepted as JSON, then fails validation

    def test_wrong_types_and_unknown_fields(self):
        cases = [
            (b'{"parent_id":"1","code":"339906","name":"x"}', "parent_id"),
            (b'{"parent_id":1.5,"code":"339906","name":"x"}', "parent_id"),
            (b'{"parent_id":1,"code":339906,"name":"x"}', "code"),
            (b'{"parent_id":1,"code":"339906","name":["x"]}', "name"),
            (b'{"parent_id":1,"code":"339906","name":"x","admin":true}', "admin"),
            (b'{"parent_id":1,"code":"339906","name":"x\\u0000y"}', "body"),
            (b'{"parent_id":-4,"code":"339906","name":"x"}', "parent_id"),
            (b'{"parent_id":99999999999999999999,"code":"339906","name":"x"}', None),
        ]
        for raw, field in cases:
            with self.subTest(raw=raw):
                self.assertError(self.post_raw(raw), 400, "validation", field)

    def test_sql_metacharacters_are_just_text(self):
        street = int(self.db.sql("SELECT id FROM areas WHERE code = '339903101'")[0][0])
        nasty = "x'); DROP TABLE areas; --"
        r = self.admin.post("/api/v1/areas", {"parent_id": street, "code": "339903101299", "name": nasty})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.admin.get("/api/v1/areas/%d" % r.json["id"]).json["name"], nasty)
        r2 = self.admin.get("/api/v1/areas?q=" + "%27%20OR%201%3D1%20--")
        self.assertEqual(r2.json["items"], [])
        self.assertEqual(self.admin.delete("/api/v1/areas/%d" % r.json["id"]).status, 200)

    def test_unknown_route_404_and_method_405(self):
        self.assertError(self.admin.get("/api/v1/nothing-here"), 404, "not_found")
        self.assertError(self.admin.get("/api/v2/areas"), 404, "not_found")
        r = self.admin.request("PUT", "/api/v1/areas")
        self.assertError(r, 405, "method_not_allowed")
        self.assertEqual(r.header("Allow"), "GET, POST")
        self.assertError(self.admin.request("OPTIONS", "/api/v1/me"), 405)

    def test_body_on_a_route_without_one(self):
        r = self.admin.request("POST", "/api/v1/users/1/unlock", raw=b'{"x":1}')
        self.assertError(r, 400, "validation", "body")

    def test_query_limits(self):
        self.assertError(self.admin.get("/api/v1/areas?q=" + "a" * 300), 400, "validation", "q")
        self.assertError(self.admin.get("/api/v1/areas?" + "&".join("q%d=1" % i for i in range(40))), 400,
                         "validation")
        self.assertError(self.admin.get("/api/v1/areas?q=%FF%FE"), 400, "validation")
        self.assertError(self.admin.get("/api/v1/areas?q=%0A"), 400, "validation", "q")
        self.assertError(self.admin.get("/api/v1/areas?x" * 1), 400, "validation", "x")
        self.assertError(self.admin.get("/api/v1/areas?q=" + "a" * 3000), 400, "validation", "q")
        self.assertError(self.admin.get("/api/v1/" + "a" * 3000), 400, "validation", "url")

    def test_header_flood_does_not_hurt(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"X-Junk: " + b"a" * 100000 + b"\r\n\r\n")
        try:
            data = s.recv(4096)
        except ConnectionResetError:
            data = b""
        s.close()
        self.assertFalse(data.startswith(b"HTTP/1.1 200"), data[:100])

    def test_security_headers(self):
        r = self.admin.get("/api/v1/me")
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        self.assertEqual(r.header("Cache-Control"), "no-store")
        self.assertEqual(r.header("X-Frame-Options"), "DENY")
        self.assertTrue(r.header("Content-Type").startswith("application/json"))

    def test_audit_chain_survives_all_this(self):
        out = run_cli("audit", "verify", db=self.db)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)

    def test_logs_hold_no_secrets(self):
        c = self.new_client()
        c.login("admin", "Secret#Pass2026")
        log = self.server.log_text()
        self.assertNotIn("Secret#Pass2026", log)
        self.assertNotIn(self.admin.cookie, log)
        self.assertNotIn(self.admin.csrf, log)
        self.assertIn("event=http method=POST path=/api/v1/session status=401", log)


@unittest.skipUnless(os.path.exists(os.path.join(SOURCE_DIR, "web", "dist", "index.html")), "web app not built")
class TestStatic(LtciTestCase):
    def test_index_and_spa_fallback(self):
        c = self.new_client()
        r = c.get("/")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.header("Content-Type").startswith("text/html"))
        self.assertIn("default-src 'self'", r.header("Content-Security-Policy"))
        self.assertEqual(c.get("/users").raw, r.raw)
        self.assertEqual(c.get("/areas/12").raw, r.raw)
        self.assertEqual(c.get("/assets/missing-file.js").status, 404)

    def test_no_escape_from_the_web_root(self):
        for path in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/../../CMakeLists.txt"):
            s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
            s.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            s.close()
            self.assertNotIn(b"root:", data)
            self.assertNotIn(b"cmake_minimum_required", data)

    def test_only_get_for_files(self):
        self.assertEqual(self.new_client().request("POST", "/index.html", raw=b"x").status, 405)


@unittest.skipUnless(ENGINE == "pgsql", "PostgreSQL only")
class TestReconnect(LtciTestCase):
    def test_lost_connections_are_reestablished(self):
        c = self.login("bureau")
        self.assertEqual(c.get("/api/v1/areas").status, 200)
        killed = self.db.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        self.assertTrue(killed)
        for _ in range(8):  # every worker thread meets its dead connection once
            r = c.get("/api/v1/areas")
            self.assertEqual(r.status, 200, r)
        self.assertEqual(c.get("/readyz").status, 200)


if __name__ == "__main__":
    unittest.main()
