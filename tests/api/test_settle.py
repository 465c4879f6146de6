"""Monthly settlement on both engines: a month from visits to payment (amounts hand-computed below, per the Zhoushan
scheme's rules in docs/SCHEMES.md), re-runs of a draft, the steps and who may take them (two different reviewers),
immutability of approved statements (the service's 409 and the database's triggers), adjustments carried by a later
month with the recoveries posted as income, the fund ledger, exports, a provider's view of its own statements only,
and bad input refused with the field named and nothing changed.

The demo itself has its last full month settled and approved; these tests build their own providers, beneficiaries
and visits in early 2025, before any demo plan starts, so the hand-computed figures are the only ones involved."""
import calendar
import csv
import datetime
import io
import json
import unittest

from harness import LtciTestCase, run_cli
from test_registry import make_id

# Zhoushan (schemes/zhoushan.json): home 1,280 yuan a month and 3 visits a week; family 780 + 500 to the relative and
# 2 visits a week; institution 1,400; 舟惠保 32 yuan a month at home, 60 in an institution; assistance 400.
HOME, FAMILY_VISITS, FAMILY_ALLOWANCE, INSTITUTION = 128000, 78000, 50000, 140000
ZHB_HOME, ASSIST = 3200, 40000


def unix(day, hour=9):
    """Unix seconds of hour:00 Asia/Shanghai on day."""
    return calendar.timegm(day.timetuple()) - 8 * 3600 + hour * 3600


