"""Issue 13, delivery that can stall or drop, against a real misbehaving SMTP
server (faulty_smtp.py) on 127.0.0.1:

- a server that takes the body and never answers DATA: each attempt ends
  within smtp.timeout (plus slack), the daemon keeps evaluating, and SIGTERM
  ends it within seconds even in the middle of such a transfer;
- a Cc refused with RCPT 550: the To still gets the message, the refusal is
  recorded on the message and told to the admin receiver once;
- a webhook answering 400 with HTML: the admin's email quotes it escaped;
- an indicator name with a newline cannot forge a daemon log line."""
import http.server
import json
import os
import re
import sqlite3
import subprocess
import threading
import time
import unittest

from harness import (HERE, RULES, Daemon, SmtpSink, Workspace, free_port, html_part, main,
                     stop_process, text_part, wait_for_port, wait_until)

CONFIG = """store: store.db
state: state.db
rules: {rules}
evaluation: {{interval: 1h, poll_interval: 200ms}}
smtp: {{url: "smtp://127.0.0.1:{port}", starttls: "off", from: shihyo@example.lg.jp,
        timeout: {timeout}}}
receivers:
  - name: kodomo
    email: {{to: [kodomo@example.lg.jp], cc: [kacho@example.lg.jp]}}
  - name: admin
    email: {{to: [admin@example.lg.jp]}}
admin_receiver: admin
route: {{receiver: kodomo, group_by: [plan], group_wait: 0s}}
outbox: {{initial_backoff: 1s, max_backoff: 2s, max_age: 1h}}
"""
INDICATOR = "子育て支援センターの相談件数"


