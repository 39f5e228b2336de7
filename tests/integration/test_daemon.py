"""The daemon as a service: it sees store changes made by any program within
seconds, reloads edited rules without a restart, keeps running the last good
rules when a file is broken (and tells the admin once), talks to systemd,
stops cleanly, and loses or repeats nothing when killed at random."""
import os
import random
import shutil
import signal
import subprocess
import json
import re
import sys
import threading
import socket
import sqlite3
import time
import unittest

from harness import (RULES, Daemon, HttpReceiver, SmtpSink, Workspace, main, text_part,
                     wait_until)

CONFIG = """
store: store.db
state: state.db
rules: rules
admin_receiver: ops
evaluation: {{interval: 1h, poll_interval: {poll}}}
smtp:
  url: smtp://127.0.0.1:{port}
  starttls: off
  from: shihyo@kamaishi.example.lg.jp
  timeout: 5s
receivers:
  - name: kodomo
    email: {{to: [kodomo@example.lg.jp]}}
  - name: ops
    email: {{to: [ops@example.lg.jp]}}
route:
  receiver: kodomo
  group_by: [plan]
outbox: {{initial_backoff: 1s, max_backoff: 2s}}
"""


def to(msgs, address):
    return [m for m, env in msgs if address in env["rcpt_tos"]]