class Settlement(LtciTestCase):
    seq = 0

    def one(self, sql):
        return self.db.sql(sql)[0][0]

    def insert(self, sql):
        return int(self.one(sql + " RETURNING id"))

    def fixture(self, year, month, kind="home_care"):
        """A provider of its own with five beneficiaries of level 4 and their month of visits:
        A home, the whole month, 13 visits, assistance recipient and 舟惠保 holder;
        B home from the 12th (20 days of a 31-day month), 8 visits and 1 by an unqualified caregiver, 舟惠保;
        C home, in hospital from the 10th to the 15th (5 bed days: 26 entitled), 9 visits and 1 rejected;
        D family care, the whole month, 9 visits, attested;
        E institutional care, died on the 20th."""
        Settlement.seq += 1
        n = Settlement.seq
        now = 1700000000
        street = int(self.one("SELECT id FROM areas WHERE code = '339902001'"))
        nbh = int(self.one("SELECT id FROM areas WHERE code = '339902001001'"))
        code = "T%03d" % n
        prov = self.insert("INSERT INTO providers (code, name, area_id, status, kind, created_at, updated_at)"
                           " VALUES ('%s', '结算测试护理站%d', %d, 'active', '%s', %d, %d)"
                           % (code, n, street, kind, now, now))
        agr = self.insert("INSERT INTO agreements (provider_id, number, valid_from, valid_until, modes, capacity,"
                          " status, created_by, created_at, updated_at) VALUES (%d, 'JS-T-%d', '2024-01-01',"
                          " '2027-12-31', 'home,family,institution', 100, 'active', 'test', %d, %d)"
                          % (prov, n, now, now))
        cg_ok = self.insert("INSERT INTO caregivers (id_number, name, sex, birth_date, kind, provider_id, status,"
                            " created_at, updated_at) VALUES ('%s', '合格护理员', 'F', '1970-01-01', 'staff', %d,"
                            " 'active', %d, %d)" % (make_id("33990519700101%03d" % (100 + n)), prov, now, now))
        cg_bad = self.insert("INSERT INTO caregivers (id_number, name, sex, birth_date, kind, provider_id, status,"
                             " created_at, updated_at) VALUES ('%s', '证书过期护理员', 'F', '1971-01-01', 'staff', %d,"
                             " 'active', %d, %d)" % (make_id("33990519710101%03d" % (100 + n)), prov, now, now))
        days = calendar.monthrange(year, month)[1]
        first = datetime.date(year, month, 1)
        people = {}
        for k, (key, mode) in enumerate([("A", "home"), ("B", "home"), ("C", "home"), ("D", "family"),
                                         ("E", "institution")]):
            pid = self.insert("INSERT INTO persons (id_number, id_last4, name, sex, birth_date, area_id, created_at,"
                              " updated_at) VALUES ('%s', '%04d', '结算%s%d', 'F', '1940-01-01', %d, %d, %d)"
                              % (make_id("33990219400101%03d" % (10 * n + k)), 10 * n + k, key, n, nbh, now, now))
            self.db.sql("INSERT INTO enrolments (person_id, category, assistance, sponsored, status, effective_from,"
                        " source, recorded_at) VALUES (%d, 'resident', %d, 0, 'active', '2020-01-01', 'manual', %d)"
                        % (pid, 1 if key == "A" else 0, now))
            app = self.insert("INSERT INTO applications (person_id, area_id, type, status, applicant_kind,"
                              " submitted_by, submitted_at, submitted_on, due_date, updated_at) VALUES (%d, %d,"
                              " 'first', 'certified', 'staff', 'test', %d, '2024-01-01', '2024-01-10', %d)"
                              % (pid, nbh, now, now))
            cert = self.insert("INSERT INTO certifications (person_id, application_id, level, level_name, qualifies,"
                               " concluded_on, published_until, appeal_until, valid_from, valid_until, status,"
                               " created_at, updated_at) VALUES (%d, %d, 4, '重度失能', 1, '2024-01-01', '2024-01-08',"
                               " '2024-02-01', '2024-01-01', '2026-12-31', 'certified', %d, %d)"
                               % (pid, app, now, now))
            start = first.replace(day=12) if key == "B" else datetime.date(2024, 6, 1)
            family = "NULL"
            if key == "D":
                family = str(self.insert(
                    "INSERT INTO caregivers (id_number, name, sex, birth_date, kind, person_id, relation,"
                    " training_hours, status, created_at, updated_at) VALUES ('%s', '亲情护理员', 'F', '1975-01-01',"
                    " 'family', %d, '子女', 40, 'active', %d, %d)"
                    % (make_id("33990619750101%03d" % (100 + n)), pid, now, now)))
            plan = self.insert("INSERT INTO care_plans (person_id, certification_id, level, mode, provider_id,"
                               " agreement_id, family_caregiver_id, visits_per_week, minutes_per_week, status,"
                               " effective_from, drafted_by, drafted_at, updated_at) VALUES (%d, %d, 4, '%s', %d, %d,"
                               " %s, %d, %d, 'active', '%s', 'test', %d, %d)"
                               % (pid, cert, mode, prov, agr, family, 3 if mode == "home" else 2,
                                  180 if mode == "home" else 120, start.isoformat(), now, now))
            people[key] = {"person": pid, "plan": plan}
        # the caregivers' certificates: one valid throughout, one expired before the month
        self.db.sql("INSERT INTO caregiver_employments (caregiver_id, provider_id, from_date) VALUES (%d, %d,"
                    " '2024-01-01'), (%d, %d, '2024-01-01')" % (cg_ok, prov, cg_bad, prov))
        self.db.sql("INSERT INTO caregiver_certificates (caregiver_id, kind, number, skill_level, issued_on,"
                    " expires_on, created_at) VALUES (%d, 'care_worker', 'JST%dA', 4, '2023-01-01', '2029-12-31', %d),"
                    " (%d, 'care_worker', 'JST%dB', 4, '2020-01-01', '2024-12-31', %d)"
                    % (cg_ok, n, now, cg_bad, n, now))
        # C in hospital from the 10th, discharged on the 15th; E died on the 20th
        self.db.sql("INSERT INTO hospital_stays (person_id, admitted, discharged, hospital, source, recorded_at)"
                    " VALUES (%d, '%s', '%s', '江海市人民医院', 'manual', %d)"
                    % (people["C"]["person"], first.replace(day=10), first.replace(day=15), now))
        self.db.sql("UPDATE persons SET death_date = '%s' WHERE id = %d" % (first.replace(day=20), people["E"]["person"]))
        # D's family-care attestation of the month
        self.db.sql("INSERT INTO family_attestations (plan_id, month, caregiver_days, beneficiary_name,"
                    " beneficiary_relation, method, visits_required, visits_done, recorded_by, recorded_at)"
                    " VALUES (%d, '%04d-%02d', %d, '家属', '子女', 'signature', 8, 9, 'nurse', %d)"
                    % (people["D"]["plan"], year, month, days, now))
        # the visits, as verification and the bureau left them
        plan_visits = {"A": [("ok", 13)], "B": [("ok", 8), ("unqualified", 1)], "C": [("ok", 9), ("rejected", 1)],
                       "D": [("ok", 9)]}
        rows = []
        for key, kinds in plan_visits.items():
            day = first.replace(day=13) if key == "B" else first
            for kind, count in kinds:
                for _ in range(count):
                    while key == "C" and 10 <= day.day <= 14:
                        day += datetime.timedelta(days=1)
                    state, reasons, review, cg = {"ok": ("verified", 0, "NULL", cg_ok),
                                                  "unqualified": ("exception", 1, "'open'", cg_bad),
                                                  "rejected": ("exception", 16, "'rejected'", cg_ok)}[kind]
                    mode = "family" if key == "D" else "home"
                    rows.append("(%d, %d, %d, %d, '%s', '%s', 'done', %d, %d, 60, '%s', %d, %s, 'test', %d, %d)"
                                % (people[key]["plan"], people[key]["person"], prov, cg, mode, day.isoformat(),
                                   unix(day), unix(day) + 3600, state, reasons, review, now, now))
                    day += datetime.timedelta(days=2)
        self.db.sql("INSERT INTO visits (plan_id, person_id, provider_id, caregiver_id, mode, visit_date, status,"
                    " checkin_at, checkout_at, minutes, verify_state, reasons, review_state, created_by, created_at,"
                    " updated_at) VALUES " + ", ".join(rows))
        # 舟惠保 for A and B, through the roster's route
        for key in ("A", "B"):
            r = self.as_user("bureau").post("/api/v1/supplementary-policies", {
                "person_id": people[key]["person"], "insurer": "舟惠保", "policy_no": "ZHB-T%d-%s" % (n, key),
                "valid_from": "%04d-01-01" % year, "valid_until": "%04d-12-31" % year})
            self.assertEqual(r.status, 201, r)
        return {"provider": prov, "code": code, "people": people, "month": "%04d-%02d" % (year, month)}

    def run_month(self, month, provider, user="bureau"):
        r = self.as_user(user).post("/api/v1/settlement/runs", {"month": month, "provider_id": provider})
        self.assertEqual(r.status, 200, r)
        return r.json

    def statement(self, month, provider):
        return int(self.one("SELECT id FROM settlement_statements WHERE month = '%s' AND provider_id = %d"
                            % (month, provider)))

    def items(self, sid, client=None):
        r = (client or self.as_user("bureau")).get("/api/v1/settlement/statements/%d/items?page_size=200" % sid)
        self.assertEqual(r.status, 200, r)
        return {i["person_id"]: i for i in r.json["items"]}

    def line(self, item, kind, source="fund", payee="provider"):
        found = [l for l in item["lines"] if l["kind"] == kind and l["source"] == source and l["payee"] == payee]
        self.assertEqual(len(found), 1, (kind, source, item["lines"]))
        return found[0]

    def approve(self, sid, entry_date=None):
        for path, user in (("claim", "bureau"), ("first-review", "bureau"), ("second-review", "bureau02")):
            r = self.as_user(user).post("/api/v1/settlement/statements/%d/%s" % (sid, path), {})
            self.assertEqual(r.status, 200, (path, r))
        r = self.as_user("bureau").post("/api/v1/settlement/statements/%d/approve" % sid,
                                        {"entry_date": entry_date} if entry_date else {})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["status"], "approved")
        return r.json

    def provider_admin(self, f):
        """An account of the fixture's provider (provider staff see only their own statements)."""
        username = "padmin_%s" % f["code"].lower()
        r = self.as_user("admin").post("/api/v1/users", {
            "username": username, "display_name": "结算专员", "role": "provider_admin",
            "scope": {"kind": "provider", "code": f["code"]}, "password": "Init#2026ab",
            "must_change_password": False})
        self.assertEqual(r.status, 201, r)
        return self.login(username, "Init#2026ab")

    def ledger_consistent(self):
        total = int(self.one("SELECT COALESCE(SUM(amount_fen), 0) FROM fund_ledger"))
        self.assertEqual(total, int(self.one("SELECT balance_fen FROM fund_head")))
        self.assertEqual(total, int(self.one("SELECT balance_fen FROM fund_ledger ORDER BY id DESC LIMIT 1")))
        out = run_cli("fund", "check", db=self.db)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        return total


