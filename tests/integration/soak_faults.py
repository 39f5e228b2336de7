"""Fault soak: the daemon against an SMTP server that flaps between up, 421,
hanging after DATA and refusing one recipient, while the store changes every
second, the daemon is killed with SIGKILL at random, the store is locked and
the rules are reloaded. At the end, with the server up, every message that
became due is delivered to every recipient the server accepted, duplicates
are at most the kills, nothing is dead that a recovering server could have
taken, and the daemon's memory stayed flat. It prints those counts.

  SHIHYO=build/shihyo /usr/bin/python3 tests/integration/soak_faults.py [--minutes 10]

Only 127.0.0.1; bounded by --minutes plus a drain of at most two minutes.
"""
import argparse
import glob
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

from harness import (HERE, RULES, SHIHYO, KAMAISHI, free_port, stop_process, wait_for_port)

CONFIG = """store: store.db
state: state.db
rules: rules
evaluation: {{interval: 1h, poll_interval: 200ms}}
smtp: {{url: "smtp://127.0.0.1:{port}", starttls: "off", from: shihyo@example.lg.jp, timeout: 3s}}
receivers:
  - name: kodomo
    email: {{to: [kodomo@example.lg.jp], cc: [kacho@example.lg.jp]}}
route: {{receiver: kodomo, group_by: [plan], group_wait: 0s}}
outbox: {{initial_backoff: 1s, max_backoff: 4s, max_age: 1h}}
"""
MODES = ["up", "up", "421", "hang", "refuse"]
REFUSED = "kacho@example.lg.jp"


