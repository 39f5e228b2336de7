"""Promises that had no test proving them: the shipped example config loads
and runs, the webhook `template` format and its escaping, `max_alerts`,
retries by HTTP status and timeout, SMTP 4xx against 5xx, and the order of
the sd_notify messages."""
import datetime
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import unittest

from harness import (HERE, KAMAISHI, RULES, SOURCE, Daemon, HttpReceiver, SmtpSink, Workspace,
                     free_port, main, stop_process, text_part, wait_until, wait_for_port)

EXAMPLE = os.path.join(SOURCE, "systemd", "shihyo.yaml")
# What the package installs into /etc/shihyo/rules.d (SHIHYO_DEFAULT_RULES).
DEFAULT_RULES = ["10-data-quality.yaml", "20-targets.yaml", "30-trends.yaml", "40-abuse.yaml"]


def rewrite(text, replacements):
    """|text| with each (old, new) replaced exactly once (asserted)."""
    for old, new in replacements:
        if text.count(old) != 1:
            raise AssertionError("%r occurs %d times" % (old, text.count(old)))
        text = text.replace(old, new)
    return text


class ExampleConfigTest(unittest.TestCase):
    def test_shipped_example_config_loads_and_runs_a_cycle(self):
        smtp = SmtpSink(self).start()
        ws = Workspace(self)
        os.mkdir(ws.path("rules.d"))
        for name in DEFAULT_RULES:
            shutil.copy(os.path.join(RULES, name), ws.path("rules.d"))
        # The rules the example names, as shipped.
        check = ws.run("check", "--rules", ws.path("rules.d"), check=False)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        ws.write("smtp-password", "secret\n")
        with open(EXAMPLE, encoding="utf-8") as f:
            shipped = f.read()
        # Only paths and the mail server change; everything else as shipped.
        text = rewrite(shipped, [
            ("store: /var/lib/shihyo/indicators.db", "store: " + ws.store),
            ("state: /var/lib/shihyo/state.db", "state: " + ws.path("state.db")),
            ("rules: /etc/shihyo/rules.d", "rules: " + ws.path("rules.d")),
            ("url: smtp://mail.example.lg.jp:587", "url: smtp://127.0.0.1:%d" % smtp.port),
            ("starttls: required", "starttls: off"),  # aiosmtpd here speaks no TLS
            ("password_file: /etc/shihyo/smtp-password",
             "password_file: " + ws.path("smtp-password")),
        ])
        ws.write("shihyo.yaml", text)
        ws.import_table()
        # Loaded as shipped, login included (preview loads it and sends nothing).
        preview = ws.run("preview", "--config", ws.config, "--now", "2026-11-28T09:00:00+09:00",
                         check=False)
        self.assertEqual(preview.returncode, 0, preview.stdout + preview.stderr)
        # group_wait: what goes out once it has passed, said in a header (issue 11).
        self.assertIn("what goes out once group_wait (or group_interval) has passed",
                      preview.stdout)
        self.assertFalse(os.path.exists(ws.path("state.db")))
        # aiosmtpd offers no AUTH: the example's login is dropped for the local server.
        without_login = re.sub(r"\n  user: shihyo\n  password_file: [^\n]*\n", "\n", text)
        self.assertNotEqual(without_login, text)
        ws.write("shihyo.yaml", without_login)
        # group_wait: 30s holds the first messages back, then they go out.
        ws.cycle("2026-11-28T09:00:00+09:00", expect=0)
        self.assertEqual(smtp.messages(), [])
        ws.cycle("2026-11-28T09:01:00+09:00", expect=0)
        sent = smtp.messages()
        rcpts = sorted(r for _, env in sent for r in env["rcpt_tos"])
        # kodomo gets all (critical too: continue: true), gyakutai the critical ones
        # with its cc, jouhou the unparseable ones if any.
        self.assertIn("kodomo@example.lg.jp", rcpts)
        self.assertIn("kodomo-soudan@example.lg.jp", rcpts)
        self.assertIn("kodomo-kacho@example.lg.jp", rcpts)
        for msg, env in sent:
            self.assertEqual(env["mail_from"], "shihyo@example.lg.jp")
            self.assertIn("http://shihyo.example.lg.jp", text_part(msg))


