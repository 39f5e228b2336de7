"""Issue 13, items 5 and 6, as the binary behaves: alerts of indicators an
import removed resolve as removed, never as fixed; `daemon --once` exits 1
when a message went dead; an unreadable indicator store and a state DB on a
full disk are logged when they start and end (not at every poll), the admin
is told once, and delivery resumes with nothing lost when space returns."""
import datetime
import email
import email.policy
import glob
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import unittest

from harness import (HERE, KAMAISHI, RULES, SHIHYO, Daemon, SmtpSink, Workspace, free_port, main,
                     stop_process, text_part, wait_for_port, wait_until)

T0 = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))


def iso(minutes):
    return (T0 + datetime.timedelta(minutes=minutes)).isoformat()


CONFIG = """
store: {store}
state: {state}
rules: {rules}
evaluation: {{interval: 1h, poll_interval: 200ms}}
smtp:
  url: smtp://127.0.0.1:{port}
  starttls: off
  from: shihyo@kamaishi.example.lg.jp
  timeout: 5s
receivers:
  - name: kodomo
    email: {{to: [kodomo@example.lg.jp]}}
  - name: admin
    email: {{to: [admin@example.lg.jp]}}
admin_receiver: admin
route:
  receiver: kodomo
  group_by: [plan]
  group_wait: 0s
outbox: {{initial_backoff: 1s, max_backoff: 2s}}
"""


def workspace(test, port, store=None, state=None):
    ws = Workspace(test)
    ws.write("shihyo.yaml", CONFIG.format(store=store or ws.store,
                                          state=state or ws.path("state.db"),
                                          rules=RULES, port=port))
    return ws


def kamaishi():
    with open(KAMAISHI, encoding="utf-8") as f:
        return f.read()


class RemovedIndicatorsTest(unittest.TestCase):
    def test_alerts_of_removed_indicators_resolve_as_removed_not_fixed(self):
        smtp = SmtpSink(self).start()
        ws = workspace(self, smtp.port)
        ws.import_table()
        ws.cycle(iso(0), expect=0)
        (first,) = smtp.messages()
        self.assertIn("児童虐待発生件数", text_part(first[0]))  # project 3: abuse counts
        # A table that really dropped project 3 (its 10 indicators).
        text = kamaishi()
        cut = ws.write("cut.txt", text[:text.index("\nプロジェクト3") + 1])
        proc = ws.run("import", "--db", ws.store, "--allow-removal", cut)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        ws.cycle(iso(1), expect=0)
        msgs = smtp.messages()
        self.assertEqual(len(msgs), 2)
        msg = msgs[1][0]
        body = text_part(msg)
        self.assertIn("表から削除", msg["Subject"])
        self.assertNotIn("解消", msg["Subject"], "nothing was fixed")
        self.assertNotIn("━━ 解消したアラート ━━", body)
        heading = body.index("━━ 表から削除された指標のアラート ━━")
        self.assertIn("値が直ったのではありません", body)
        self.assertIn("児童虐待発生件数", body[heading:])
        self.assertIn("表から削除されたため解消", body[heading:])
        self.assertNotIn("に解消）", body, "a removed alert is not dated as fixed")
        self.assertIn("表から削除された指標のアラート", msg.get_body(("html",)).get_content())
        # Restoring the rows and fixing a value: that one is resolved as fixed.
        ws.import_table(ws.write("back.txt", text))
        ws.cycle(iso(2), expect=0)
        ws.import_corrected([("7件\t25件", "7件\t7件")])
        ws.cycle(iso(3), expect=0)
        last = smtp.messages()[-1][0]
        self.assertIn("解消", last["Subject"])
        self.assertNotIn("表から削除", last["Subject"])
        self.assertIn("━━ 解消したアラート ━━", text_part(last))


