"""The command line: help and usage errors, settings precedence, migrate, demo, user, scheme check, and the
server's refusal to start on an invalid scheme or a database newer than the binary."""
import json
import os
import re
import subprocess
import unittest

from harness import BIN, SCHEME, SOURCE_DIR, Database, LtciTestCase, run_cli

COMMANDS = ["serve", "migrate", "user", "area", "demo", "scheme", "audit", "version", "help", "settle"]


class TestCliBasics(unittest.TestCase):
    def test_help_lists_every_command(self):
        out = run_cli("help")
        self.assertEqual(out.returncode, 0)
        for c in COMMANDS:
            self.assertRegex(out.stdout, r"\n  %s\s" % c)

    def test_each_command_has_help(self):
        for args in (["serve"], ["migrate"], ["user"], ["area"], ["area", "add"], ["demo"], ["scheme"], ["audit"], ["version"],
                     ["user", "add"], ["user", "list"], ["user", "passwd"], ["audit", "verify"], ["scheme", "check"],
                     ["settle"], ["settle", "run"]):
            with self.subTest(args=args):
                out = run_cli(*(args + ["--help"]))
                self.assertEqual(out.returncode, 0, out.stderr)
                self.assertIn("usage: ltci", out.stdout)

    def test_bad_flags_exit_2_with_usage(self):
        for args in (["serve", "--bogus"], ["migrate", "--nope"], ["demo", "-x"], ["user", "add", "--role"],
                     ["user", "frobnicate"], ["audit", "verify", "--what"], ["scheme"], ["scheme", "check"],
                     ["version", "extra"], ["frobnicate"], ["migrate", "stray-arg"], ["serve", "--listen", "nope"],
                     ["settle"], ["settle", "run"], ["settle", "run", "--what"], ["settle", "pay"],
                     ["settle", "run", "--month", "2025-01", "extra"]):
            with self.subTest(args=args):
                out = run_cli(*args)
                self.assertEqual(out.returncode, 2, out.stdout + out.stderr)
                self.assertIn("usage: ltci", out.stderr)

    def test_version(self):
        out = run_cli("version")
        self.assertEqual(out.returncode, 0)
        self.assertRegex(out.stdout, r"^ltci \d+\.\d+\.\d+\n$")