# Cycles run at the real clock's date plus minutes (faketime moves both).
BASE = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9))).replace(
    second=0, microsecond=0)


def iso(minutes):
    return (BASE + datetime.timedelta(minutes=minutes)).isoformat()


HOOK_CONFIG = """
store: store.db
state: state.db
rules: {rules}
receivers:
  - name: hook
    webhook:
{webhook}
route:
  receiver: hook
  group_by: [plan]
outbox: {{initial_backoff: 1s, max_backoff: 2s}}
"""


def hook_workspace(test, webhook, table=KAMAISHI, rules=RULES):
    ws = Workspace(test)
    ws.write("shihyo.yaml", HOOK_CONFIG.format(rules=rules, webhook="".join(
        "      %s\n" % line for line in webhook)))
    ws.import_table(table)
    return ws


def outbox(ws, status=None):
    return ws.json("outbox", "list", *(["--status", status] if status else []))["messages"]


class WebhookTest(unittest.TestCase):
    def test_http_408_and_429_are_retried_with_the_same_id(self):
        hook = HttpReceiver(self, statuses=[408, 429])
        ws = hook_workspace(self, ["url: " + hook.url, "timeout: 5s"])
        ws.cycle(iso(0), expect=1)
        (pending,) = outbox(ws, "pending")
        self.assertIn("HTTP 408", pending["last_error"])
        ws.cycle(iso(1), expect=1)
        (pending,) = outbox(ws, "pending")
        self.assertEqual(pending["attempts"], 2)
        self.assertIn("HTTP 429", pending["last_error"])
        ws.cycle(iso(2), expect=0)
        self.assertEqual(len(hook.requests), 3)
        self.assertEqual(len({r["headers"]["X-Shihyo-Message-Id"] for r in hook.requests}), 1)
        self.assertEqual(outbox(ws, "dead"), [])
        self.assertEqual(len(outbox(ws, "sent")), 1)

    def test_http_404_is_dead_at_once(self):
        hook = HttpReceiver(self, statuses=[404])
        ws = hook_workspace(self, ["url: " + hook.url, "timeout: 5s"])
        ws.cycle(iso(0), expect=1)  # nothing pending, but the message went dead
        (dead,) = outbox(ws, "dead")
        self.assertIn("HTTP 404", dead["last_error"])
        ws.cycle(iso(1), expect=0)
        self.assertEqual(len(hook.requests), 1)

    def test_a_receiver_slower_than_timeout_is_retried(self):
        hook = HttpReceiver(self, delay=4.0)
        ws = hook_workspace(self, ["url: " + hook.url, "timeout: 1s"])
        started = time.time()
        ws.cycle(iso(0), expect=1)
        self.assertLess(time.time() - started, 3.5, "the webhook timeout bounds the wait")
        (pending,) = outbox(ws, "pending")
        self.assertEqual(pending["attempts"], 1)
        hook.delay = 0.0
        ws.cycle(iso(1), expect=0)
        self.assertEqual(len(outbox(ws, "sent")), 1)
        ids = {r["headers"]["X-Shihyo-Message-Id"] for r in hook.requests}
        self.assertEqual(len(ids), 1, "the retry keeps the message id")

    def test_template_format_escapes_names_into_valid_json(self):
        hook = HttpReceiver(self)
        with open(KAMAISHI, encoding="utf-8") as f:
            text = f.read()
        # A spreadsheet cell with a quote, a backslash and a line break in the name.
        evil = '"子育て支援センターの""利用者数""\\\n二行目"'
        text = text.replace("子育て支援センターの利用者数\t8,000人", evil + "\t8,000人", 1)
        ws = Workspace(self)
        table = ws.write("evil.txt", text)
        ws.write("shihyo.yaml", HOOK_CONFIG.format(rules=RULES, webhook="".join(
            "      %s\n" % line for line in [
                "url: " + hook.url,
                "format: template",
                "content_type: application/json",
                "template: '{\"summary\": \"{{summary}}\", \"text\": \"{{text}}\","
                " \"new\": {{count_new}}, \"alerts\": [{{#alerts}}{\"indicator\":"
                " \"{{indicator}}\", \"message\": \"{{message}}\"},{{/alerts}}{}]}'"])))
        ws.import_table(table)
        ws.cycle(iso(0), expect=0)
        (request,) = hook.requests
        self.assertTrue(request["headers"]["Content-Type"].startswith("application/json"))
        body = json.loads(request["body"])  # valid JSON, whatever the names hold
        name = '子育て支援センターの"利用者数"\\\n二行目'
        alerts = body["alerts"][:-1]
        self.assertEqual(len(alerts), body["new"])
        self.assertIn(name, {a["indicator"] for a in alerts})
        self.assertIn("子育て支援センターの", body["text"])  # the digest, escaped its own way
        self.assertTrue(any(a["message"].startswith(name) for a in alerts))

    def test_max_alerts_truncates_and_counts_the_rest(self):
        hook = HttpReceiver(self)
        ws = hook_workspace(self, ["url: " + hook.url, "format: alertmanager", "max_alerts: 3"])
        ws.cycle(iso(0), expect=0)
        (body,) = hook.json_bodies()
        firing = len(ws.json("alerts")["alerts"])
        self.assertGreater(firing, 3)
        self.assertEqual(len(body["alerts"]), 3)
        self.assertEqual(body["truncatedAlerts"], firing - 3)