def faulty_smtp(test, ws, mode):
    """faulty_smtp.Faulty on a free port, in |mode| (a dict); returns the port."""
    port = free_port()
    with open(ws.path("mode.json"), "w") as f:
        json.dump(mode, f)
    server = subprocess.Popen(
        ["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % port,
         "-c", "faulty_smtp.Faulty", ws.path("mail"), ws.path("mode.json")],
        env=dict(os.environ, PYTHONPATH=HERE),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    test.addCleanup(stop_process, server)
    wait_for_port(port, proc=server)
    return port


class OnceExitTest(unittest.TestCase):
    def test_once_exits_1_when_a_message_went_dead(self):
        ws = Workspace(self)
        port = faulty_smtp(self, ws, {"mode": "550"})
        ws.write("shihyo.yaml", CONFIG.format(store=ws.store, state=ws.path("state.db"),
                                              rules=RULES, port=port))
        ws.import_table()
        once = ws.cycle(iso(0), expect=1)  # nothing pending: every message went dead
        self.assertIn("0 retrying", once.stdout)
        self.assertIn("outbox pending 0", once.stdout)
        self.assertNotIn(" 0 dead", once.stdout)
        ws.cycle(iso(1), expect=0)  # nothing went dead in this run


class SizeLimitTest(unittest.TestCase):
    def test_a_message_refused_for_its_size_is_sent_shortened_not_dead(self):
        ws = Workspace(self)
        port = faulty_smtp(self, ws, {"mode": "size", "limit": 30000})
        ws.write("shihyo.yaml", CONFIG.format(store=ws.store, state=ws.path("state.db"),
                                              rules=RULES, port=port))
        ws.import_table()
        once = ws.cycle(iso(0), expect=0)
        self.assertIn("1 sent", once.stdout)
        with open(ws.path("mail/too-big.jsonl")) as f:
            (refused,) = [json.loads(line) for line in f]
        self.assertGreater(refused["bytes"], 30000)
        (eml,) = glob.glob(ws.path("mail/*.eml"))
        with open(eml, "rb") as f:
            raw = f.read()
        self.assertLessEqual(len(raw), 30000)
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        self.assertIn("新規アラート", msg["Subject"])
        self.assertIsNone(msg.get_body(("html",)), "the HTML part is left out")
        body = text_part(msg)
        self.assertTrue(body.startswith("※ このお知らせは大きすぎて"), body[:200])
        self.assertIn("shihyo alerts", body)
        self.assertIn("━━ アラート ━━", body)
        self.assertIn("詳細: ", body)  # the footer kept
        outbox = ws.json("outbox", "list")["messages"]
        self.assertEqual([m["status"] for m in outbox], ["sent"])
        self.assertIn("shortened", outbox[0]["last_error"])

    def test_a_message_the_server_refuses_even_shortened_goes_dead(self):
        ws = Workspace(self)
        port = faulty_smtp(self, ws, {"mode": "size", "limit": 1000})
        ws.write("shihyo.yaml", CONFIG.format(store=ws.store, state=ws.path("state.db"),
                                              rules=RULES, port=port))
        ws.import_table()
        ws.cycle(iso(0), expect=1)
        with open(ws.path("mail/too-big.jsonl")) as f:
            self.assertEqual(len(f.readlines()), 2, "tried once more, shortened, then gave up")
        outbox = ws.json("outbox", "list")["messages"]
        self.assertEqual([m["status"] for m in outbox], ["dead"])
        self.assertIn("552", outbox[0]["last_error"])


class UndecidedRegexTest(unittest.TestCase):
    def test_a_route_regex_over_the_match_limit_sends_to_the_default_and_says_so(self):
        smtp = SmtpSink(self).start()
        ws = Workspace(self)
        # Matches through '.*c', but '(a+)+b' backtracks past PCRE2's match limit first.
        name = "a" * 40 + "c"
        ws.import_table(ws.write("a.txt", kamaishi().replace("児童虐待発生件数(の減少)", name, 1)))
        config = CONFIG.format(store=ws.store, state=ws.path("state.db"), rules=RULES,
                               port=smtp.port)
        config = config.replace("  group_wait: 0s\n", "  group_wait: 0s\n  routes:\n"
                                "    - receiver: admin\n"
                                "      match_re: {indicator: '^(?:(a+)+b|.*c)$'}\n")
        ws.write("shihyo.yaml", config)
        once = ws.cycle(iso(0), expect=0)
        self.assertIn("warning: route 0.0 (receiver admin): indicator=~^(?:(a+)+b|.*c)$: "
                      "regular expression /^(?:^(?:(a+)+b|.*c)$)$/ could not be decided: match "
                      "limit exceeded; alert spike (%s) sent to the default receiver kodomo" % name,
                      once.stderr)
        by_rcpt = {env["rcpt_tos"][0]: msg for msg, env in smtp.messages()}
        self.assertEqual(list(by_rcpt), ["kodomo@example.lg.jp"], "never a guess")
        self.assertIn(name, text_part(by_rcpt["kodomo@example.lg.jp"]))


class NameLengthTest(unittest.TestCase):
    def test_a_title_or_name_over_1000_characters_is_refused_with_its_line(self):
        ws = Workspace(self)
        text = kamaishi()
        title = [line for line in text.split("\n") if line.strip()][0]  # line 3
        cases = [
            (text.replace(title, "計" * 1001, 1),
             ": the plan title is 1001 characters long (at most 1000)"),
            (text.replace("児童虐待発生件数(の減少)", "件" * 1001, 1),
             ":85: the indicator name is 1001 characters long (at most 1000)"),
            # 60 KiB: under the 64 KiB cell bound, once 14 MB of state (issue 13).
            (text.replace(title, "計" * 20480, 1), ": the plan title is 20480 characters long"),
        ]
        for table, expected in cases:
            path = ws.write("long.txt", table)
            started = time.time()
            proc = ws.run("import", "--db", ws.store, path, check=False)
            self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
            self.assertIn(path + expected, proc.stderr)
            self.assertLess(time.time() - started, 20)
            self.assertFalse(os.path.exists(ws.store))
        ws.import_table(ws.write("ok.txt", text.replace(title, "計" * 1000, 1)))


class WatchdogDuringHangTest(unittest.TestCase):
    def test_watchdog_pings_continue_while_smtp_hangs_after_data(self):
        ws = Workspace(self)
        port = faulty_smtp(self, ws, {"mode": "hang"})
        ws.write("shihyo.yaml", CONFIG.format(store=ws.store, state=ws.path("state.db"),
                                              rules=RULES, port=port).replace(
                                                  "timeout: 5s", "timeout: 20s"))
        ws.import_table()
        sock_path = ws.path("notify.sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(sock_path)
        self.addCleanup(sock.close)
        sock.settimeout(0.1)
        pings = []  # monotonic times of WATCHDOG=1
        stop = threading.Event()
        self.addCleanup(stop.set)

        def record():
            while not stop.is_set():
                try:
                    msg = sock.recv(4096).decode()
                except socket.timeout:
                    continue
                except OSError:
                    return
                if "WATCHDOG=1" in msg.split("\n"):
                    pings.append(time.monotonic())

        threading.Thread(target=record, daemon=True).start()
        # WatchdogSec=4s: a ping at least every 2 s.
        daemon = Daemon(self, ws, env={"NOTIFY_SOCKET": sock_path,
                                       "WATCHDOG_USEC": "4000000"}).start()
        # The first message goes out at once (group_wait 0s) and its DATA
        # is never answered: the daemon waits up to smtp.timeout (20 s).
        self.assertTrue(wait_until(lambda: pings, 5), daemon.logs())
        hang_started = time.monotonic()
        time.sleep(6)
        window = [t for t in pings if t >= hang_started - 1]
        gaps = [b - a for a, b in zip(window, window[1:])]
        self.assertGreaterEqual(len(window), 3, "WATCHDOG=1 stopped during the hang: %r" % gaps)
        self.assertLess(max(gaps), 3.0, "a gap near WATCHDOG_USEC: %r" % gaps)
        self.assertNotIn("message sent", daemon.logs())
        started = time.monotonic()
        self.assertEqual(daemon.terminate(timeout=10), 0, daemon.logs())
        self.assertLess(time.monotonic() - started, 3, "SIGTERM honoured during the hang")


def count(log, text):
    return sum(1 for line in log.splitlines() if text in line)


class UnreadableStoreTest(unittest.TestCase):
    def test_an_unreadable_store_is_logged_once_and_the_admin_told_once(self):
        smtp = SmtpSink(self).start()
        ws = workspace(self, smtp.port)
        ws.write("store.db", "this is not an SQLite file, but long enough to be read " * 40)
        daemon = Daemon(self, ws).start()
        # poll_interval 200ms: 4 s are some 20 polls.
        self.assertTrue(wait_until(lambda: len(smtp.messages()) == 1, 15), daemon.logs())
        time.sleep(4)
        logs = daemon.logs()
        self.assertEqual(count(logs, "indicator store not readable:"), 1, logs)
        (notice,) = smtp.messages()
        self.assertEqual(notice[1]["rcpt_tos"], ["admin@example.lg.jp"])
        self.assertIn("指標ストアを読めません", notice[0]["Subject"])
        os.remove(ws.store)
        ws.import_table()
        self.assertTrue(wait_until(
            lambda: "indicator store not readable: recovered after" in daemon.logs(), 10),
            daemon.logs())
        self.assertTrue(wait_until(lambda: len(smtp.messages()) == 2, 10), daemon.logs())
        self.assertEqual(smtp.messages()[1][1]["rcpt_tos"], ["kodomo@example.lg.jp"])
        self.assertEqual(daemon.terminate(), 0)
        self.assertEqual(count(daemon.logs(), "recovered after"), 1)


class FullDiskTest(unittest.TestCase):
    """The state DB on a 2 MB tmpfs, mounted in a private mount namespace
    (unshare -m) by a helper shell that runs the daemon: root only."""

    @unittest.skipUnless(os.geteuid() == 0, "needs root to mount a small tmpfs (CI runs as root)")
    @unittest.skipUnless(shutil.which("unshare"), "needs unshare(1)")
    def test_full_disk_pauses_logs_once_and_recovers_with_nothing_lost(self):
        smtp = SmtpSink(self).start()
        mnt = tempfile.mkdtemp(prefix="shihyo-full-")
        self.addCleanup(shutil.rmtree, mnt, True)
        ws = workspace(self, smtp.port, state=os.path.join(mnt, "state.db"))
        ws.import_table()
        log = open(ws.path("daemon.log"), "ab")
        self.addCleanup(log.close)
        control = ws.path("control")  # commands for the helper, run inside the namespace
        os.mkfifo(control)
        script = ("mount -t tmpfs -o size=2m tmpfs {mnt} && "
                  "{shihyo} --log-level info daemon --config {config} & pid=$!; "
                  "while true; do read cmd < {control} || continue; eval \"$cmd\"; done").format(
                      mnt=mnt, shihyo=SHIHYO, config=ws.config, control=control)
        env = dict(os.environ)
        env.pop("JOURNAL_STREAM", None)
        proc = subprocess.Popen(["unshare", "-m", "--propagation", "private", "sh", "-c", script],
                                stdout=log, stderr=log, env=env, start_new_session=True)
        self.addCleanup(self.stop, proc, control)

        def run(cmd):
            with open(control, "w") as f:
                f.write(cmd + "\n")

        def logs():
            with open(ws.path("daemon.log"), encoding="utf-8", errors="replace") as f:
                return f.read()

        self.assertTrue(wait_until(lambda: len(smtp.messages()) == 1, 20), logs())
        # Fill the tmpfs (inside the namespace), then change the store: the
        # evaluation cannot commit, nothing is sent, the daemon keeps running.
        marker = ws.path("filled")

        def wal_size(name):
            run("stat -c %%s %s/state.db-wal > %s.tmp && mv %s.tmp %s" % (
                mnt, ws.path(name), ws.path(name), ws.path(name)))
            self.assertTrue(wait_until(lambda: os.path.exists(ws.path(name)), 10))
            with open(ws.path(name)) as f:
                return int(f.read())

        wal_before = wal_size("wal-before")
        run("dd if=/dev/zero of=%s/filler bs=4096 2>/dev/null; touch %s" % (mnt, marker))
        self.assertTrue(wait_until(lambda: os.path.exists(marker), 20))
        ws.import_corrected([("7件\t25件", "7件\t7件")])
        self.assertTrue(wait_until(lambda: "state DB not writable:" in logs(), 10), logs())
        time.sleep(4)  # some 20 polls
        self.assertIsNone(proc.poll())
        text = logs()
        self.assertEqual(count(text, "state DB not writable:"), 1, text)
        self.assertEqual(len(smtp.messages()), 1, "nothing is sent while the state DB is full")
        # Space returns: delivery resumes; the change's message and the admin's
        # notice arrive, nothing lost, the state DB's WAL given back.
        # 600 KB back (the space the WAL holds must be given back, too).
        run("truncate -s -600K %s/filler" % mnt)
        self.assertTrue(wait_until(lambda: "state DB not writable: recovered" in logs(), 10),
                        logs())
        self.assertTrue(wait_until(lambda: len(smtp.messages()) == 3, 15), logs())
        rcpts = sorted(env["rcpt_tos"][0] for _, env in smtp.messages()[1:])
        self.assertEqual(rcpts, ["admin@example.lg.jp", "kodomo@example.lg.jp"])
        by_rcpt = {env["rcpt_tos"][0]: msg for msg, env in smtp.messages()[1:]}
        self.assertIn("解消", by_rcpt["kodomo@example.lg.jp"]["Subject"])
        self.assertIn("回復しました", text_part(by_rcpt["admin@example.lg.jp"]))
        time.sleep(1)
        self.assertEqual(len(smtp.messages()), 3, "each message once")
        self.assertIsNone(proc.poll())
        self.assertEqual(count(logs(), "recovered after"), 1)
        # The WAL was given back (wal_checkpoint(TRUNCATE)) and has grown since
        # by this episode's writes only.
        self.assertLess(wal_size("wal-after"), wal_before)

    def stop(self, proc, control):
        if proc.poll() is None:
            try:
                fd = os.open(control, os.O_WRONLY | os.O_NONBLOCK)
                os.write(fd, b"kill $pid; wait; exit\n")
                os.close(fd)
                proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                os.killpg(proc.pid, 9)
                proc.wait()


if __name__ == "__main__":
    main()