class TestMonth(Settlement):
    def test_month_from_visits_to_payment(self):
        f = self.fixture(2025, 3)
        P = f["people"]
        bureau = self.as_user("bureau")
        out = self.run_month(f["month"], f["provider"])
        self.assertEqual((out["statements"], out["skipped"], out["items"]), (1, 0, 5))
        self.assertEqual(out["visits_settled"], 13 + 9 + 10 + 9)
        sid = self.statement(f["month"], f["provider"])
        items = self.items(sid)
        a, b, c, d, e = (items[P[k]["person"]] for k in "ABCDE")
        # A: a whole month, every visit: the fund's 1,280, 舟惠保's 32 and assistance's 400
        self.assertEqual((a["entitled_days"], a["required_visits"]), (31, 13))
        self.assertEqual(a["total_fen"], HOME + ZHB_HOME + ASSIST)
        self.assertEqual(self.line(a, "base", "assistance")["amount_fen"], ASSIST)
        # B: 20 of 31 days (128,000 x 20 / 31 = 82,580.65 -> 82,581), required 3 x 20 / 7 = 8.57 -> 9; the
        # unqualified visit costs a ninth of each source: 9,175.67 -> 9,176 and 2,064.52 -> 2,065, / 9 -> 229
        self.assertEqual((b["entitled_days"], b["required_visits"], b["visits"]["unqualified"]), (20, 9, 1))
        self.assertEqual(self.line(b, "base")["amount_fen"], 82581)
        self.assertEqual(self.line(b, "deduction_unqualified")["amount_fen"], -9176)
        self.assertEqual(self.line(b, "base", "supplementary")["amount_fen"], 2065)
        self.assertEqual(self.line(b, "deduction_unqualified", "supplementary")["amount_fen"], -229)
        self.assertEqual(b["total_fen"], 75241)
        # C: bed days 10th-14th out (26 entitled): 128,000 x 26 / 31 = 107,354.84 -> 107,355; required 3 x 26 / 7
        # = 11.14 -> 11; 9 payable, 1 rejected: short 2 = 1 rejected + 1 missing, 107,355 / 11 = 9,759.55 -> 9,760
        self.assertEqual((c["entitled_days"], c["hospital_days"], c["required_visits"]), (26, 5, 11))
        self.assertEqual(self.line(c, "deduction_rejected")["amount_fen"], -9760)
        self.assertEqual(self.line(c, "shortfall")["amount_fen"], -9760)
        self.assertEqual(c["total_fen"], 107355 - 2 * 9760)
        # D: family care: 780 of visits (2 x 31 / 7 = 8.86 -> 9 required, 9 made) + 500 to the relative
        self.assertEqual(d["required_visits"], 9)
        self.assertEqual(self.line(d, "base")["amount_fen"], FAMILY_VISITS)
        fam = [l for l in d["lines"] if l["payee"] == "family_caregiver"]
        self.assertEqual([l["amount_fen"] for l in fam], [FAMILY_ALLOWANCE])
        # E: died on the 20th, the day counted: 140,000 x 20 / 31 = 90,322.58 -> 90,323
        self.assertEqual((e["entitled_days"], e["total_fen"]), (20, 90323))
        total = HOME + ZHB_HOME + ASSIST + 75241 + 87835 + FAMILY_VISITS + FAMILY_ALLOWANCE + 90323
        st = bureau.get("/api/v1/settlement/statements/%d" % sid).json
        self.assertEqual((st["status"], st["total_fen"], st["beneficiaries"]), ("draft", total, 5))
        self.assertEqual(st["by_source"], {"fund": HOME + 73405 + 87835 + FAMILY_VISITS + FAMILY_ALLOWANCE + 90323,
                                           "supplementary": ZHB_HOME + 1836, "assistance": ASSIST})
        self.assertEqual(st["by_payee"]["family_caregiver"], FAMILY_ALLOWANCE)
        self.assertEqual((st["visits"]["payable"], st["visits"]["rejected"], st["visits"]["unqualified"]),
                         (39, 1, 1))
        # the quality line: no credit grade, the default 1.000, amount 0; totals are the sums of the lines
        self.assertEqual([(l["kind"], l["rate_permille"], l["amount_fen"]) for l in st["statement_lines"]],
                         [("quality", 0, 0)])
        self.assertEqual(sum(int(x) for (x,) in self.db.sql(
            "SELECT amount_fen FROM settlement_lines WHERE statement_id = %d" % sid)), total)
        lst = bureau.get("/api/v1/settlement/statements?month=%s" % f["month"]).json
        self.assertEqual([s["id"] for s in lst["items"]], [sid])
        self.assertEqual(lst["totals"]["total_fen"], total)
        # the line behind B's unqualified deduction: that one visit; the base line's days: the 12th to the 31st
        line = bureau.get("/api/v1/settlement/lines/%d" % self.line(b, "deduction_unqualified")["id"]).json
        self.assertEqual([v["settled_as"] for v in line["visit_list"]], ["unqualified"])
        self.assertEqual(line["entitled_days_list"], list(range(12, 32)))
        item = bureau.get("/api/v1/settlement/items/%d" % c["id"]).json
        self.assertEqual(sorted(v["settled_as"] for v in item["visit_list"]), ["payable"] * 9 + ["rejected"])
        self.assertNotIn(10, item["entitled_days_list"])

        # published to the provider; it objects to C's rejected line, which holds the first review
        padmin = self.provider_admin(f)
        self.assertError(padmin.get("/api/v1/settlement/statements/%d" % sid), 404)  # a draft is internal
        r = bureau.post("/api/v1/settlement/statements/%d/claim" % sid, {})
        self.assertEqual(r.json["status"], "claimed", r)
        self.assertEqual(padmin.get("/api/v1/settlement/statements/%d" % sid).status, 200)
        rej = self.line(c, "deduction_rejected")
        self.assertError(padmin.post("/api/v1/settlement/lines/%d/objections" % rej["id"], {}), 400, field="reason")
        r = padmin.post("/api/v1/settlement/lines/%d/objections" % rej["id"],
                        {"reason": "该次服务因老人临时外出缩短，已补录说明", "claimed_fen": 0})
        self.assertEqual(r.status, 201, r)
        oid = r.json["objection_id"]
        self.assertError(bureau.post("/api/v1/settlement/statements/%d/first-review" % sid, {}), 409,
                         field="objections")
        self.assertError(bureau.post("/api/v1/settlement/objections/%d/answer" % oid, {"decision": "maybe",
                                                                                    "answer": "不成立"}), 400,
                         field="decision")
        r = bureau.post("/api/v1/settlement/objections/%d/answer" % oid,
                        {"decision": "dismissed", "answer": "经核查录音，服务时长不足，维持不予认可"})
        self.assertEqual(r.json["status"], "dismissed", r)
        # two reviews by two people
        self.assertEqual(bureau.post("/api/v1/settlement/statements/%d/first-review" % sid, {}).status, 200)
        self.assertError(bureau.post("/api/v1/settlement/statements/%d/second-review" % sid, {}), 403,
                         field="reviewer")
        self.assertEqual(self.one("SELECT status FROM settlement_statements WHERE id = %d" % sid), "first_reviewed")
        self.assertError(bureau.post("/api/v1/settlement/statements/%d/approve" % sid, {}), 409, field="status")
        self.assertEqual(self.as_user("bureau02").post("/api/v1/settlement/statements/%d/second-review" % sid,
                                                       {}).status, 200)
        # approval: entry date within the month .. today; the ledger gets the spending by source
        before = self.ledger_consistent()
        self.assertError(bureau.post("/api/v1/settlement/statements/%d/approve" % sid, {"entry_date": "2025-02-28"}),
                         400, field="entry_date")
        self.assertEqual(self.one("SELECT status FROM settlement_statements WHERE id = %d" % sid), "second_reviewed")
        r = bureau.post("/api/v1/settlement/statements/%d/approve" % sid, {"entry_date": "2025-03-31"})
        self.assertEqual((r.status, r.json["status"]), (200, "approved"), r)
        posted = dict(((k, s), int(a)) for k, s, a in self.db.sql(
            "SELECT kind, source, amount_fen FROM fund_ledger WHERE ref_type = 'settlement_statement'"
            " AND ref_id = '%d'" % sid))
        self.assertEqual(posted, {("spending", "fund"): -st["by_source"]["fund"],
                                  ("spending", "supplementary"): -st["by_source"]["supplementary"],
                                  ("income", "supplementary"): st["by_source"]["supplementary"],
                                  ("spending", "assistance"): -ASSIST, ("income", "assistance"): ASSIST})
        after = self.ledger_consistent()
        self.assertEqual(after - before, -st["by_source"]["fund"])  # the payers' shares come back as income
        fm = bureau.get("/api/v1/fund/months?from=2025-01&to=2025-04").json
        march = [m for m in fm["items"] if m["month"] == "2025-03"][0]
        self.assertEqual(march["spending"]["fund"], st["by_source"]["fund"])
        self.assertEqual(march["income_other"], ZHB_HOME + 1836 + ASSIST)
        s25 = bureau.get("/api/v1/fund/summary?year=2025").json
        self.assertEqual(s25["spending"]["fund"], st["by_source"]["fund"])
        self.assertEqual(s25["annualised"]["months_with_spending"], 1)
        self.assertEqual(s25["annualised"]["annual_spending"], 12 * st["by_source"]["fund"])
        # audited steps
        actions = [x["action"] for x in self.audit_rows(target_type="settlement_statement", target_id=str(sid))
                   if x["outcome"] == "ok"]
        self.assertEqual(actions[:4], ["settlement.approve", "settlement.second_review", "settlement.first_review",
                                       "settlement.claim"])

        # approved: nothing changes, neither through the service nor in the database
        again = self.run_month(f["month"], f["provider"])
        self.assertEqual((again["statements"], again["skipped"]), (0, 1))
        self.assertFalse(again["providers"][0]["run"])
        for path in ("claim", "reopen", "first-review"):
            body = {"reason": "重算"} if path == "reopen" else {}
            self.assertError(bureau.post("/api/v1/settlement/statements/%d/%s" % (sid, path), body), 409,
                             field="status")
        self.assertError(padmin.post("/api/v1/settlement/lines/%d/objections" % rej["id"], {"reason": "再次异议"}),
                         409, field="status")
        for sql in ("UPDATE settlement_lines SET amount_fen = amount_fen + 1 WHERE statement_id = %d" % sid,
                    "DELETE FROM settlement_lines WHERE statement_id = %d" % sid,
                    "UPDATE settlement_items SET total_fen = 0 WHERE statement_id = %d" % sid,
                    "UPDATE settlement_statements SET total_fen = 1 WHERE id = %d" % sid,
                    "UPDATE settlement_statements SET status = 'draft' WHERE id = %d" % sid,
                    "DELETE FROM settlement_statements WHERE id = %d" % sid,
                    "DELETE FROM settlement_visits WHERE item_id = %d" % a["id"],
                    "INSERT INTO settlement_lines (id, statement_id, item_id, seq, source, payee, kind, reason, unit,"
                    " quantity, unit_fen, divisor, rate_pm, amount_fen, balanced, label, reference) VALUES (999999, %d,"
                    " NULL, 9, 'fund', 'provider', 'adjustment', 'adjustment', 'item', 1, 100, 1, 1000, 100, 0, 'x',"
                    " 'y')" % sid):
            with self.subTest(sql=sql), self.assertRaises(Exception):
                self.db.sql(sql)
        self.assertEqual(int(self.one("SELECT total_fen FROM settlement_statements WHERE id = %d" % sid)), total)

        # payment: the month's approved statements, an .xlsx and the bank's CSV, then paid; the provider's account
        self.assertError(bureau.patch("/api/v1/providers/%d" % f["provider"], {"bank_account": "6222-ABCD"}), 400,
                         field="bank_account")
        r = bureau.patch("/api/v1/providers/%d" % f["provider"], {"bank_name": "江海农商银行望江支行",
                                                                 "bank_account": "6222 0201 0000 1234"})
        self.assertEqual(r.status, 200, r)
        self.assertError(bureau.post("/api/v1/settlement/payments", {"month": "2025-13"}), 400, field="month")
        r = bureau.post("/api/v1/settlement/payments", {"month": f["month"]})
        self.assertEqual(r.status, 201, r)
        pay = r.json
        self.assertEqual(([i["statement_id"] for i in pay["items"]], pay["total_fen"]), ([sid], total))
        self.assertError(bureau.post("/api/v1/settlement/payments", {"month": f["month"]}), 409, field="month")
        x = bureau.get("/api/v1/settlement/payments/%d/xlsx" % pay["id"])
        self.assertEqual(x.status, 200, x)
        self.assertIn("spreadsheetml", x.header("Content-Type"))
        self.assertEqual(x.raw[:2], b"PK")
        cv = bureau.get("/api/v1/settlement/payments/%d/csv" % pay["id"])
        self.assertEqual(cv.status, 200, cv)
        text = cv.raw.decode("utf-8")
        self.assertTrue(text.startswith("\ufeff"))
        rows = list(csv.reader(io.StringIO(text[1:])))
        self.assertEqual(rows[0][:5], ["序号", "收款账号", "收款户名", "开户银行", "金额"])
        self.assertEqual([(r[1], r[2], r[3], r[4], r[6]) for r in rows[1:]],
                         [("6222 0201 0000 1234", "结算测试护理站%d" % Settlement.seq, "江海农商银行望江支行",
                           "%d.%02d" % divmod(total, 100), st["number"])])
        self.assertEqual([x["action"] for x in self.audit_rows(target_type="settlement_payment",
                                                               target_id=str(pay["id"]))][:2],
                         ["settlement.payment_export", "settlement.payment_export"])
        self.assertError(bureau.post("/api/v1/settlement/payments/%d/paid" % pay["id"], {"paid_on": "2099-01-01",
                                                                                      "bank_reference": "B1"}),
                         400, field="paid_on")
        today = datetime.datetime.utcfromtimestamp(
            datetime.datetime.now(datetime.timezone.utc).timestamp() + 8 * 3600).date().isoformat()
        r = bureau.post("/api/v1/settlement/payments/%d/paid" % pay["id"], {"paid_on": today,
                                                                          "bank_reference": "ICBC20250410001"})
        self.assertEqual((r.status, r.json["status"]), (200, "paid"), r)
        self.assertEqual(self.one("SELECT status FROM settlement_statements WHERE id = %d" % sid), "paid")
        self.assertEqual(padmin.get("/api/v1/settlement/statements/%d" % sid).json["status"], "paid")
        sx = padmin.get("/api/v1/settlement/statements/%d/xlsx" % sid)
        self.assertEqual((sx.status, sx.raw[:2]), (200, b"PK"))

        # a correction after approval: adjustments carried by April, referring to the approved lines
        self.assertError(bureau.post("/api/v1/settlement/adjustments", {
            "month": "2025-03", "ref_line_id": self.line(a, "base")["id"], "amount_fen": -5000,
            "reason": "重复结算", "reference": "舟医保稽〔2025〕12号"}), 400, field="month")
        self.assertError(bureau.post("/api/v1/settlement/adjustments", {
            "month": "2025-04", "ref_line_id": self.line(a, "base")["id"], "amount_fen": -5000,
            "reference": "舟医保稽〔2025〕12号"}), 400, field="reason")
        self.assertError(bureau.post("/api/v1/settlement/adjustments", {
            "month": "2025-04", "amount_fen": -5000, "reason": "重复结算", "reference": "x号"}), 400,
            field="ref_line_id")
        self.assertEqual(int(self.one("SELECT COUNT(*) FROM settlement_adjustments")), 0)
        recovery = bureau.post("/api/v1/settlement/adjustments", {
            "month": "2025-04", "ref_line_id": self.line(a, "base")["id"], "amount_fen": -5000,
            "reason": "稽核发现3月有两次服务未实际提供，追回", "reference": "舟医保稽〔2025〕12号"})
        self.assertEqual(recovery.status, 201, recovery)
        self.assertEqual((recovery.json["source"], recovery.json["plan_id"]), ("fund", P["A"]["plan"]))
        fix = bureau.post("/api/v1/settlement/adjustments", {
            "month": "2025-04", "ref_line_id": rej["id"], "amount_fen": 9760,
            "reason": "复核认定该次服务有效，补付", "reference": "复核决定书2025-007"})
        self.assertEqual(fix.status, 201, fix)
        out = self.run_month("2025-04", f["provider"])
        sid4 = self.statement("2025-04", f["provider"])
        items4 = self.items(sid4)
        adj_a = self.line(items4[P["A"]["person"]], "adjustment")
        self.assertEqual((adj_a["amount_fen"], adj_a["ref_line_id"], adj_a["adjustment_id"]),
                         (-5000, self.line(a, "base")["id"], recovery.json["id"]))
        adj_c = self.line(items4[P["C"]["person"]], "adjustment")
        self.assertEqual((adj_c["amount_fen"], adj_c["ref_line_id"]), (9760, rej["id"]))
        # April has no visits: every home month is deducted to exactly 0; the family allowance is held (no
        # attestation); E is dead; so the statement is the two adjustments
        st4 = bureau.get("/api/v1/settlement/statements/%d" % sid4).json
        self.assertEqual(st4["total_fen"], -5000 + 9760, st4)
        self.assertEqual(st4["adjustments_fen"], 4760)
        ref = bureau.get("/api/v1/settlement/lines/%d" % self.line(a, "base")["id"]).json
        self.assertEqual([x["id"] for x in ref["adjustments"]], [recovery.json["id"]])
        self.approve(sid4, "2025-04-30")
        posted = dict(((k, s), int(a)) for k, s, a in self.db.sql(
            "SELECT kind, source, amount_fen FROM fund_ledger WHERE ref_type = 'settlement_statement'"
            " AND ref_id = '%d'" % sid4))
        self.assertEqual(posted, {("spending", "fund"): -9760, ("recovery", "fund"): 5000})
        self.assertEqual({x["status"] for x in bureau.get("/api/v1/settlement/adjustments?month=2025-04").json["items"]},
                         {"settled"})
        self.ledger_consistent()
        summary = bureau.get("/api/v1/fund/summary?year=2025").json
        self.assertEqual(summary["recoveries"], 5000)
        self.assertEqual(summary["spending"]["fund"], st["by_source"]["fund"] + 9760 - 5000)

    def test_rerun_replaces_a_draft(self):
        f = self.fixture(2025, 1)
        first = self.run_month(f["month"], f["provider"])
        sid = self.statement(f["month"], f["provider"])
        snap = lambda: (self.db.sql("SELECT total_fen, fund_fen, items, lines, beneficiaries FROM settlement_statements"  # noqa
                                    " WHERE id = %d" % sid),
                        self.db.sql("SELECT i.person_id, l.seq, l.kind, l.source, l.amount_fen FROM settlement_lines l"
                                    " LEFT JOIN settlement_items i ON i.id = l.item_id WHERE l.statement_id = %d"
                                    " ORDER BY i.person_id, l.seq" % sid),
                        self.db.sql("SELECT COUNT(*) FROM settlement_visits sv JOIN settlement_items i"
                                    " ON i.id = sv.item_id WHERE i.statement_id = %d" % sid))
        before = snap()
        lines_before = {int(r[0]) for r in self.db.sql("SELECT id FROM settlement_lines WHERE statement_id = %d" % sid)}
        second = self.run_month(f["month"], f["provider"])
        self.assertEqual(first["total_fen"], second["total_fen"])
        self.assertEqual(snap(), before)
        self.assertEqual(self.statement(f["month"], f["provider"]), sid)  # the same statement, computed again
        self.assertEqual(int(self.one("SELECT runs FROM settlement_statements WHERE id = %d" % sid)), 2)
        lines_after = {int(r[0]) for r in self.db.sql("SELECT id FROM settlement_lines WHERE statement_id = %d" % sid)}
        self.assertFalse(lines_before & lines_after)  # replaced, never reusing a line id
        # the whole month (every provider: on SQLite the city's visits read day by day) gives this provider the same
        # statement as its own run (on SQLite its plans' visits read plan by plan)
        whole = self.as_user("bureau").post("/api/v1/settlement/runs", {"month": f["month"]})
        self.assertEqual(whole.status, 200, whole)
        self.assertEqual(snap(), before)
        self.run_month(f["month"], f["provider"])
        self.assertEqual(snap(), before)
        # the command line (on SQLite the month read on a second connection while the first writes): the same
        out = run_cli("settle", "run", "--month", f["month"], db=self.db)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(snap(), before)
        # a fact changes (A's 13th visit is rejected after all): the draft follows it
        P = f["people"]
        vid = int(self.one("SELECT MAX(id) FROM visits WHERE plan_id = %d" % P["A"]["plan"]))
        self.db.sql("UPDATE visits SET verify_state = 'exception', reasons = 16, review_state = 'rejected'"
                    " WHERE id = %d" % vid)
        third = self.run_month(f["month"], f["provider"])
        # 13 required, 12 made: one thirteenth of each of A's sources: 9,846.15 -> 9,846; 246.15 -> 246;
        # 3,076.92 -> 3,077
        self.assertEqual(second["total_fen"] - third["total_fen"], 9846 + 246 + 3077)
        self.assertEqual(self.one("SELECT kind FROM settlement_visits WHERE visit_id = %d" % vid), "rejected")
        self.assertEqual(third["visits_settled"], second["visits_settled"])
        # a visit no longer of the month (its record cancelled): its link goes and the draft follows; back again
        links = lambda v: int(self.one("SELECT COUNT(*) FROM settlement_visits WHERE visit_id = %d" % v))  # noqa
        vid_c = int(self.one("SELECT MAX(id) FROM visits WHERE plan_id = %d AND verify_state = 'verified'"
                             % P["C"]["plan"]))
        self.db.sql("UPDATE visits SET status = 'cancelled' WHERE id = %d" % vid_c)
        gone = self.run_month(f["month"], f["provider"])
        self.assertEqual((links(vid_c), gone["visits_settled"]), (0, third["visits_settled"] - 1))
        self.assertLess(gone["total_fen"], third["total_fen"])
        total = lambda: int(self.one("SELECT total_fen FROM settlement_statements WHERE id = %d" % sid))  # noqa
        self.assertEqual(run_cli("settle", "run", "--month", f["month"], db=self.db).returncode, 0)
        self.assertEqual((links(vid_c), total()), (0, gone["total_fen"]))
        self.db.sql("UPDATE visits SET status = 'done' WHERE id = %d" % vid_c)
        back = self.run_month(f["month"], f["provider"])
        self.assertEqual((links(vid_c), back["visits_settled"], back["total_fen"]),
                         (1, third["visits_settled"], third["total_fen"]))
        # an exception not decided yet: counted as pending, not settled, and the statement is not published
        vid = int(self.one("SELECT MAX(id) FROM visits WHERE plan_id = %d" % P["D"]["plan"]))
        self.db.sql("UPDATE visits SET verify_state = 'exception', reasons = 16, review_state = 'explained'"
                    " WHERE id = %d" % vid)
        fourth = self.run_month(f["month"], f["provider"])
        self.assertEqual(fourth["visits_pending"], 1)
        self.assertEqual(int(self.one("SELECT COUNT(*) FROM settlement_visits WHERE visit_id = %d" % vid)), 0)
        bureau = self.as_user("bureau")
        self.assertError(bureau.post("/api/v1/settlement/statements/%d/claim" % sid, {}), 409, field="visits_pending")
        self.db.sql("UPDATE visits SET review_state = 'accepted' WHERE id = %d" % vid)
        self.assertEqual(self.run_month(f["month"], f["provider"])["total_fen"], third["total_fen"])
        self.assertEqual(bureau.post("/api/v1/settlement/statements/%d/claim" % sid, {}).status, 200)
        # an area-scoped bureau account runs only its area's providers; the run and its audit row
        self.assertEqual(self.audit_rows(action="settlement.run")[0]["outcome"], "ok")
        lj = self.as_user("bureau_lj").post("/api/v1/settlement/runs", {"month": f["month"]})
        self.assertEqual(lj.status, 200, lj)
        hw = int(self.one("SELECT id FROM providers WHERE code = 'P0005'"))  # 海湾区: outside 临江区
        self.assertError(self.as_user("bureau_lj").post("/api/v1/settlement/runs", {"month": f["month"],
                                                                                   "provider_id": hw}), 404,
                         field="provider_id")

    def test_bad_input_changes_nothing(self):
        bureau = self.as_user("bureau")
        count = lambda: self.db.sql("SELECT (SELECT COUNT(*) FROM settlement_statements) + (SELECT COUNT(*) FROM"  # noqa
                                    " settlement_batches) + (SELECT COUNT(*) FROM settlement_lines)")
        before = count()
        for body, field in (({}, "month"), ({"month": "2025-13"}, "month"), ({"month": "25-01"}, "month"),
                            ({"month": "2025-01", "provider_id": "x"}, "provider_id"),
                            ({"month": "2025-01", "extra": 1}, "extra")):
            with self.subTest(body=body):
                self.assertError(bureau.post("/api/v1/settlement/runs", body), 400, field=field)
        # the current month has not ended
        today = datetime.datetime.utcfromtimestamp(
            datetime.datetime.now(datetime.timezone.utc).timestamp() + 8 * 3600).date()
        self.assertError(bureau.post("/api/v1/settlement/runs", {"month": today.strftime("%Y-%m")}), 400,
                         field="month")
        self.assertError(bureau.post("/api/v1/settlement/runs", {"month": "2025-01", "provider_id": 987654}), 404,
                         field="provider_id")
        self.assertError(self.as_user("auditor").post("/api/v1/settlement/runs", {"month": "2025-01"}), 403)
        self.assertEqual(count(), before)
        self.assertEqual(self.audit_rows(action="settlement.run")[0]["outcome"], "denied")
        self.assertError(bureau.get("/api/v1/settlement/statements?month=2025-1"), 400, field="month")
        self.assertError(bureau.get("/api/v1/settlement/statements?status=done"), 400, field="status")
        self.assertError(bureau.get("/api/v1/fund/months?from=2025-01&to=2024-12"), 400, field="to")
        self.assertError(bureau.post("/api/v1/supplementary-policies", {"person_id": 1, "insurer": "舟惠保",
                                                                       "policy_no": "X1", "valid_from": "2025-02-01",
                                                                       "valid_until": "2025-01-01"}), 400,
                         field="valid_until")