SMTP_CONFIG = """
store: store.db
state: state.db
rules: {rules}
smtp:
  url: smtp://127.0.0.1:{port}
  starttls: off
  from: shihyo@kamaishi.example.lg.jp
  timeout: 5s
receivers:
  - name: kodomo
    email: {{to: [kodomo@example.lg.jp]}}
route:
  receiver: kodomo
  group_by: [plan]
outbox: {{initial_backoff: 1s, max_backoff: 2s}}
"""


class FaultySmtp:
    """faulty_smtp.Faulty under aiosmtpd, its mode set by the test."""

    def __init__(self, test, mode):
        self.ws = Workspace(test)
        self.dir = self.ws.path("mail")
        self.mode_file = self.ws.path("mode.json")
        self.set(mode)
        self.port = free_port()
        self.proc = subprocess.Popen(
            ["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % self.port,
             "-c", "faulty_smtp.Faulty", self.dir, self.mode_file],
            env=dict(os.environ, PYTHONPATH=HERE),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        test.addCleanup(stop_process, self.proc)
        wait_for_port(self.port, proc=self.proc)

    def set(self, mode):
        with open(self.mode_file, "w") as f:
            json.dump({"mode": mode}, f)

    def received(self):
        return [n for n in os.listdir(self.dir) if n.endswith(".eml")]


class SmtpReplyTest(unittest.TestCase):
    def workspace(self, server):
        ws = Workspace(self)
        ws.write("shihyo.yaml", SMTP_CONFIG.format(rules=RULES, port=server.port))
        ws.import_table()
        return ws

    def test_smtp_4xx_on_mail_and_data_is_retried(self):
        for mode, reply in (("421", "421"), ("451-data", "451")):
            with self.subTest(mode=mode):
                server = FaultySmtp(self, mode)
                ws = self.workspace(server)
                ws.cycle(iso(0), expect=1)
                (pending,) = outbox(ws, "pending")
                self.assertIn(reply, pending["last_error"])
                self.assertEqual(server.received(), [])
                server.set("up")
                ws.cycle(iso(1), expect=0)
                self.assertEqual(len(server.received()), 1)
                self.assertEqual(outbox(ws, "dead"), [])

    def test_smtp_5xx_on_mail_and_data_is_dead_at_once(self):
        for mode, reply in (("550", "550"), ("554-data", "554")):
            with self.subTest(mode=mode):
                server = FaultySmtp(self, mode)
                ws = self.workspace(server)
                ws.cycle(iso(0), expect=1)  # nothing pending, but the message went dead
                (dead,) = outbox(ws, "dead")
                self.assertIn(reply, dead["last_error"])
                server.set("up")
                ws.cycle(iso(1), expect=0)
                self.assertEqual(server.received(), [], "a dead message is not retried")


if __name__ == "__main__":
    main()