class TestCliDatabase(unittest.TestCase):
    def setUp(self):
        self.db = Database()

    def tearDown(self):
        self.db.drop()

    def test_migrate_is_idempotent(self):
        first = run_cli("migrate", db=self.db)
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertRegex(first.stdout, r"schema at version \d+ \([1-9]\d* migrations? applied\)")
        second = run_cli("migrate", db=self.db)
        self.assertEqual(second.returncode, 0, second.stderr)
        self.assertIn("(0 migrations applied)", second.stdout)

    def test_newer_database_is_refused(self):
        run_cli("migrate", db=self.db)
        self.db.sql("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)")
        out = run_cli("migrate", db=self.db)
        self.assertEqual(out.returncode, 1)
        self.assertIn("newer than this program", out.stderr)
        out = run_cli("serve", "--listen", "127.0.0.1:0", "--scheme", SCHEME, db=self.db)
        self.assertEqual(out.returncode, 1)
        self.assertIn("newer than this program", out.stderr)

    def test_serve_refuses_an_unmigrated_database(self):
        out = run_cli("serve", "--listen", "127.0.0.1:0", "--scheme", SCHEME, db=self.db)
        self.assertEqual(out.returncode, 1)
        self.assertIn("run 'ltci migrate'", out.stderr)

    def test_demo_refuses_non_empty_without_force(self):
        self.assertEqual(run_cli("demo", db=self.db).returncode, 0)
        out = run_cli("demo", db=self.db)
        self.assertEqual(out.returncode, 1)
        self.assertIn("--force", out.stderr)
        self.db.sql("UPDATE areas SET name = '改过的名字' WHERE parent_id IS NULL")
        out = run_cli("demo", "--force", db=self.db)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(self.db.sql("SELECT name FROM areas WHERE parent_id IS NULL"), [["江海市"]])
        # a fresh trail: the demo load, its two contribution runs, then its settled month and the city's size
        actions = [a for (a,) in self.db.sql("SELECT action FROM audit_log ORDER BY id")]
        self.assertEqual(actions[:4], ["demo.load", "contributions.run", "contributions.run", "settlement.run"])
        self.assertEqual(set(actions[4:]), {"settlement.claim", "settlement.first_review", "settlement.second_review",
                                            "settlement.approve", "demo.city_size"})
        for username in ("admin", "auditor", "provider_admin", "applicant"):
            self.assertIn("  " + username, out.stdout)
        self.assertIn("Demo@2026", out.stdout)

    def test_user_add_list_passwd(self):
        run_cli("demo", db=self.db)
        out = run_cli("user", "add", "--username", "ops_chen", "--role", "bureau", "--scope", "district:339902",
                      "--name", "陈运维", stdin="Ops#2026chen\n", db=self.db)
        self.assertEqual(out.returncode, 0, out.stderr)
        out = run_cli("user", "add", "--username", "ops_two", "--role", "caregiver", stdin="Ops#2026two\n",
                      db=self.db)
        self.assertEqual(out.returncode, 1)  # a caregiver needs a provider scope
        self.assertIn("scope", out.stderr)
        out = run_cli("user", "add", "--username", "ops_three", "--role", "bureau", stdin="weak\n", db=self.db)
        self.assertEqual(out.returncode, 1)
        self.assertIn("password", out.stderr)
        out = run_cli("user", "add", "--username", "x1", "--role", "emperor", stdin="Ops#2026x1\n", db=self.db)
        self.assertEqual(out.returncode, 2)
        out = run_cli("user", "list", db=self.db)
        self.assertEqual(out.returncode, 0)
        line = [l for l in out.stdout.splitlines() if " ops_chen " in l][0]
        self.assertIn("bureau", line)
        self.assertIn("临江区", line)
        self.assertNotIn("ops_three", out.stdout)
        out = run_cli("user", "passwd", "ops_chen", stdin="Next#2026chen\n", db=self.db)
        self.assertEqual(out.returncode, 0, out.stderr)
        out = run_cli("user", "passwd", "nobody", stdin="Next#2026chen\n", db=self.db)
        self.assertEqual(out.returncode, 1)
        actions = [r[0] for r in self.db.sql("SELECT action FROM audit_log WHERE username = 'system:cli' ORDER BY id")]
        self.assertEqual(actions, ["user.create", "user.password.reset"])
        self.assertEqual(run_cli("audit", "verify", db=self.db).returncode, 0)

    def test_new_installation_region_then_first_admin(self):
        self.assertEqual(run_cli("migrate", db=self.db).returncode, 0)
        out = run_cli("user", "add", "--username", "first", "--role", "admin", stdin="Chief#2026ad\n", db=self.db)
        self.assertEqual(out.returncode, 1)
        self.assertIn("no pooling region", out.stderr)
        out = run_cli("area", "add", "--code", "330900", "--name", "舟山市", db=self.db)
        self.assertEqual(out.returncode, 0, out.stderr)
        out = run_cli("area", "add", "--code", "330902", "--name", "定海区", "--parent", "330900", db=self.db)
        self.assertEqual(out.returncode, 0, out.stderr)
        out = run_cli("area", "add", "--code", "330903", "--name", "普陀区", "--parent", "999999", db=self.db)
        self.assertEqual(out.returncode, 1)
        out = run_cli("area", "add", "--code", "12", "--name", "坏代码", "--parent", "330900", db=self.db)
        self.assertEqual(out.returncode, 1)
        self.assertIn("code", out.stderr)
        self.assertEqual(run_cli("area", "add", "--code", "330904", db=self.db).returncode, 2)
        out = run_cli("user", "add", "--username", "first", "--role", "admin", "--must-change",
                      stdin="Chief#2026ad\n", db=self.db)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(self.db.sql("SELECT must_change_password FROM users WHERE username = 'first'"), [["1"]])
        self.assertEqual(run_cli("audit", "verify", db=self.db).returncode, 0)

    def test_settings_from_environment(self):
        out = run_cli("migrate", env={"LTCI_DB": self.db.url})
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertTrue(self.db.sql("SELECT COUNT(*) FROM schema_migrations")[0][0] != "0")
        # a flag beats the environment
        out = run_cli("migrate", "--db", "sqlite:/nonexistent-dir/x/y.db", env={"LTCI_DB": self.db.url})
        self.assertEqual(out.returncode, 1)


class TestSchemeCheck(unittest.TestCase):
    def test_shipped_schemes_are_valid(self):
        for name in ("zhoushan.json", "shanghai.json"):
            out = run_cli("scheme", "check", os.path.join(SOURCE_DIR, "schemes", name))
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
            self.assertIn("valid scheme", out.stdout)

    def broken_scheme(self, tmpdir):
        with open(SCHEME) as f:
            doc = json.load(f)
        doc["periods"]["appeal_days"] = -3
        doc["levels"][2]["name"] = 5
        doc["region"]["code"] = "33"
        doc["colour"] = "blue"
        del doc["eligibility"]
        path = os.path.join(tmpdir, "broken.json")
        with open(path, "w") as f:
            json.dump(doc, f)
        return path

    def test_every_error_with_its_path(self):
        db = Database()
        try:
            path = self.broken_scheme(db.tmp)
            out = run_cli("scheme", "check", path)
            self.assertEqual(out.returncode, 1)
            for p in ("$.periods.appeal_days", "$.levels[2].name", "$.region.code", "$.colour", "$.eligibility"):
                self.assertRegex(out.stdout, r"(?m)^%s: " % re.escape(p))
            self.assertIn("5 problems", out.stderr)
            # the server refuses to start on it, printing the same paths
            run_cli("migrate", db=db)
            out = run_cli("serve", "--listen", "127.0.0.1:0", "--scheme", path, db=db)
            self.assertEqual(out.returncode, 1)
            self.assertIn("$.periods.appeal_days", out.stderr)
            out = run_cli("scheme", "check", os.path.join(db.tmp, "missing.json"))
            self.assertEqual(out.returncode, 1)
            with open(os.path.join(db.tmp, "bad.json"), "w") as f:
                f.write("{not json")
            out = run_cli("scheme", "check", os.path.join(db.tmp, "bad.json"))
            self.assertEqual(out.returncode, 1)
            self.assertIn("not valid JSON", out.stdout)
        finally:
            db.drop()


if __name__ == "__main__":
    unittest.main()