class TestProviderView(Settlement):
    def test_provider_sees_only_its_own(self):
        f = self.fixture(2025, 2)
        self.run_month(f["month"], f["provider"])
        sid = self.statement(f["month"], f["provider"])
        bureau, own = self.as_user("bureau"), self.provider_admin(f)
        other = self.as_user("provider_admin")  # P0001's account
        self.assertEqual(bureau.post("/api/v1/settlement/statements/%d/claim" % sid, {}).status, 200)
        self.assertEqual(own.get("/api/v1/settlement/statements/%d" % sid).status, 200)
        item = next(iter(self.items(sid, own).values()))
        for path in ("/api/v1/settlement/statements/%d" % sid, "/api/v1/settlement/statements/%d/items" % sid,
                     "/api/v1/settlement/statements/%d/xlsx" % sid, "/api/v1/settlement/items/%d" % item["id"],
                     "/api/v1/settlement/lines/%d" % item["lines"][0]["id"]):
            with self.subTest(path=path):
                self.assertError(other.get(path), 404)
        self.assertError(other.post("/api/v1/settlement/lines/%d/objections" % item["lines"][0]["id"],
                                    {"reason": "不是本机构的"}), 404)
        # lists: each provider its own; P0001 sees its demo month (approved) and none of this provider's
        mine = own.get("/api/v1/settlement/statements").json
        self.assertEqual({s["provider"]["code"] for s in mine["items"]}, {f["code"]})
        theirs = other.get("/api/v1/settlement/statements").json
        self.assertTrue(theirs["items"])
        self.assertEqual({s["provider"]["code"] for s in theirs["items"]}, {"P0001"})
        self.assertEqual(own.get("/api/v1/settlement/months").json["items"][0]["statements"], 1)
        # the auditor reads everything and changes nothing
        auditor = self.as_user("auditor")
        self.assertEqual(auditor.get("/api/v1/settlement/statements/%d" % sid).status, 200)
        self.assertError(auditor.post("/api/v1/settlement/statements/%d/first-review" % sid, {}), 403)
        # a token cannot sign a review
        region = int(self.one("SELECT id FROM areas WHERE parent_id IS NULL"))
        r = self.as_user("admin").post("/api/v1/tokens", {"name": "结算接口", "role": "bureau",
                                                          "scope": {"kind": "region", "id": region}})
        self.assertEqual(r.status, 201, r)
        token = self.new_client(token=r.json["token"])
        self.assertError(token.post("/api/v1/settlement/statements/%d/first-review" % sid, {}), 403, field="reviewer")
        # reopened before approval: back to draft, hidden from the provider again, computed again
        self.assertError(bureau.post("/api/v1/settlement/statements/%d/reopen" % sid, {}), 400, field="reason")
        r = bureau.post("/api/v1/settlement/statements/%d/reopen" % sid, {"reason": "补录住院记录后重算"})
        self.assertEqual((r.status, r.json["status"], r.json["reopen_reason"]), (200, "draft", "补录住院记录后重算"))
        self.assertError(own.get("/api/v1/settlement/statements/%d" % sid), 404)
        self.assertEqual(self.run_month(f["month"], f["provider"])["statements"], 1)
        # a recovery by penalty, tied to a plan rather than a line: pending until its month is run, cancellable
        # while that month is not published; the provider sees its own
        plan = f["people"]["A"]["plan"]
        self.assertError(bureau.post("/api/v1/settlement/adjustments", {
            "month": "2025-06", "plan_id": plan, "amount_fen": 0, "reason": "处罚追回", "reference": "罚〔2025〕3号"}),
            400, field="amount_fen")
        r = bureau.post("/api/v1/settlement/adjustments", {
            "month": "2025-06", "plan_id": plan, "amount_fen": -1200, "reason": "虚报服务时长，处罚追回",
            "reference": "舟医保罚〔2025〕3号"})
        self.assertEqual((r.status, r.json["status"], r.json["ref_line_id"]), (201, "pending", None), r)
        aid = r.json["id"]
        self.assertEqual([x["id"] for x in own.get("/api/v1/settlement/adjustments").json["items"]], [aid])
        self.assertEqual(other.get("/api/v1/settlement/adjustments?month=2025-06").json["items"], [])
        r = bureau.post("/api/v1/settlement/adjustments/%d/cancel" % aid)
        self.assertEqual((r.status, r.json["status"]), (200, "cancelled"), r)
        self.assertError(bureau.post("/api/v1/settlement/adjustments/%d/cancel" % aid), 409, field="status")
        # the supplementary roster and the fund's months
        roster = auditor.get("/api/v1/supplementary-policies?person_id=%d" % f["people"]["A"]["person"]).json
        self.assertEqual([x["insurer"] for x in roster["items"]], ["舟惠保"])
        months = auditor.get("/api/v1/fund/months").json
        self.assertEqual(len(months["items"]), 12)
        self.assertEqual(months["items"][-1]["balance"], int(self.one("SELECT balance_fen FROM fund_head")))


