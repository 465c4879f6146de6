"""The notice sender: the background thread of `ltci serve` delivering the outbox (table notices).

A tiny HTTP server in the test plays the SMS gateway (webhook) and a tiny SMTP sink receives e-mails; notices are
inserted straight into the table. Checked: the webhook's JSON and bearer token, a proper MIME message with an
RFC 2047 subject, notices marked sent, back-off after a failing gateway, immediate failure of a malformed address,
and a server log that never holds a notice body, a full recipient or the token. A second class checks the default
log transport.
"""
import email
import email.policy
import email.utils
import http.server
import json
import secrets
import socketserver
import threading
import time
import unittest

from harness import LtciTestCase

TOKEN = "sms-token-" + secrets.token_hex(12)
FAILING_PHONE = "13900000500"   # the webhook answers 500 for this recipient
SMTP_FROM = "长护险经办 <ltci@example.gov.cn>"


class SmtpSink:
    """Just enough of an SMTP server (RFC 5321) to receive messages: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            timeout = 20

            def reply(self, text):
                self.wfile.write(text.encode("ascii") + b"\r\n")

            def handle(self):
                try:
                    self.converse()
                except OSError:
                    pass   # the client went away (a TLS attempt, a shutdown)

            def converse(self):
                self.reply("220 sink.test ESMTP")
                mail_from, rcpts = None, []
                while True:
                    line = self.rfile.readline(4096)
                    if not line:
                        return
                    cmd = line.decode("utf-8", "replace").rstrip("\r\n")
                    upper = cmd.upper()
                    if upper.startswith("EHLO"):
                        self.reply("250-sink.test")
                        self.reply("250-8BITMIME")
                        self.reply("250 SIZE 10000000")
                    elif upper.startswith("HELO"):
                        self.reply("250 sink.test")
                    elif upper.startswith("MAIL FROM:"):
                        mail_from, rcpts = cmd[10:].strip().split(" ")[0], []
                        self.reply("250 OK")
                    elif upper.startswith("RCPT TO:"):
                        rcpts.append(cmd[8:].strip())
                        self.reply("250 OK")
                    elif upper == "DATA":
                        self.reply("354 end with <CRLF>.<CRLF>")
                        lines = []
                        while True:
                            data = self.rfile.readline(100000)
                            if not data or data == b".\r\n":
                                break
                            lines.append(data[1:] if data.startswith(b"..") else data)
                        with sink.lock:
                            sink.messages.append({"from": mail_from, "rcpts": rcpts, "data": b"".join(lines)})
                        self.reply("250 queued")
                        mail_from, rcpts = None, []
                    elif upper in ("RSET", "NOOP"):
                        self.reply("250 OK")
                    elif upper == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("502 not implemented")

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def find(self, notice_id):
        """Messages whose Message-ID names the notice."""
        tag = ("<notice-%d." % notice_id).encode()
        with self.lock:
            return [m for m in self.messages if tag in m["data"]]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Webhook:
    """An SMS gateway: records every POST; answers 500 for FAILING_PHONE, 200 otherwise."""

    def __init__(self):
        self.requests = []
        self.lock = threading.Lock()
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    doc = json.loads(raw.decode("utf-8"))
                except ValueError:
                    doc = None
                with hook.lock:
                    hook.requests.append({"path": self.path, "headers": dict(self.headers.items()), "json": doc})
                fail = isinstance(doc, dict) and doc.get("to") == FAILING_PHONE
                answer = b'{"ok":false}' if fail else b'{"ok":true}'
                self.send_response(500 if fail else 200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def find(self, notice_id):
        with self.lock:
            return [r for r in self.requests if isinstance(r["json"], dict) and r["json"].get("id") == notice_id]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class NoticeCase(LtciTestCase):
    def enqueue(self, channel, recipient, body, subject=None, ref=("application", "42")):
        def q(s):
            return "NULL" if s is None else "'" + s.replace("'", "''") + "'"
        rows = self.db.sql(
            "INSERT INTO notices (channel, recipient, subject, body, ref_type, ref_id, status, attempts, created_at,"
            " next_attempt_at) VALUES (%s, %s, %s, %s, %s, %s, 'pending', 0, %d, 0) RETURNING id"
            % (q(channel), q(recipient), q(subject), q(body), q(ref[0]), q(ref[1]), int(time.time())))
        return int(rows[0][0])

    def notice(self, nid):
        row = self.db.sql("SELECT status, attempts, last_error, next_attempt_at, sent_at FROM notices WHERE id = %d"
                          % nid)[0]
        return {"status": row[0], "attempts": int(row[1]), "last_error": row[2], "next_attempt_at": int(row[3]),
                "sent_at": None if row[4] is None else int(row[4])}

    def wait_for(self, nid, pred, what, timeout=10):
        deadline = time.time() + timeout
        while True:
            n = self.notice(nid)
            if pred(n):
                return n
            if time.time() > deadline:
                self.fail("notice %d: %s not reached in %ds: %r\n%s" % (nid, what, timeout, n,
                                                                        self.server.log_text()[-3000:]))
            time.sleep(0.1)

    def assertLogClean(self, *private):
        log = self.server.log_text()
        for s in private:
            self.assertNotIn(s, log)


class TestNoticeTransports(NoticeCase):
    """LTCI_NOTIFY=smtp with an SMS webhook: e-mails to the SMTP sink, SMS to the webhook."""

    @classmethod
    def setUpClass(cls):
        cls.smtp = SmtpSink()
        cls.hook = Webhook()
        cls.server_env = {
            "LTCI_NOTIFY": "smtp",
            "LTCI_SMTP_URL": "smtp://127.0.0.1:%d" % cls.smtp.port,
            "LTCI_SMTP_FROM": SMTP_FROM,
            "LTCI_SMS_WEBHOOK": "http://127.0.0.1:%d/sms" % cls.hook.port,
            "LTCI_SMS_TOKEN": TOKEN,
            "LTCI_NOTIFY_INTERVAL": "1",
        }
        try:
            super().setUpClass()
        except Exception:
            cls.smtp.stop()
            cls.hook.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            log = cls.server.log_text()
            super().tearDownClass()
            assert TOKEN not in log, "the SMS token is in the server log"
        finally:
            cls.smtp.stop()
            cls.hook.stop()

    def test_sms_to_webhook(self):
        text = "【舟山市医保局】张三您好，您的长期护理保险失能等级评估结论为：重度失能一级。" + secrets.token_hex(6)
        nid = self.enqueue("sms", "13812345678", text)
        n = self.wait_for(nid, lambda n: n["status"] != "pending", "sent")
        self.assertEqual((n["status"], n["attempts"], n["last_error"]), ("sent", 1, None), n)
        self.assertAlmostEqual(n["sent_at"], time.time(), delta=30)
        reqs = self.hook.find(nid)
        self.assertEqual(len(reqs), 1, reqs)
        r = reqs[0]
        self.assertEqual(r["path"], "/sms")
        self.assertEqual(r["json"], {"to": "13812345678", "text": text, "ref": "application:42", "id": nid})
        headers = {k.lower(): v for k, v in r["headers"].items()}
        self.assertEqual(headers.get("authorization"), "Bearer " + TOKEN)
        self.assertTrue(headers.get("content-type", "").startswith("application/json"), headers)
        log = self.server.log_text()
        self.assertIn("id=%d channel=sms recipient=138****5678" % nid, log)
        self.assertLogClean(text, "13812345678", TOKEN)

    def test_email_over_smtp(self):
        subject = "长期护理保险失能等级评估结论通知（第二次送达，请注意查收并妥善保管本通知）"
        body = ("张三您好：\n您的长期护理保险失能等级评估结论为重度失能一级。\n公示期至2026-12-01。\n"
                ".以点开头的一行\n编号" + secrets.token_hex(6) + "\n")
        nid = self.enqueue("email", "zhang.san@example.com", body, subject)
        n = self.wait_for(nid, lambda n: n["status"] != "pending", "sent")
        self.assertEqual((n["status"], n["attempts"]), ("sent", 1), n)
        self.assertIsNotNone(n["sent_at"])
        msgs = self.smtp.find(nid)
        self.assertEqual(len(msgs), 1)
        m = msgs[0]
        self.assertEqual((m["from"], m["rcpts"]), ("<ltci@example.gov.cn>", ["<zhang.san@example.com>"]))
        for line in m["data"].split(b"\r\n"):
            self.assertLessEqual(len(line), 78, line)
        self.assertNotIn(b"\n", m["data"].replace(b"\r\n", b""), "bare LF in the message")
        msg = email.message_from_bytes(m["data"], policy=email.policy.default)
        self.assertEqual(str(msg["Subject"]), subject)
        self.assertEqual(str(msg["To"]), "zhang.san@example.com")
        sender = msg["From"].addresses[0]
        self.assertEqual((sender.display_name, sender.addr_spec), ("长护险经办", "ltci@example.gov.cn"))
        self.assertAlmostEqual(email.utils.parsedate_to_datetime(msg["Date"]).timestamp(), time.time(), delta=60)
        self.assertRegex(msg["Message-ID"], r"^<notice-%d\.[0-9a-f]{16}@example\.gov\.cn>$" % nid)
        self.assertEqual(msg["MIME-Version"], "1.0")
        self.assertEqual((msg.get_content_type(), msg.get_content_charset()), ("text/plain", "utf-8"))
        self.assertEqual(msg.get_content().replace("\r\n", "\n"), body)
        log = self.server.log_text()
        self.assertIn("id=%d channel=email recipient=z***@example.com" % nid, log)
        self.assertLogClean(body.splitlines()[1], "zhang.san@example.com", subject)

    def test_failing_webhook_backs_off(self):
        text = "【舟山市医保局】李四您好，您的评估结论已公示。" + secrets.token_hex(6)
        nid = self.enqueue("sms", FAILING_PHONE, text)
        n = self.wait_for(nid, lambda n: n["attempts"] >= 1 and n["next_attempt_at"] > 0, "one attempt")
        now = time.time()
        self.assertEqual((n["status"], n["attempts"], n["sent_at"]), ("pending", 1, None), n)
        self.assertIn("500", n["last_error"])
        self.assertNotIn(TOKEN, n["last_error"])
        self.assertTrue(100 <= n["next_attempt_at"] - now <= 121, n["next_attempt_at"] - now)
        time.sleep(2.5)   # more than two sender runs: not retried before its time
        self.assertEqual(len(self.hook.find(nid)), 1)
        self.assertEqual(self.notice(nid)["attempts"], 1)
        self.assertIn("event=notice_retry id=%d channel=sms recipient=139****0500" % nid, self.server.log_text())
        self.assertLogClean(text, FAILING_PHONE, TOKEN)

    def test_malformed_address_fails_at_once(self):
        body = "王五您好，测试。" + secrets.token_hex(6)
        nid = self.enqueue("email", "wang wu@example.com", body, "主题")
        n = self.wait_for(nid, lambda n: n["status"] != "pending", "failed")
        self.assertEqual((n["status"], n["attempts"]), ("failed", 1), n)
        self.assertIn("invalid", n["last_error"])
        self.assertEqual(self.smtp.find(nid), [])
        self.assertLogClean(body)


class TestNoticeLog(NoticeCase):
    """The default transport: one log line per notice with a masked recipient and no body."""

    server_env = {"LTCI_NOTIFY": "", "LTCI_NOTIFY_INTERVAL": "1"}

    def test_log_lines(self):
        sms_text = "【舟山市医保局】赵六您好，您的评估结论为：中度失能。" + secrets.token_hex(6)
        mail_body = "赵六您好：评估结论见附件。" + secrets.token_hex(6)
        sms = self.enqueue("sms", "13812345678", sms_text)
        mail = self.enqueue("email", "zhao.liu@example.com", mail_body, "评估结论通知")
        for nid in (sms, mail):
            n = self.wait_for(nid, lambda n: n["status"] != "pending", "sent")
            self.assertEqual((n["status"], n["attempts"]), ("sent", 1), n)
            self.assertIsNotNone(n["sent_at"])
        log = self.server.log_text()
        self.assertIn("event=notice id=%d channel=sms recipient=138****5678 ref=application:42 transport=log" % sms,
                      log)
        self.assertIn("event=notice id=%d channel=email recipient=z***@example.com" % mail, log)
        self.assertLogClean(sms_text, mail_body, "13812345678", "zhao.liu@example.com", "评估结论通知")


if __name__ == "__main__":
    unittest.main()
