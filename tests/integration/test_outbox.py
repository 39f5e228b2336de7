"""The outbox: nothing is lost while a mail server is down, every message
arrives once it is back (counted by Message-ID), webhooks are retried on 5xx
and dead at once on 4xx, and signed with HMAC-SHA256."""
import datetime
import hashlib
import hmac
import json
import unittest

from harness import RULES, HttpReceiver, SmtpSink, Workspace, free_port, main

EMAIL_CONFIG = """
store: store.db
state: state.db
rules: {rules}
smtp:
  url: smtp://127.0.0.1:{port}
  starttls: off
  from: shihyo@kamaishi.example.lg.jp
  timeout: 3s
receivers:
  - name: kodomo
    email: {{to: [kodomo@example.lg.jp]}}
  - name: abuse-team
    email: {{to: [gyakutai@example.lg.jp]}}
route:
  receiver: kodomo
  group_by: [plan]
  routes:
    - receiver: abuse-team
      match: {{severity: critical}}
outbox:
  initial_backoff: 30s
  max_backoff: 1h
  max_age: 2d
"""

WEBHOOK_CONFIG = """
store: store.db
state: state.db
rules: {rules}
receivers:
  - name: hook
    webhook:
      url: {url}
      secret_file: secret.txt
      headers: {{X-Team: kodomo}}
route:
  receiver: hook
  group_by: [plan]
outbox:
  initial_backoff: 30s
"""


# The tests run on the real clock's date: `outbox retry` and `silence add`
# stamp real times, so cycles at a fixed date would drift apart from them
# as the calendar moves (a fixed 2026-11-28 broke on 2026-12-05, when the
# 7-day repeat_interval began to add reminders).
BASE = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9))).replace(
    second=0, microsecond=0)


def iso(minutes):
    """The start of this run (JST, to the minute) plus |minutes|, as --now wants it."""
    return (BASE + datetime.timedelta(minutes=minutes)).isoformat()