class TestDemoMonth(Settlement):
    def test_demo_month_and_usage_rate(self):
        """The demo settles and approves its last full month; its fund runs at about the seed's usage rate."""
        bureau = self.as_user("bureau")
        months = bureau.get("/api/v1/settlement/months").json["items"]
        self.assertTrue(months)
        demo = months[0]
        self.assertEqual(set(demo["by_status"]), {"approved"})
        lst = bureau.get("/api/v1/settlement/statements?month=%s&page_size=50" % demo["month"]).json
        self.assertEqual(lst["totals"]["total_fen"], demo["total_fen"])
        for s in lst["items"]:
            lines = sum(int(x) for (x,) in self.db.sql("SELECT amount_fen FROM settlement_lines WHERE statement_id = %d"
                                                       % s["id"]))
            self.assertEqual(lines, s["total_fen"], s["number"])
        summary = bureau.get("/api/v1/fund/summary").json
        rate = float(summary["annualised"]["usage_rate"])
        self.assertGreater(rate, 48.0, summary["annualised"])
        self.assertLess(rate, 58.0, summary["annualised"])
        self.assertEqual(summary["balance"], self.ledger_consistent())
        self.assertEqual(summary["spending"]["fund"], lst["totals"]["by_source"]["fund"])
        # the run on the command line: the approved month is left as it is
        out = run_cli("settle", "run", "--month", demo["month"], db=self.db)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("0 statements computed, %d left as they are" % len(lst["items"]), out.stdout)
        self.assertRegex(out.stdout, r"time \d+\.\d+ s")
        self.assertEqual(run_cli("settle", "run", db=self.db).returncode, 2)
        self.assertEqual(run_cli("settle", "run", "--month", "2025-01", "--provider", "NOPE", db=self.db).returncode, 1)


if __name__ == "__main__":
    unittest.main()
