"""harness.py: black-box API tests against a real ltci server.

Each test class gets a fresh database on the engine named by LTCI_TEST_ENGINE ("sqlite" or "pgsql"), loaded with
the demo data, and its own `ltci serve` on a free loopback port. PostgreSQL databases are created in the
throw-away cluster that the CTest fixture started (scripts/pgtest.sh; its URL is in $LTCI_TEST_PGDIR/url).
Only the Python standard library is used.
"""
import glob
import http.client
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
import unittest
import urllib.parse
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("LTCI_SOURCE_DIR") or os.path.abspath(os.path.join(HERE, "..", ".."))
BIN = os.environ.get("LTCI_BIN") or os.path.join(SOURCE_DIR, "build", "ltci")
ENGINE = os.environ.get("LTCI_TEST_ENGINE", "sqlite")
PGDIR = os.environ.get("LTCI_TEST_PGDIR") or os.path.join(SOURCE_DIR, "build", "pgtest")
SCHEME = os.path.join(SOURCE_DIR, "schemes", "zhoushan.json")
DEMO_PASSWORD = "Demo@2026"

# The demo accounts (svc/demo.c) and their roles.
DEMO_USERS = {
    "admin": "admin", "bureau": "bureau", "bureau_lj": "bureau", "auditor": "auditor", "intake": "intake",
    "coordinator": "coordinator", "coord_hw": "coordinator", "assessor": "assessor", "expert": "expert",
    "committee": "committee", "nurse": "nurse", "provider_admin": "provider_admin", "caregiver": "caregiver",
    "dept": "dept", "applicant": "applicant",
}
# One demo account for each role.
ROLE_USER = {
    "admin": "admin", "bureau": "bureau", "auditor": "auditor", "intake": "intake", "coordinator": "coordinator",
    "assessor": "assessor", "expert": "expert", "committee": "committee", "nurse": "nurse",
    "provider_admin": "provider_admin", "caregiver": "caregiver", "dept": "dept", "applicant": "applicant",
}
ROLES = list(ROLE_USER)


def _psql():
    for path in sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"), reverse=True):
        return path
    return shutil.which("psql") or "psql"


class Database:
    """A fresh, empty database on the test engine."""

    def __init__(self):
        self.engine = ENGINE
        self.tmp = tempfile.mkdtemp(prefix="ltci-test-")
        if self.engine == "sqlite":
            self.path = os.path.join(self.tmp, "test.db")
            self.url = "sqlite:" + self.path
        elif self.engine == "pgsql":
            with open(os.path.join(PGDIR, "url")) as f:
                base = f.read().strip()
            q = urllib.parse.parse_qs(urllib.parse.urlparse(base).query)
            self.pg_host, self.pg_port = q["host"][0], q["port"][0]
            self.name = "t_" + uuid.uuid4().hex[:16]
            self._psql("postgres", "CREATE DATABASE %s" % self.name)
            self.url = "postgresql:///%s?host=%s&port=%s&user=postgres" % (self.name, self.pg_host, self.pg_port)
        else:
            raise RuntimeError("unknown LTCI_TEST_ENGINE %r" % self.engine)

    def _psql(self, dbname, sql):
        out = subprocess.run([_psql(), "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-P", "null=\\N", "-h", self.pg_host,
                              "-p", self.pg_port, "-U", "postgres", "-d", dbname, "-c", sql],
                             capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            raise RuntimeError("psql failed: %s" % out.stderr)
        return out.stdout

    def sql(self, statement):
        """Run SQL directly on the database, bypassing the application (for tampering and checks).
        Returns the rows as lists of strings."""
        if self.engine == "sqlite":
            con = sqlite3.connect(self.path, timeout=30)
            try:
                cur = con.execute(statement)
                rows = [[None if v is None else str(v) for v in row] for row in cur.fetchall()]
                con.commit()
                return rows
            finally:
                con.close()
        text = self._psql(self.name, statement)
        return [[None if v == "\\N" else v for v in line.split("\t")] for line in text.splitlines() if line]

    def drop(self):
        if self.engine == "pgsql":
            try:
                self._psql("postgres", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.name)
            except RuntimeError:
                pass
        shutil.rmtree(self.tmp, ignore_errors=True)


def run_cli(*args, db=None, stdin=None, env=None, timeout=120):
    """Run the ltci binary; returns CompletedProcess with text output."""
    cmd = [BIN] + list(args)
    if db is not None:
        cmd += ["--db", db.url]
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=timeout, env=e, cwd=SOURCE_DIR)


class Server:
    """`ltci serve` on a free loopback port."""

    def __init__(self, db, env=None, scheme=SCHEME, name="server"):
        self.db = db
        self.log_path = os.path.join(db.tmp, name + ".log")
        e = dict(os.environ)
        e.update(env or {})
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--db", db.url, "--listen", "127.0.0.1:0", "--scheme", scheme,
             "--web", os.path.join(SOURCE_DIR, "web", "dist"), "--threads", "4", "--data", os.path.join(db.tmp, "data")],
            stdout=subprocess.PIPE, stderr=self.log, text=True, env=e, cwd=SOURCE_DIR)
        deadline = time.time() + 30
        self.port = None
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", line)
            if m:
                self.port = int(m.group(1))
                break
        if not self.port:
            self.stop()
            with open(self.log_path) as f:
                raise RuntimeError("server did not start:\n" + f.read())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.log.close()

    def log_text(self):
        with open(self.log_path) as f:
            return f.read()