class OutboxTest(unittest.TestCase):
    def outbox(self, ws, status=None):
        args = ["outbox", "list"] + (["--status", status] if status else [])
        return ws.json(*args)["messages"]

    def test_smtp_down_then_up_loses_nothing_and_sends_each_once(self):
        port = free_port()
        ws = Workspace(self)
        ws.write("shihyo.yaml", EMAIL_CONFIG.format(rules=RULES, port=port))
        ws.import_table()
        # Down: every cycle queues and retries with growing delays.
        ws.cycle(iso(0), expect=1)  # something left in the outbox
        pending = self.outbox(ws, "pending")
        self.assertEqual(len(pending), 2)
        self.assertTrue(all(m["attempts"] == 1 for m in pending))
        backoffs = []  # seconds from each attempt to the next one it schedules
        minute = 0
        for _ in range(3):
            entry = self.outbox(ws, "pending")[0]
            minute += 61  # past any backoff so far
            ws.cycle(iso(minute), expect=1)
            after = [m for m in self.outbox(ws, "pending") if m["id"] == entry["id"]][0]
            self.assertEqual(after["attempts"], entry["attempts"] + 1)
            backoffs.append(self.seconds(after["next_attempt_at"]) - self.utc(minute))
        # A new alert while down: one more message in the queue.
        ws.import_corrected([("140件", "999件")])
        ws.cycle(iso(minute + 1), expect=1)
        queued = self.outbox(ws, "pending")
        self.assertGreaterEqual(len(queued), 3)
        ids = {m["id"] for m in queued}
        attempts = sorted(m["attempts"] for m in queued)
        self.assertEqual(attempts[-1], 4)
        # Delays grow: 30s × 2^(n-1) with jitter in [0.5, 1]: ≤ 60 s, then ≥ 120 s.
        self.assertLessEqual(backoffs[0], 60, backoffs)
        self.assertGreaterEqual(backoffs[-1], 120, backoffs)
        self.assertLess(backoffs[0], backoffs[-1], backoffs)
        self.assertEqual(self.outbox(ws, "dead"), [])

        # Up again: everything due is delivered, each exactly once.
        smtp = SmtpSink(self, port=port).start()
        ws.cycle(iso(minute + 300), expect=0)
        ws.cycle(iso(minute + 360), expect=0)
        got = [msg["Message-ID"].strip("<>") for msg, _ in smtp.messages()]
        self.assertEqual(sorted(got), sorted(ids))
        self.assertEqual(len(got), len(set(got)))
        self.assertEqual(self.outbox(ws, "pending"), [])

    def utc(self, minutes):
        """iso(minutes) as a Unix time."""
        return datetime.datetime.fromisoformat(iso(minutes)).timestamp()

    def seconds(self, iso_utc):
        return datetime.datetime.strptime(iso_utc, "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.timezone.utc).timestamp()

    def webhook(self, statuses):
        receiver = HttpReceiver(self, statuses)
        ws = Workspace(self)
        ws.write("secret.txt", "s3cret\n")
        ws.write("shihyo.yaml", WEBHOOK_CONFIG.format(rules=RULES, url=receiver.url))
        ws.import_table()
        return receiver, ws

    def test_webhook_500_then_200_gets_the_message(self):
        receiver, ws = self.webhook([500])
        ws.cycle(iso(0), expect=1)
        self.assertEqual(len(receiver.requests), 1)
        self.assertEqual(self.outbox(ws, "pending")[0]["attempts"], 1)
        ws.cycle(iso(5), expect=0)
        self.assertEqual(len(receiver.requests), 2)
        first, second = receiver.requests
        self.assertEqual(first["headers"]["X-Shihyo-Message-Id"],
                         second["headers"]["X-Shihyo-Message-Id"], "same id on retry")
        self.assertEqual(first["body"], second["body"])
        body = json.loads(second["body"])
        self.assertEqual(body["version"], "1")
        self.assertEqual(body["status"], "firing")
        self.assertEqual(body["counts"]["new"], len(body["alerts"]))
        names = {a["indicator"] for a in body["alerts"]}
        self.assertIn("子育て支援センターの利用者数", names)
        self.assertEqual(second["headers"]["X-Team"], "kodomo")
        expected = "sha256=" + hmac.new(b"s3cret", second["body"], hashlib.sha256).hexdigest()
        self.assertEqual(second["headers"]["X-Shihyo-Signature"], expected)
        self.assertEqual(len(self.outbox(ws, "sent")), 1)

    def test_webhook_400_is_dead_at_once(self):
        receiver, ws = self.webhook([400])
        ws.cycle(iso(0), expect=1)  # dead at once: nothing pending, exit 1 all the same
        self.assertEqual(len(receiver.requests), 1)
        dead = self.outbox(ws, "dead")
        self.assertEqual(len(dead), 1)
        self.assertIn("HTTP 400", dead[0]["last_error"])
        ws.cycle(iso(60), expect=0)
        self.assertEqual(len(receiver.requests), 1, "a dead message is not retried")
        # An administrator fixes the receiver and requeues it by hand.
        retry = ws.run("outbox", "retry", "--config", ws.config, dead[0]["id"])
        self.assertEqual(retry.returncode, 0, retry.stderr)
        ws.cycle(iso(120), expect=0)  # requeued messages are due from the moment of the retry
        self.assertEqual(len(receiver.requests), 2)
        self.assertEqual(self.outbox(ws, "dead"), [])


    def test_send_test_reaches_each_kind_of_receiver(self):
        receiver, ws = self.webhook([])
        run = ws.run("send-test", "--config", ws.config, "--receiver", "hook")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(len(receiver.requests), 1)
        self.assertEqual(json.loads(receiver.requests[0]["body"])["status"], "test")
        self.assertIn("X-Shihyo-Signature", receiver.requests[0]["headers"])

        smtp = SmtpSink(self).start()
        mail = Workspace(self)
        mail.write("shihyo.yaml", EMAIL_CONFIG.format(rules=RULES, port=smtp.port))
        run = mail.run("send-test", "--config", mail.config, "--receiver", "kodomo")
        self.assertEqual(run.returncode, 0, run.stderr)
        (msg, env), = smtp.messages()
        self.assertEqual(env["rcpt_tos"], ["kodomo@example.lg.jp"])
        self.assertIn("テスト送信", str(msg["Subject"]))

        smtp.stop()
        failed = mail.run("send-test", "--config", mail.config, "--receiver", "kodomo")
        self.assertEqual(failed.returncode, 1)
        self.assertIn("failed", failed.stderr)
        unknown = mail.run("send-test", "--config", mail.config, "--receiver", "nobody", check=False)
        self.assertEqual(unknown.returncode, 2)


if __name__ == "__main__":
    main()