class DaemonTest(unittest.TestCase):
    def setUp(self):
        self.smtp = SmtpSink(self).start()
        self.ws = Workspace(self)
        shutil.copytree(RULES, self.ws.path("rules"), ignore=shutil.ignore_patterns("tests"))
        self.ws.write("shihyo.yaml", CONFIG.format(port=self.smtp.port, poll="200ms"))
        self.ws.import_table()

    def start(self, env=None):
        daemon = Daemon(self, self.ws, env).start()
        self.assertTrue(wait_until(lambda: len(to(self.smtp.messages(), "kodomo@example.lg.jp")) == 1,
                                   15), daemon.logs())
        return daemon

    def kodomo(self):
        return to(self.smtp.messages(), "kodomo@example.lg.jp")

    def test_sqlite3_and_import_changes_arrive_within_5_seconds(self):
        daemon = self.start()
        # Any program: here the sqlite3 command-line shell.
        update = subprocess.run(
            ["sqlite3", self.ws.store,
             "UPDATE observations SET raw = '30件', value = 30, unit = '件', status = 'value'"
             " WHERE fiscal_year = 2024 AND indicator_id ="
             " (SELECT id FROM indicators WHERE name = '児童虐待発生件数(の減少)');"],
            capture_output=True, text=True)
        committed = time.time()
        self.assertEqual(update.returncode, 0, update.stderr)
        self.assertTrue(wait_until(lambda: len(self.kodomo()) == 2, 5), daemon.logs())
        self.assertLess(time.time() - committed, 5.0)
        self.assertIn("児童虐待発生件数(の減少)", text_part(self.kodomo()[1]))
        self.assertIn("30件", text_part(self.kodomo()[1]))

        self.ws.import_corrected([("4,858件", "4,858人")])
        imported = time.time()
        self.assertTrue(wait_until(lambda: len(self.kodomo()) == 3, 5), daemon.logs())
        self.assertLess(time.time() - imported, 5.0)
        self.assertIn("解消", text_part(self.kodomo()[2]))
        self.assertEqual(daemon.terminate(), 0)

    def test_rule_edits_reload_and_broken_rules_keep_the_old_ones(self):
        daemon = self.start()
        path = self.ws.path("rules/30-trends.yaml")
        with open(path, encoding="utf-8") as f:
            original = f.read()
        # Stricter: a spike is now 1.1 times away from the neighbours.
        stricter = original.replace("factor: 1.5", "factor: 1.1")
        self.assertNotEqual(stricter, original)
        with open(path, "w", encoding="utf-8") as f:
            f.write(stricter)
        self.assertTrue(wait_until(lambda: len(self.kodomo()) == 2, 5), daemon.logs())
        self.assertIn("関係機関との連携件数", text_part(self.kodomo()[1]))

        # A typo: the daemon keeps the rules it has and tells the admin once.
        broken = stricter.replace("    check: spike", "    chek: spike")
        with open(path, "w", encoding="utf-8") as f:
            f.write(broken)
        ops = lambda: to(self.smtp.messages(), "ops@example.lg.jp")
        self.assertTrue(wait_until(lambda: len(ops()) == 1, 5), daemon.logs())
        body = text_part(ops()[0])
        self.assertRegex(body, r"rules/30-trends\.yaml:\d+:5: rule 'spike': unknown key 'chek'")
        with open(path, "a", encoding="utf-8") as f:  # saved again, same error
            f.write("\n")
        time.sleep(1.5)
        self.assertEqual(len(ops()), 1, "one notification per breakage")
        # The old rules still run: a data change still produces its alert.
        db = sqlite3.connect(self.ws.store)
        db.execute("UPDATE observations SET raw = '30件', value = 30, unit = '件', status = 'value'"
                   " WHERE fiscal_year = 2024 AND indicator_id ="
                   " (SELECT id FROM indicators WHERE name = '児童虐待発生件数(の減少)')")
        db.commit()
        db.close()
        self.assertTrue(wait_until(lambda: len(self.kodomo()) == 3, 5), daemon.logs())
        self.assertIn("rule reload failed", daemon.logs())
        self.assertEqual(daemon.terminate(), 0)

    def test_systemd_notifications_reload_and_stop(self):
        """A fake NOTIFY_SOCKET records every datagram in order; on READY=1
        it reads the state DB at once: the first evaluation must be committed
        by then."""
        sock_path = self.ws.path("notify.sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(sock_path)
        self.addCleanup(sock.close)
        sock.settimeout(0.1)
        received = []  # datagrams, in order
        evaluations_at_ready = []
        stop = threading.Event()
        self.addCleanup(stop.set)
        state_db = self.ws.path("state.db")

        def evaluations():
            if not os.path.exists(state_db):
                return 0
            db = sqlite3.connect("file:%s?mode=ro" % state_db, uri=True, timeout=5)
            try:
                return db.execute("SELECT COUNT(*) FROM evaluations").fetchone()[0]
            except sqlite3.OperationalError:  # no schema yet
                return 0
            finally:
                db.close()

        def record():
            while not stop.is_set():
                try:
                    msg = sock.recv(4096).decode()
                except socket.timeout:
                    continue
                except OSError:
                    return
                if "READY=1" in msg.split("\n") and not evaluations_at_ready:
                    evaluations_at_ready.append(evaluations())
                received.append(msg)

        recorder = threading.Thread(target=record, daemon=True)
        recorder.start()
        daemon = self.start({"NOTIFY_SOCKET": sock_path, "WATCHDOG_USEC": "1000000"})
        lines = lambda: [line for msg in list(received) for line in msg.split("\n")]
        self.assertTrue(wait_until(lambda: "READY=1" in lines(), 5), received)
        self.assertEqual(lines()[0], "READY=1", "nothing before READY: %r" % received)
        self.assertEqual(lines().count("READY=1"), 1)
        self.assertGreaterEqual(evaluations_at_ready[0], 1,
                                "READY=1 came before the first evaluation was committed")
        self.assertTrue(wait_until(lambda: "WATCHDOG=1" in lines(), 3), received)
        self.assertTrue(wait_until(lambda: any(re.match(
            r"STATUS=last evaluation .*alerts firing; outbox pending \d+", line)
            for line in lines()), 3), received)

        before = len(lines())
        daemon.proc.send_signal(signal.SIGHUP)
        after = lambda: [line for line in lines()[before:] if line != "WATCHDOG=1"
                         and not line.startswith("STATUS=")]
        self.assertTrue(wait_until(lambda: "READY=1" in after(), 5), received)
        reload = after()
        self.assertEqual(reload[0], "RELOADING=1", reload)
        self.assertRegex(reload[1], r"^MONOTONIC_USEC=\d+$")
        self.assertEqual(reload.index("READY=1"), 2, "RELOADING=1 then READY=1: %r" % reload)

        started = time.time()
        self.assertEqual(daemon.terminate(), 0)
        self.assertLess(time.time() - started, 5)
        self.assertTrue(wait_until(lambda: "STOPPING=1" in lines(), 2), received)

    def update_store(self, name, raw, value):
        db = sqlite3.connect(self.ws.store)
        db.execute("UPDATE observations SET raw = ?, value = ?, unit = '件', status = 'value'"
                   " WHERE fiscal_year = 2024 AND indicator_id ="
                   " (SELECT id FROM indicators WHERE name = ?)", (raw, value, name))
        db.commit()
        db.close()

    def test_broken_config_on_sighup_keeps_the_old_one_until_fixed(self):
        daemon = self.start()
        good = CONFIG.format(port=self.smtp.port, poll="200ms")
        broken = good.replace("  - name: kodomo\n    email:", "  - name: kodomo\n    emial:")
        self.assertNotEqual(broken, good)
        line = broken.splitlines().index("    emial: {to: [kodomo@example.lg.jp]}") + 1
        self.ws.write("shihyo.yaml", broken)
        daemon.proc.send_signal(signal.SIGHUP)
        ops = lambda: to(self.smtp.messages(), "ops@example.lg.jp")
        self.assertTrue(wait_until(lambda: "config reload failed" in daemon.logs(), 5),
                        daemon.logs())
        self.assertRegex(daemon.logs(), r"shihyo\.yaml:%d:5: [^\n]*emial" % line)
        self.assertTrue(wait_until(lambda: len(ops()) == 1, 5), daemon.logs())
        self.assertRegex(text_part(ops()[0]), r"shihyo\.yaml:%d:5: " % line)
        # Still up, on the old config: a change reaches kodomo as before.
        self.update_store("児童虐待発生件数(の減少)", "30件", 30)
        self.assertTrue(wait_until(lambda: len(self.kodomo()) == 2, 5), daemon.logs())
        self.assertIsNone(daemon.proc.poll(), daemon.logs())

        # Fixed, with kodomo's address changed: the new config applies.
        self.ws.write("shihyo.yaml", good.replace("to: [kodomo@example.lg.jp]",
                                                  "to: [kodomo2@example.lg.jp]"))
        daemon.proc.send_signal(signal.SIGHUP)
        self.assertTrue(wait_until(lambda: 'reason="config reloaded"' in daemon.logs(), 5),
                        daemon.logs())
        self.update_store("子育て支援センターの相談件数", "150件", 150)
        kodomo2 = lambda: to(self.smtp.messages(), "kodomo2@example.lg.jp")
        self.assertTrue(wait_until(lambda: len(kodomo2()) == 1, 5), daemon.logs())
        self.assertEqual(len(self.kodomo()), 2, "the old address gets nothing more")
        self.assertEqual(len(ops()), 1)
        self.assertEqual(daemon.terminate(), 0)

    def test_one_reload_one_evaluation_and_one_line_per_sighup(self):
        daemon = self.start()
        self.assertTrue(wait_until(lambda: "evaluated" in daemon.logs(), 5), daemon.logs())
        time.sleep(0.5)
        before = len(daemon.logs())
        # A rule edit saved just before the reload, as `vi rule; systemctl reload`.
        with open(self.ws.path("rules/40-abuse.yaml"), "a", encoding="utf-8") as f:
            f.write("\n# edited\n")
        daemon.proc.send_signal(signal.SIGHUP)
        self.assertTrue(wait_until(lambda: 'reason="config reloaded"' in daemon.logs(), 5),
                        daemon.logs())
        time.sleep(1.5)  # a second reload (inotify, 300 ms debounce) would be here by now
        new = daemon.logs()[before:].splitlines()
        # Two events, one line each: the reload and its evaluation.
        self.assertEqual(len(new), 2, new)
        self.assertIn('rules reloaded reason="SIGHUP"', new[0])
        self.assertIn('evaluated reason="config reloaded"', new[1])
        self.assertEqual(len(self.kodomo()), 1, "nothing changed: nothing sent")

        # A broken config: one line for the failure, one per error, nothing else.
        good = CONFIG.format(port=self.smtp.port, poll="200ms")
        self.ws.write("shihyo.yaml", good.replace("group_by: [plan]",
                                                  "group_by: [plan]\n  group_wiat: 1s\n  "
                                                  "repeat_interval: 5 minutes"))
        before = len(daemon.logs())
        daemon.proc.send_signal(signal.SIGHUP)
        self.assertTrue(wait_until(lambda: "config reload failed" in daemon.logs()[before:], 5),
                        daemon.logs())
        time.sleep(1.0)
        # The admin's notice is an event of its own: its sending is logged.
        new = [l for l in daemon.logs()[before:].splitlines() if "message sent" not in l]
        errors = [l for l in new if "config error:" in l]
        self.assertEqual(len(errors), 2, new)
        self.assertEqual([l for l in new if l not in errors],
                         [l for l in new if "config reload failed" in l and "errors=2" in l], new)
        self.assertEqual(len(new), 3, new)
        self.assertEqual(daemon.terminate(), 0)

    def test_times_shown_to_people_in_the_configured_timezone(self):
        base = CONFIG.format(port=self.smtp.port, poll="200ms")
        self.ws.write("shihyo.yaml", base + "timezone: America/New_York\n")
        self.ws.cycle("2026-11-28T09:00:00+09:00", expect=0)
        text = text_part(self.kodomo()[0])
        self.assertIn("2026年11月27日 19:00", text)  # 09:00 JST is 19:00 EST the day before
        self.assertNotIn("2026年11月28日 09:00", text)
        listing = self.ws.run("outbox", "list", "--config", self.ws.config, "--status", "sent")
        self.assertRegex(listing.stdout, r"\(E[SD]T\)")  # the zone at the time it runs
        alerts = self.ws.run("alerts", "--config", self.ws.config)
        self.assertRegex(alerts.stdout, r"\(E[SD]T\)")

        # The default is Japan time, as before.
        self.ws.write("shihyo.yaml", base)
        self.ws.import_corrected([("4,858件", "4,858人")])
        self.ws.cycle("2026-11-28T10:00:00+09:00", expect=0)
        self.assertIn("2026年11月28日 10:00", text_part(self.kodomo()[1]))

        # A zone that does not exist: check names the line, the daemon refuses it.
        self.ws.write("shihyo.yaml", base + "timezone: Asia/Tokio\n")
        line = (base + "timezone: Asia/Tokio\n").splitlines().index("timezone: Asia/Tokio") + 1
        check = self.ws.run("check", "--config", self.ws.config, check=False)
        self.assertEqual(check.returncode, 1)
        self.assertIn("shihyo.yaml:%d:11: 'timezone': unknown time zone 'Asia/Tokio'" % line,
                      check.stderr)

    def test_evaluates_on_its_schedule_without_changes(self):
        self.ws.write("shihyo.yaml", CONFIG.format(port=self.smtp.port, poll="200ms").replace(
            "interval: 1h", "interval: 10s"))
        daemon = self.start()
        self.assertTrue(wait_until(lambda: 'reason="schedule"' in daemon.logs(), 15), daemon.logs())
        self.assertEqual(len(self.kodomo()), 1, "a scheduled evaluation with no change sends nothing")
        self.assertEqual(daemon.terminate(), 0)

    def test_busy_and_missing_store_do_not_crash_or_resolve(self):
        daemon = self.start()
        # A lock that really keeps readers out: on a WAL database BEGIN
        # EXCLUSIVE does not, so the store is swapped for a copy in rollback
        # journal mode whose EXCLUSIVE lock is held while the daemon polls it.
        # The copy has one change, to see the daemon pick it up afterwards.
        copy = self.ws.path("store-copy.db")
        src = sqlite3.connect(self.ws.store)
        dst = sqlite3.connect(copy)
        src.backup(dst)
        src.close()
        dst.execute("PRAGMA journal_mode=DELETE")
        dst.execute("UPDATE observations SET raw = '30件', value = 30, unit = '件',"
                    " status = 'value' WHERE fiscal_year = 2024 AND indicator_id ="
                    " (SELECT id FROM indicators WHERE name = '児童虐待発生件数(の減少)')")
        dst.commit()
        dst.close()
        lock = sqlite3.connect(copy, timeout=0, isolation_level=None)
        self.addCleanup(lock.close)
        lock.execute("BEGIN EXCLUSIVE")
        reader = sqlite3.connect(copy, timeout=0)
        with self.assertRaises(sqlite3.OperationalError):  # readers are kept out
            reader.execute("SELECT COUNT(*) FROM indicators").fetchone()
        reader.close()
        os.rename(copy, self.ws.store)
        self.assertTrue(wait_until(lambda: "indicator store busy" in daemon.logs()
                                   or "not readable" in daemon.logs()
                                   or "evaluation skipped" in daemon.logs(), 5), daemon.logs())
        time.sleep(2.0)  # several polls against the locked store
        self.assertIsNone(daemon.proc.poll(), daemon.logs())
        self.assertEqual(len(self.kodomo()), 1, "nothing resolved, nothing sent while locked")
        lock.execute("ROLLBACK")
        lock.close()
        # Unlocked: the daemon reads the store again and mails the one change.
        self.assertTrue(wait_until(lambda: len(self.kodomo()) == 2, 10), daemon.logs())
        body = text_part(self.kodomo()[1])
        self.assertIn("児童虐待発生件数(の減少)", body)
        # Only what the change itself resolves (that indicator's blank 令和6年度).
        resolved = body.split("━━ 解消したアラート ━━", 1)[1].split("\n--\n", 1)[0]
        self.assertEqual([line for line in resolved.splitlines() if line.startswith("● ")],
                         ["● 児童虐待発生件数(の減少)"], "nothing was resolved by the lock")

        os.rename(self.ws.store, self.ws.store + ".away")
        time.sleep(1.0)
        os.rename(self.ws.store + ".away", self.ws.store)
        time.sleep(1.0)
        self.assertIsNone(daemon.proc.poll(), daemon.logs())
        self.assertEqual(len(self.kodomo()), 2, "nothing resolved, nothing repeated")
        self.assertEqual(daemon.terminate(), 0)

    def test_kill_9_during_50_cycles_loses_nothing_and_repeats_at_most_the_one_in_flight(self):
        rng = random.Random(20261128)
        daemon = self.start()
        db = sqlite3.connect(self.ws.store)
        kills = 0
        for i in range(50):
            # Filled in, then emptied again: an alert resolves or fires every time.
            filled = i % 2 == 0
            db.execute("UPDATE observations SET raw = ?, value = ?, unit = ?, status = ?"
                       " WHERE fiscal_year = 2024 AND indicator_id ="
                       " (SELECT id FROM indicators WHERE name = '子育て支援センターの相談件数')",
                       ("%d件" % (150 + i), 150 + i, "件", "value") if filled
                       else ("", None, None, "missing"))
            db.commit()
            time.sleep(rng.uniform(0.05, 0.4))
            if rng.random() < 0.2:
                daemon.kill9()
                kills += 1
                daemon = Daemon(self, self.ws).start()
        db.close()
        self.assertGreater(kills, 3)

        # Let the last daemon catch up (its first evaluation after a restart
        # may queue one more message), then stop it and read the final outbox.
        state = {"ids": None, "since": time.time()}

        def settled():
            listed = self.ws.json("outbox", "list")["messages"]
            ids = sorted(m["id"] for m in listed)
            if ids != state["ids"]:
                state["ids"], state["since"] = ids, time.time()
            done = listed and all(m["status"] == "sent" for m in listed)
            return done and time.time() - state["since"] > 2.0

        self.assertTrue(wait_until(settled, 40, interval=0.3), daemon.logs())
        self.assertEqual(daemon.terminate(), 0)
        listed = self.ws.json("outbox", "list")["messages"]
        self.assertTrue(all(m["status"] == "sent" for m in listed), listed)
        queued = {m["id"] for m in listed}
        received = [m["Message-ID"].strip("<>") for m, _ in self.smtp.messages()]
        self.assertEqual(set(received), queued, "every message that was due is delivered")
        duplicates = len(received) - len(set(received))
        print("\n  kill -9: %d kills, %d messages queued, %d received, %d duplicates"
              % (kills, len(queued), len(received), duplicates), file=sys.stderr)
        self.assertLessEqual(duplicates, kills, "none twice beyond the one in flight per kill")
        self.assertGreater(len(queued), 10, "mail was flowing")
        self.assert_every_alert_change_has_its_message()

    def assert_every_alert_change_has_its_message(self):
        """The promise "a message is committed in the same transaction as its
        alert change", read from the state DB: each evaluation that fired or
        resolved an alert wrote the messages it counted, at its own time, and
        the last change of every alert is in a message written with it."""
        db = sqlite3.connect(self.ws.path("state.db"))
        self.addCleanup(db.close)
        rows = db.execute("SELECT at, SUM(fired), SUM(resolved), SUM(messages) FROM evaluations"
                          " GROUP BY at ORDER BY at").fetchall()
        outbox = {}
        for created_at, payload in db.execute("SELECT created_at, payload FROM outbox"):
            outbox.setdefault(created_at, []).append(payload)
        changes = 0
        for at, fired, resolved, messages in rows:
            written = outbox.get(at, [])
            self.assertEqual(len(written), messages, "evaluation at %d counted %d messages, the"
                             " outbox holds %d from then" % (at, messages, len(written)))
            if fired or resolved:
                changes += 1
                self.assertGreater(messages, 0, "alert change at %d without a message" % at)
        self.assertEqual(sum(len(v) for v in outbox.values()), sum(r[3] for r in rows),
                         "every message in the outbox came from a recorded evaluation")
        self.assertGreater(changes, 10, "the alert changed state many times")
        # Email payloads name no fingerprint: the digest written at the alert's
        # last change must carry its message (firing; the digest drops the
        # "indicator：" prefix; an alert grouped with others of its rule and
        # year is named by its indicator in the group's list, which wraps, so
        # that the last name may start a line of its own) or its indicator
        # (resolved).
        for fp, state, starts_at, ends_at, finding in db.execute(
                "SELECT fingerprint, state, starts_at, ends_at, finding FROM alerts"):
            finding = json.loads(finding)
            at, needles = ((ends_at, [finding["indicator"]]) if state == "resolved"
                           else (starts_at, [finding["message"].split("：", 1)[-1],
                                             finding["indicator"] + "、",
                                             "、" + finding["indicator"] + "\n",
                                             "    " + finding["indicator"] + "\n"]))
            texts = [json.loads(p)["text"] for p in outbox.get(at, [])]
            self.assertTrue(any(n in t for t in texts for n in needles),
                            "alert %s %s at %d has no message written with it" % (fp, state, at))

HOOK_CONFIG = """
store: store.db
state: state.db
rules: {rules}
admin_receiver: admin
evaluation: {{interval: 1h, poll_interval: 200ms}}
receivers:
  - name: hook
    webhook: {{url: {url}, timeout: 5s}}
  - name: admin
    webhook: {{url: {admin_url}, timeout: 5s}}
route:
  receiver: hook
  group_by: {group_by}
  group_wait: {group_wait}
outbox: {{initial_backoff: 1s}}
"""


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class WebhookDaemonTest(unittest.TestCase):
    def workspace(self, hook, admin, group_by="[plan]", group_wait="0s"):
        ws = Workspace(self)
        ws.write("shihyo.yaml", HOOK_CONFIG.format(rules=RULES, url=hook.url, admin_url=admin.url,
                                                   group_by=group_by, group_wait=group_wait))
        ws.import_table()
        return ws

    def test_sighup_during_delivery_waits_for_the_batch(self):
        hook = HttpReceiver(self, delay=0.3)
        admin = HttpReceiver(self)
        ws = self.workspace(hook, admin, group_by="[...]")  # one message per alert: a long batch
        daemon = Daemon(self, ws).start()
        self.assertTrue(wait_until(lambda: len(hook.requests) >= 3, 10), daemon.logs())
        daemon.proc.send_signal(signal.SIGHUP)
        firing = len(ws.json("alerts")["alerts"])
        self.assertTrue(wait_until(lambda: len(hook.requests) >= firing, 60), daemon.logs())
        self.assertIsNone(daemon.proc.poll(), daemon.logs())
        self.assertIn("after this delivery", daemon.logs())
        self.assertEqual(daemon.terminate(), 0)

    def test_missing_store_while_a_group_waits_does_not_spin(self):
        hook = HttpReceiver(self)
        admin = HttpReceiver(self)
        ws = self.workspace(hook, admin, group_wait="2s")
        daemon = Daemon(self, ws).start()
        time.sleep(0.5)  # the first evaluation has put a group in group_wait
        os.rename(ws.store, ws.store + ".away")
        before = cpu_seconds(daemon.proc.pid)
        time.sleep(3.0)
        used = cpu_seconds(daemon.proc.pid) - before
        self.assertLess(used, 0.5, "CPU seconds in 3 s with nothing to do")
        os.rename(ws.store + ".away", ws.store)
        self.assertTrue(wait_until(lambda: len(hook.requests) == 1, 10), daemon.logs())
        self.assertEqual(daemon.terminate(), 0)

    def test_dead_messages_tell_the_admin_once_and_never_loop(self):
        hook = HttpReceiver(self, default_status=400)
        admin = HttpReceiver(self, default_status=400)
        ws = self.workspace(hook, admin)
        daemon = Daemon(self, ws).start()
        self.assertTrue(wait_until(lambda: len(admin.requests) == 1, 10), daemon.logs())
        time.sleep(2.0)
        self.assertEqual(len(hook.requests), 1)
        self.assertEqual(len(admin.requests), 1, "a dead admin message makes no new one")
        body = json.loads(admin.requests[0]["body"])
        self.assertEqual(body["status"], "admin")
        self.assertIn("送信できなかった通知", body["summary"])
        self.assertEqual(daemon.terminate(), 0)
        dead = ws.json("outbox", "list", "--status", "dead")["messages"]
        self.assertEqual(len(dead), 2)

    def test_a_second_writer_is_refused_while_the_daemon_runs(self):
        hook = HttpReceiver(self)
        ws = self.workspace(hook, HttpReceiver(self))
        daemon = Daemon(self, ws).start()
        self.assertTrue(wait_until(lambda: len(hook.requests) == 1, 10), daemon.logs())
        once = ws.run("daemon", "--config", ws.config, "--once", check=False)
        self.assertEqual(once.returncode, 2)
        self.assertIn("another shihyo daemon is using this state DB", once.stderr)
        self.assertEqual(daemon.terminate(), 0)


if __name__ == "__main__":
    main()