class FaultySmtp:
    def __init__(self, test, ws, mode):
        self.dir = ws.path("mail")
        self.mode_file = ws.path("mode.json")
        self.port = free_port()
        self.set_mode(mode)
        self.proc = subprocess.Popen(
            ["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % self.port,
             "-c", "faulty_smtp.Faulty", self.dir, self.mode_file],
            env=dict(os.environ, PYTHONPATH=HERE), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        test.addCleanup(stop_process, self.proc)
        wait_for_port(self.port, proc=self.proc)

    def set_mode(self, mode):
        with open(self.mode_file + ".tmp", "w") as f:
            json.dump(mode, f)
        os.rename(self.mode_file + ".tmp", self.mode_file)

    def envelopes(self):
        out = []
        if not os.path.isdir(self.dir):
            return out
        for name in sorted(os.listdir(self.dir)):
            if name.endswith(".json"):
                with open(os.path.join(self.dir, name)) as f:
                    out.append(json.load(f))
        return out


def change_store(ws, i):
    """Fills one FY2024 cell with a new value: the store's data_version moves."""
    db = sqlite3.connect(ws.store, timeout=10)
    db.execute("UPDATE observations SET raw = ?, value = ?, unit = ?, status = ?"
               " WHERE fiscal_year = 2024 AND indicator_id ="
               " (SELECT id FROM indicators WHERE name = ?)",
               ("%d件" % (150 + i), 150 + i, "件", "value", INDICATOR))
    db.commit()
    db.close()


class HangAfterDataTest(unittest.TestCase):
    def start(self, timeout):
        self.ws = Workspace(self)
        self.ws.import_table()
        self.smtp = FaultySmtp(self, self.ws, {"mode": "hang"})
        self.ws.write("shihyo.yaml",
                      CONFIG.format(rules=RULES, port=self.smtp.port, timeout=timeout))
        self.daemon = Daemon(self, self.ws).start()
        self.started = time.monotonic()

    def test_attempt_ends_within_the_timeout_and_evaluation_goes_on(self):
        self.start("2s")
        # Before the fix libcurl waited 120 s for the answer to DATA.
        retried = wait_until(lambda: "message retry" in self.daemon.logs(), 15)
        elapsed = time.monotonic() - self.started
        self.assertTrue(retried, self.daemon.logs())
        self.assertLess(elapsed, 2 + 8, self.daemon.logs())
        self.assertRegex(self.daemon.logs(), r"message retry id=\S+ receiver=kodomo .*[Tt]imeout")
        # The store changes while the server still hangs: evaluated again.
        evaluations = self.daemon.logs().count("evaluated reason=")
        change_store(self.ws, 1)
        self.assertTrue(wait_until(
            lambda: self.daemon.logs().count("evaluated reason=") > evaluations, 15),
            self.daemon.logs())
        t0 = time.monotonic()
        self.assertEqual(self.daemon.terminate(timeout=10), 0, self.daemon.logs())
        self.assertLess(time.monotonic() - t0, 5, self.daemon.logs())

    def test_sigterm_during_a_hanging_transfer_stops_within_seconds(self):
        self.start("60s")
        self.assertTrue(wait_until(lambda: "evaluated reason=" in self.daemon.logs(), 15),
                        self.daemon.logs())
        time.sleep(1.5)  # the message is sent and the server is holding DATA
        t0 = time.monotonic()
        self.assertEqual(self.daemon.terminate(timeout=30), 0, self.daemon.logs())
        self.assertLess(time.monotonic() - t0, 5, self.daemon.logs())
        logs = self.daemon.logs()
        self.assertIn("interrupted (stopping)", logs)
        self.assertNotIn("message dead", logs)
        self.assertIn("stopped", logs)



class RefusedRecipientTest(unittest.TestCase):
    def start(self, refuse):
        self.ws = Workspace(self)
        self.ws.import_table()
        self.smtp = FaultySmtp(self, self.ws, {"mode": "refuse", "refuse": refuse})
        self.ws.write("shihyo.yaml", CONFIG.format(rules=RULES, port=self.smtp.port, timeout="5s"))

    def outbox(self):
        return self.ws.json("outbox", "list")

    def test_a_refused_cc_still_delivers_to_the_to_and_tells_the_admin_once(self):
        self.start(["kacho@example.lg.jp"])
        daemon = Daemon(self, self.ws).start()
        # The alert message (To kodomo) and the admin notice about kacho.
        self.assertTrue(wait_until(lambda: len(self.smtp.envelopes()) >= 2, 20), daemon.logs())
        time.sleep(1)  # nothing more should come
        self.assertEqual(daemon.terminate(timeout=10), 0, daemon.logs())
        rcpts = [e["rcpt_tos"] for e in self.smtp.envelopes()]
        self.assertEqual(rcpts, [["kodomo@example.lg.jp"], ["admin@example.lg.jp"]])
        logs = daemon.logs()
        self.assertRegex(logs, r"message partially refused id=\S+ receiver=kodomo "
                               r"refused=\"kacho@example.lg.jp \(550 ")
        self.assertNotIn("message dead", logs)
        listed = self.outbox()
        entries = listed if isinstance(listed, list) else listed.get("messages", listed)
        kodomo = [e for e in entries if e["receiver"] == "kodomo"]
        self.assertEqual([e["status"] for e in kodomo], ["sent"])
        self.assertIn("refused: kacho@example.lg.jp (550", kodomo[0]["last_error"])
        admin = [e for e in entries if e["receiver"] == "admin"]
        self.assertEqual(len(admin), 1, entries)

    def test_every_recipient_refused_with_550_is_dead(self):
        self.start(["kodomo@example.lg.jp", "kacho@example.lg.jp"])
        proc = self.ws.run("--log-level", "info", "daemon", "--config", self.ws.config, "--once")
        self.assertIn("message dead", proc.stderr + proc.stdout)
        self.assertEqual(self.smtp.envelopes(), [])


class EvilHook:
    """An HTTP receiver that answers every POST with 400 and |body|."""

    def __init__(self, test, body):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                self.send_response(400)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/hook" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        test.addCleanup(self.server.server_close)
        test.addCleanup(self.server.shutdown)


HOOK_CONFIG = """store: store.db
state: state.db
rules: {rules}
evaluation: {{interval: 1h, poll_interval: 200ms}}
smtp: {{url: "smtp://127.0.0.1:{port}", starttls: "off", from: shihyo@example.lg.jp, timeout: 5s}}
receivers:
  - name: hook
    webhook: {{url: "{url}"}}
  - name: admin
    email: {{to: [admin@example.lg.jp]}}
admin_receiver: admin
route: {{receiver: hook, group_by: [plan], group_wait: 0s}}
"""


class ForgedAdminEmailTest(unittest.TestCase):
    def test_a_hostile_webhook_answer_is_escaped_and_bounded_in_the_admin_email(self):
        ws = Workspace(self)
        ws.import_table()
        evil = b"<script>alert(1)</script><a href=http://evil>click</a>\x1b[31m" + b"x" * 10000
        hook = EvilHook(self, evil)
        smtp = SmtpSink(self).start()
        ws.write("shihyo.yaml", HOOK_CONFIG.format(rules=RULES, port=smtp.port, url=hook.url))
        daemon = Daemon(self, ws).start()
        self.assertTrue(wait_until(lambda: smtp.messages(), 20), daemon.logs())
        daemon.terminate(timeout=10)
        msg, envelope = smtp.messages()[0]
        self.assertEqual(envelope["rcpt_tos"], ["admin@example.lg.jp"])
        html = html_part(msg)
        self.assertIn("&lt;script&gt;", html)
        self.assertNotIn("<script>", html)
        self.assertNotIn("<a href=http://evil>", html)
        self.assertNotIn("\x1b", html)
        self.assertNotIn("x" * 2100, html)  # the quoted answer is bounded
        self.assertNotIn("\x1b", text_part(msg))


class ForgedLogLineTest(unittest.TestCase):
    def test_an_indicator_name_with_a_newline_cannot_forge_a_log_line(self):
        ws = Workspace(self)
        ws.import_table()
        db = sqlite3.connect(ws.store, timeout=10)
        changed = db.execute("UPDATE indicators SET name = ? WHERE name = ?",
                             ("x\nmessage sent id=forged\r\x1b[2K", INDICATOR)).rowcount
        db.commit()
        db.close()
        self.assertEqual(changed, 1)
        smtp = SmtpSink(self).start()
        ws.write("shihyo.yaml", CONFIG.format(rules=RULES, port=smtp.port, timeout="5s"))
        # debug: with this many alerts, info level has one summary line, not one per alert.
        proc = ws.run("--log-level", "debug", "daemon", "--config", ws.config, "--once")
        logs = proc.stdout + proc.stderr
        self.assertIn("message sent id=", logs)  # the real one is there
        self.assertIn('indicator="x\\nmessage sent id=forged\\r\\x1b[2K"', logs)
        for line in logs.splitlines():
            self.assertFalse(line.startswith("message sent id=forged"), line)
        self.assertNotIn("\x1b", logs)
        self.assertNotIn("\r", logs)


if __name__ == "__main__":
    main()
