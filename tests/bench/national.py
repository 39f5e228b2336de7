#!/usr/bin/env python3
"""National-scale benchmark: prints one table of time and peak memory for the
work a prefecture or ministry does with shihyo, at N municipalities.

  /usr/bin/python3 tests/bench/national.py [--build build] [--sizes 300,1741]
        [--indicators 117] [--peer PANDAS_SCRIPT] [--skip-daemon]

For each N it generates N tables in the bundled layout (build/tests/
shihyo_gen_tables), then measures: import of all files, re-import of the
unchanged files, `eval --format json`, `eval` (text), the sqlite3 read floor
(`select * from observations`), and the daemon: first cycle and its RSS, the
re-evaluation after one municipality is re-imported with one changed cell,
the time from that import's commit to the email accepted by a local aiosmtpd
(group_wait 0s), and idle CPU. With --peer, the same files through an
analyst's pandas script, for comparison. Only 127.0.0.1 is contacted.

Not run by CI: it takes minutes and gigabytes at N = 1,741.
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
RULES = os.path.join(SOURCE, "rules")
NOW = "2026-11-28"


def measure(cmd, stdout=subprocess.DEVNULL, stdin=None):
    """Runs |cmd|; returns (seconds, peak RSS in MB, exit code, CPU seconds) of that
    process alone. The CPU time (user + system) is what to compare on a shared
    machine, where the elapsed time also counts the waits for a core."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, stdin=stdin)
    err_reader = threading.Thread(target=proc.stderr.read, daemon=True)
    err_reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - start
    return elapsed, usage.ru_maxrss / 1024.0, proc.returncode, usage.ru_utime + usage.ru_stime


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("aiosmtpd did not listen on %d" % port)