class Response:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw
        try:
            self.json = json.loads(raw.decode("utf-8")) if raw else None
        except (ValueError, UnicodeDecodeError):
            self.json = None

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    @property
    def error(self):
        return (self.json or {}).get("error") or {}

    def __repr__(self):
        return "<Response %d %s>" % (self.status, self.raw[:300])


class Client:
    """An HTTP client holding one session cookie (or an API token) and the session's CSRF token."""

    def __init__(self, server, token=None):
        self.port = server.port
        self.cookie = None
        self.csrf = None
        self.token = token

    def request(self, method, path, body=None, raw=None, content_type="application/json", headers=None,
                csrf=True):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        h = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body).encode("utf-8")
        if data is not None and content_type:
            h.setdefault("Content-Type", content_type)
        if self.cookie:
            h.setdefault("Cookie", "ltci_session=" + self.cookie)
        if self.token:
            h.setdefault("Authorization", "Bearer " + self.token)
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h.setdefault("X-CSRF-Token", self.csrf)
        try:
            conn.request(method, path, body=data, headers=h)
            resp = conn.getresponse()
            raw_body = resp.read()
            headers_list = resp.getheaders()
            status = resp.status
        finally:
            conn.close()
        r = Response(status, headers_list, raw_body)
        for k, v in headers_list:
            if k.lower() == "set-cookie" and v.startswith("ltci_session="):
                value = v.split(";", 1)[0].split("=", 1)[1]
                self.cookie = value or None
        if isinstance(r.json, dict) and r.json.get("csrf_token"):
            self.csrf = r.json["csrf_token"]
        return r

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def login(self, username, password=DEMO_PASSWORD):
        return self.post("/api/v1/session", {"username": username, "password": password})


class LtciTestCase(unittest.TestCase):
    """Base class: a fresh demo database and server per test class."""

    server_env = {}
    # A class may serve a variant of the demo scheme: a dict of {"section.key": value} overrides written to a
    # temporary copy (the demo data itself is always made with the stock scheme).
    scheme_overrides = None

    @classmethod
    def scheme_path(cls):
        if not cls.scheme_overrides:
            return SCHEME
        with open(SCHEME, encoding="utf-8") as f:
            doc = json.load(f)
        for dotted, value in cls.scheme_overrides.items():
            node = doc
            keys = dotted.split(".")
            for k in keys[:-1]:
                node = node[k]
            node[keys[-1]] = value
        path = os.path.join(cls.db.tmp, "scheme.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
        return path

    @classmethod
    def setUpClass(cls):
        cls.db = Database()
        try:
            out = run_cli("demo", db=cls.db)
            if out.returncode != 0:
                raise RuntimeError("ltci demo failed: %s %s" % (out.stdout, out.stderr))
            cls.server = Server(cls.db, env=cls.server_env, scheme=cls.scheme_path())
        except Exception:
            cls.db.drop()
            raise
        cls._clients = {}

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        log = cls.server.log_text()
        cls.db.drop()
        # A sanitizer build reports memory errors and leaks in the server's log at exit: that fails the class.
        if "Sanitizer" in log or "runtime error:" in log:
            raise AssertionError("sanitizer report in the server log:\n" + log[-6000:])

    def new_client(self, token=None):
        return Client(self.server, token=token)

    def login(self, username, password=DEMO_PASSWORD):
        """A new client signed in as username (asserts success)."""
        c = self.new_client()
        r = c.login(username, password)
        self.assertEqual(r.status, 201, r)
        return c

    def as_user(self, username):
        """A signed-in client for username, reused across the class's tests."""
        c = self._clients.get(username)
        if c is None or c.get("/api/v1/me").status != 200:
            c = self.login(username)
            self._clients[username] = c
        return c

    def assertError(self, r, status, code=None, field=None):
        self.assertEqual(r.status, status, r)
        self.assertIsInstance(r.json, dict, r)
        self.assertIn("error", r.json, r)
        self.assertIsInstance(r.error.get("message"), str, r)
        self.assertTrue(r.error["message"], r)
        if code is not None:
            self.assertEqual(r.error.get("code"), code, r)
        if field is not None:
            self.assertEqual(r.error.get("field"), field, r)

    def audit_rows(self, **filters):
        """Audit rows (newest first) read straight from the database."""
        where = " AND ".join("%s = '%s'" % (k, str(v).replace("'", "''")) for k, v in filters.items())
        rows = self.db.sql("SELECT id, action, outcome, username, target_type, target_id, detail FROM audit_log"
                           + (" WHERE " + where if where else "") + " ORDER BY id DESC")
        return [dict(zip(["id", "action", "outcome", "username", "target_type", "target_id", "detail"], r))
                for r in rows]