class Soak:
    def __init__(self, minutes, seed):
        self.minutes = minutes
        self.rng = random.Random(seed)
        self.dir = tempfile.mkdtemp(prefix="shihyo-soak-")
        self.mail = os.path.join(self.dir, "mail")
        self.mode_file = os.path.join(self.dir, "mode.json")
        self.port = free_port()
        self.kills = self.locks = self.reloads = self.switches = 0
        self.rss = []  # (seconds since start, kB)
        self.daemon = self.smtp = None
        self.log = open(os.path.join(self.dir, "daemon.log"), "ab")

    def run_shihyo(self, *args):
        return subprocess.run([SHIHYO] + list(args), capture_output=True, text=True, timeout=120,
                              cwd=self.dir)

    def set_mode(self, mode):
        with open(self.mode_file + ".tmp", "w") as f:
            json.dump({"mode": mode, "refuse": [REFUSED]}, f)
        os.rename(self.mode_file + ".tmp", self.mode_file)

    def start_smtp(self):
        self.set_mode("up")
        self.smtp = subprocess.Popen(
            ["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % self.port,
             "-c", "faulty_smtp.Faulty", self.mail, self.mode_file],
            env=dict(os.environ, PYTHONPATH=HERE), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        wait_for_port(self.port, proc=self.smtp)

    def start_daemon(self):
        env = dict(os.environ)
        env.pop("JOURNAL_STREAM", None)
        self.daemon = subprocess.Popen(
            [SHIHYO, "--log-level", "info", "daemon", "--config", "shihyo.yaml"], cwd=self.dir,
            stdout=self.log, stderr=self.log, env=env)

    def setup(self):
        shutil.copytree(RULES, os.path.join(self.dir, "rules"),
                        ignore=shutil.ignore_patterns("tests"))
        with open(os.path.join(self.dir, "shihyo.yaml"), "w") as f:
            f.write(CONFIG.format(port=self.port))
        proc = self.run_shihyo("import", "--db", "store.db", KAMAISHI)
        assert proc.returncode == 0, proc.stderr
        self.start_smtp()
        self.start_daemon()

    def change_store(self, i):
        """Fills or empties one FY2024 cell: an alert fires or resolves."""
        db = sqlite3.connect(os.path.join(self.dir, "store.db"), timeout=10)
        filled = i % 2 == 0
        db.execute("UPDATE observations SET raw = ?, value = ?, unit = ?, status = ?"
                   " WHERE fiscal_year = 2024 AND indicator_id ="
                   " (SELECT id FROM indicators WHERE name = '子育て支援センターの相談件数')",
                   ("%d件" % (150 + i), 150 + i, "件", "value") if filled
                   else ("", None, None, "missing"))
        db.commit()
        db.close()

    def lock_store(self, seconds):
        """Holds the store's write lock for |seconds|, as a long import does
        (WAL readers such as the daemon are not blocked by it)."""
        db = sqlite3.connect(os.path.join(self.dir, "store.db"), timeout=10)
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE plans SET name = name")
        time.sleep(seconds)
        db.rollback()
        db.close()
        self.locks += 1

    def sample_rss(self, start):
        try:
            with open("/proc/%d/status" % self.daemon.pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        self.rss.append((time.monotonic() - start, int(line.split()[1])))
        except OSError:
            pass

    def step(self, i, start):
        self.change_store(i)
        r = self.rng.random()
        if r < 0.04:
            self.daemon.kill()
            self.daemon.wait()
            self.kills += 1
            self.start_daemon()
        elif r < 0.07:
            self.lock_store(self.rng.uniform(1, 3))
        elif r < 0.10:
            os.kill(self.daemon.pid, signal.SIGHUP)
            self.reloads += 1
        if i % 12 == 0:
            self.set_mode(self.rng.choice(MODES))
            self.switches += 1
        self.sample_rss(start)
        time.sleep(self.rng.uniform(0.3, 1.2))

    def drain(self):
        """Server up for good: waits until nothing is pending (at most 120 s)."""
        self.set_mode("up")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            listed = self.outbox()
            if listed and all(m["status"] != "pending" for m in listed):
                time.sleep(2)
                if all(m["status"] != "pending" for m in self.outbox()):
                    return
            time.sleep(1)

    def outbox(self):
        proc = self.run_shihyo("outbox", "list", "--config", "shihyo.yaml", "--format", "json")
        return json.loads(proc.stdout)["messages"] if proc.returncode == 0 else []

    def received(self):
        got = []
        for path in sorted(glob.glob(os.path.join(self.mail, "*.eml"))):
            with open(path, "rb") as f:
                head = f.read(8192).decode("utf-8", "replace")
            mid = next((l.split(":", 1)[1].strip().strip("<>") for l in head.splitlines()
                        if l.lower().startswith("message-id:")), None)
            with open(path[:-4] + ".json") as f:
                got.append((mid, json.load(f)["rcpt_tos"]))
        return got

    def report(self):
        listed = self.outbox()
        sent = {m["id"] for m in listed if m["status"] == "sent"}
        dead = [m for m in listed if m["status"] == "dead"]
        pending = [m for m in listed if m["status"] == "pending"]
        got = self.received()
        ids = [mid for mid, _ in got]
        duplicates = len(ids) - len(set(ids))
        missing = sent - set(ids)
        to_missing = [mid for mid, rcpts in got if "kodomo@example.lg.jp" not in rcpts]
        warm = [kb for t, kb in self.rss if t > 30] or [kb for _, kb in self.rss]
        early = max(warm[:max(1, len(warm) // 4)])
        late = max(warm[-max(1, len(warm) // 4):])
        print("soak: %.1f min, %d mode switches, %d kills, %d store locks, %d reloads"
              % (self.minutes, self.switches, self.kills, self.locks, self.reloads))
        print("soak: %d messages queued, %d sent, %d received (%d distinct), %d duplicates, "
              "%d dead, %d pending, %d sent but not received, %d without the To recipient"
              % (len(listed), len(sent), len(ids), len(set(ids)), duplicates, len(dead),
                 len(pending), len(missing), len(to_missing)))
        print("soak: daemon RSS %d kB in the first quarter, %d kB in the last" % (early, late))
        problems = []
        if dead:
            problems.append("dead messages: %s" % [(m["id"], m.get("last_error")) for m in dead])
        if pending:
            problems.append("%d still pending after the drain" % len(pending))
        if missing:
            problems.append("sent but never received: %s" % sorted(missing))
        if to_missing:
            problems.append("received without the accepted To recipient: %s" % to_missing)
        if duplicates > self.kills:
            problems.append("%d duplicates for %d kills" % (duplicates, self.kills))
        if len(listed) < 10:
            problems.append("only %d messages: mail was not flowing" % len(listed))
        if late > early * 1.5 + 10240:
            problems.append("RSS grew from %d to %d kB" % (early, late))
        return problems

    def run(self):
        self.setup()
        start = time.monotonic()
        i = 0
        try:
            while time.monotonic() - start < self.minutes * 60:
                self.step(i, start)
                i += 1
            self.drain()
            return self.report()
        finally:
            if self.daemon:
                stop_process(self.daemon)
            if self.smtp:
                stop_process(self.smtp)
            self.log.close()

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--minutes", type=float, default=10.0)
    p.add_argument("--seed", type=int, default=int(time.time()))
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    args = p.parse_args()
    soak = Soak(min(args.minutes, 10.0), args.seed)
    print("soak: seed %d, work directory %s" % (args.seed, soak.dir))
    problems = soak.run()
    for problem in problems:
        print("soak: FAIL: " + problem)
    if not args.keep and not problems:
        soak.cleanup()
    print("soak: %d passed, %d failed" % (1 if not problems else 0, 1 if problems else 0))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