class Table:
    def __init__(self):
        self.rows = []

    def add(self, n, what, seconds=None, rss=None, note="", cpu=None):
        self.rows.append((n, what, seconds, cpu, rss, note))
        sec = "%.3f" % seconds if seconds is not None else "—"
        cs = "%.3f" % cpu if cpu is not None else "—"
        mb = "%.0f" % rss if rss is not None else "—"
        print("  %-6s %-48s %10s s %8s s CPU %8s MB  %s" % (n, what, sec, cs, mb, note),
              flush=True)

    def markdown(self):
        out = ["| N | work | time (s) | CPU (s) | peak RSS (MB) | note |",
               "|---|---|---|---|---|---|"]
        fmt = lambda v, f: f % v if v is not None else "—"
        for n, what, sec, cpu, rss, note in self.rows:
            out.append("| %s | %s | %s | %s | %s | %s |" % (
                n, what, fmt(sec, "%.3f"), fmt(cpu, "%.3f"), fmt(rss, "%.0f"), note))
        return "\n".join(out)


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return None


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Daemon:
    """shihyo daemon with its log read line by line, stamped on arrival."""

    def __init__(self, shihyo, config):
        self.proc = subprocess.Popen([shihyo, "daemon", "--config", config],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.lines = []  # (monotonic time, text)
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.proc.stderr:
            with self.cond:
                self.lines.append((time.monotonic(), raw.decode("utf-8", "replace")))
                self.cond.notify_all()

    def wait_for(self, pattern, after=0, timeout=600):
        """The first (time, line) matching |pattern| among lines after index |after|."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for i in range(after, len(self.lines)):
                    if re.search(pattern, self.lines[i][1]):
                        return i, self.lines[i]
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise RuntimeError("daemon: no line matching %r" % pattern)
                self.cond.wait(left)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def smtp_count(directory):
    return len([f for f in os.listdir(directory) if f.endswith(".eml")])


def bench_daemon(args, n, work, store, table):
    port = free_port()
    mail = os.path.join(work, "mail")
    sink = subprocess.Popen(
        ["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % port,
         "-c", "smtp_sink.MessageDir", mail],
        env=dict(os.environ, PYTHONPATH=os.path.join(SOURCE, "tests", "integration")),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    daemon = None
    try:
        wait_port(port)
        config = os.path.join(work, "shihyo.yaml")
        with open(config, "w") as f:
            f.write("""store: %s
state: %s
rules: %s
evaluation: {interval: 1h, poll_interval: 100ms}
smtp: {url: "smtp://127.0.0.1:%d", starttls: "off", from: bench@example.lg.jp, timeout: 10s}
receivers:
  - {name: kodomo, email: {to: [kodomo@example.lg.jp]}}
route: {receiver: kodomo, group_by: [plan], group_wait: 0s}
""" % (store, os.path.join(work, "state.db"), RULES, port))
        start = time.monotonic()
        daemon = Daemon(args.shihyo, config)
        i, (t, line) = daemon.wait_for(r"evaluated reason=")
        table.add(n, "daemon: first cycle", t - start, rss_mb(daemon.proc.pid),
                  cpu=cpu_seconds(daemon.proc.pid))
        # Let every first digest go out (else the change's email queues behind
        # them), then change one cell of one municipality.
        first_messages = int(re.search(r" messages=([0-9]+)", line).group(1))
        deadline = time.monotonic() + 900
        while smtp_count(mail) < first_messages and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(2)
        sent_before = smtp_count(mail)
        first = os.path.join(work, "tables", "city0001.txt")
        changed = os.path.join(work, "changed.txt")
        text = open(first, encoding="utf-8").read()
        cell = re.search(r"\t([0-9,]+)人\t", text)
        text = text[:cell.start(1)] + "99,999" + text[cell.end(1):]
        with open(changed, "w", encoding="utf-8") as f:
            f.write(text)
        shutil.copy(changed, first)
        mark = len(daemon.lines)
        subprocess.run([args.shihyo, "import", "--db", store, first], check=True,
                       stdout=subprocess.DEVNULL)
        committed = time.monotonic()
        _, (t_eval, line) = daemon.wait_for(r"evaluated reason=", after=mark)
        dur = re.search(r"duration_ms=([0-9.]+)", line)
        cpu = re.search(r"cpu_ms=([0-9.]+)", line)
        plans = re.search(r"plans=([0-9]+/[0-9]+)", line)
        table.add(n, "daemon: re-evaluation after one re-import",
                  float(dur.group(1)) / 1000 if dur else t_eval - committed, None,
                  ("as logged, plans evaluated %s" % plans.group(1)) if dur and plans else
                  "as logged" if dur else "commit → evaluated line (includes the poll)",
                  cpu=float(cpu.group(1)) / 1000 if cpu else None)
        deadline = time.monotonic() + 120
        while smtp_count(mail) == sent_before and time.monotonic() < deadline:
            time.sleep(0.01)
        if smtp_count(mail) > sent_before:
            table.add(n, "daemon: import commit → email accepted by SMTP",
                      time.monotonic() - committed, rss_mb(daemon.proc.pid))
        else:
            table.add(n, "daemon: import commit → email accepted by SMTP", None, None,
                      "no email within 120 s")
        time.sleep(2)
        c0, w0 = cpu_seconds(daemon.proc.pid), time.monotonic()
        time.sleep(10)
        idle = (cpu_seconds(daemon.proc.pid) - c0) / (time.monotonic() - w0) * 100
        table.add(n, "daemon: idle CPU over 10 s", None, rss_mb(daemon.proc.pid), "%.2f %%" % idle)
    finally:
        if daemon:
            daemon.stop()
        sink.terminate()
        sink.wait()


def bench_size(args, n, table):
    work = tempfile.mkdtemp(prefix="shihyo-bench-%d-" % n, dir=args.workdir)
    try:
        tables = os.path.join(work, "tables")
        subprocess.run([args.gen, tables, str(n), str(args.indicators)], check=True,
                       stdout=subprocess.DEVNULL)
        files = sorted(os.path.join(tables, f) for f in os.listdir(tables))
        cells = n * args.indicators * 5
        store = os.path.join(work, "store.db")
        sec, rss, rc, cpu = measure([args.shihyo, "import", "--db", store] + files)
        table.add(n, "import of all files (%d cells)" % cells, sec, rss, "exit %d" % rc, cpu)
        sec, rss, rc, cpu = measure([args.shihyo, "import", "--db", store] + files)
        table.add(n, "re-import of the unchanged files", sec, rss, "exit %d" % rc, cpu)
        out = os.path.join(work, "eval.json")
        with open(out, "wb") as f:
            sec, rss, rc, cpu = measure([args.shihyo, "eval", "--db", store, "--rules", RULES,
                                         "--now", NOW, "--format", "json"], stdout=f)
        table.add(n, "eval --format json", sec, rss,
                  "%.0f MB of JSON, exit %d" % (os.path.getsize(out) / 1e6, rc), cpu)
        with open(os.path.join(work, "eval.txt"), "wb") as f:
            sec, rss, rc, cpu = measure([args.shihyo, "eval", "--db", store, "--rules", RULES,
                                         "--now", NOW], stdout=f)
        table.add(n, "eval (text)", sec, rss, "exit %d" % rc, cpu)
        sec, rss, _, cpu = measure(["sqlite3", store, "select * from observations"])
        table.add(n, "sqlite3 read floor (select * from observations)", sec, rss, cpu=cpu)
        if args.peer:
            with open(os.path.join(work, "peer.tsv"), "wb") as f:
                sec, rss, rc, cpu = measure(["/usr/bin/python3", args.peer] + files, stdout=f)
            table.add(n, "peer: pandas script on the same files", sec, rss, "exit %d" % rc, cpu)
        if not args.skip_daemon:
            bench_daemon(args, n, work, store, table)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--build", default=os.path.join(SOURCE, "build"))
    p.add_argument("--sizes", default="300,1741")
    p.add_argument("--indicators", type=int, default=117)
    p.add_argument("--peer", help="an analyst's pandas script to run on the same files")
    p.add_argument("--skip-daemon", action="store_true")
    p.add_argument("--workdir", default=None, help="where the tables and stores go (tmp)")
    args = p.parse_args()
    args.shihyo = os.path.join(args.build, "shihyo")
    args.gen = os.path.join(args.build, "tests", "shihyo_gen_tables")
    for tool in (args.shihyo, args.gen):
        if not os.access(tool, os.X_OK):
            sys.exit("%s: not built (cmake --build %s)" % (tool, args.build))
    table = Table()
    print("shihyo national benchmark: %s municipalities × %d indicators × 5 fiscal years, %d cores"
          % (args.sizes, args.indicators, os.cpu_count()))
    print("load average at start: %.2f %.2f %.2f" % os.getloadavg())
    for n in [int(s) for s in args.sizes.split(",")]:
        bench_size(args, n, table)
    print()
    print(table.markdown())


if __name__ == "__main__":
    main()
