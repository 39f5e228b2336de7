"""Issue 13 hardening, as the binary behaves: a store path that is not a
regular file (a FIFO) is refused at once with exit 2, never waited on in
open() (where only SIGKILL could end the process); import refuses devices
and truncated tables and never aborts when memory runs out."""
import os
import resource
import subprocess
import unittest

from harness import KAMAISHI, RULES, SHIHYO, Daemon, Workspace, main, wait_until

CONFIG = """
store: fifo.db
state: state.db
rules: {rules}
evaluation: {{interval: 1h, poll_interval: 200ms}}
receivers:
  - {{name: hook, webhook: {{url: "http://127.0.0.1:9/h"}}}}
route: {{receiver: hook}}
"""


def shihyo(*args):
    # A blocked open() shows as TimeoutExpired: the test fails, never hangs.
    return subprocess.run([SHIHYO] + list(args), capture_output=True, text=True, timeout=20)


class FifoStoreTest(unittest.TestCase):
    def setUp(self):
        self.ws = Workspace(self)
        self.fifo = self.ws.path("fifo.db")
        os.mkfifo(self.fifo)

    def test_indicators_and_eval_refuse_a_fifo_with_exit_2(self):
        for args in (["indicators", "--db", self.fifo],
                     ["eval", "--db", self.fifo, "--rules", RULES]):
            proc = shihyo(*args)
            self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
            self.assertIn(self.fifo + ": not a regular file", proc.stderr)

    def test_daemon_refuses_a_fifo_once_and_as_a_service_stops_on_sigterm(self):
        self.ws.write("shihyo.yaml", CONFIG.format(rules=RULES))
        once = shihyo("--log-level", "warn", "daemon", "--config", self.ws.config, "--once")
        self.assertEqual(once.returncode, 2, once.stdout + once.stderr)
        self.assertIn(self.fifo + ": not a regular file", once.stderr)
        daemon = Daemon(self, self.ws).start()
        self.assertTrue(wait_until(lambda: "not a regular file" in daemon.logs(), 15),
                        daemon.logs())
        self.assertEqual(daemon.terminate(timeout=10), 0, daemon.logs())


# A sanitizer build cannot run under an address-space limit (ASan maps
# terabytes of shadow memory); the plain build runs these tests.
SANITIZED = os.environ.get("SHIHYO_SANITIZE") == "1"


def limited(megabytes):
    def apply():
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def import_under(limit_mb, *args):
    return subprocess.run([SHIHYO, "import"] + list(args), capture_output=True, text=True,
                          timeout=60, preexec_fn=limited(limit_mb))


class ImportInputTest(unittest.TestCase):
    def setUp(self):
        self.ws = Workspace(self)
        self.db = self.ws.path("store.db")
        with open(KAMAISHI, encoding="utf-8") as f:
            self.text = f.read()

    @unittest.skipIf(SANITIZED, "AddressSanitizer reserves more address space than the limit")
    def test_dev_zero_and_a_fifo_are_refused_at_once_under_a_memory_limit(self):
        fifo = self.ws.path("table.txt")
        os.mkfifo(fifo)
        for path in ("/dev/zero", fifo):
            proc = import_under(256, "--db", self.db, path)
            self.assertEqual(proc.returncode, 2, proc.stderr)
            self.assertIn(path + ": not a regular file", proc.stderr)

    @unittest.skipIf(SANITIZED, "AddressSanitizer reserves more address space than the limit")
    def test_a_large_table_runs_out_of_memory_with_a_message_not_an_abort(self):
        head = "\n".join(self.text.split("\n")[:10]) + "\n"
        rows = "".join(f"指標{i}" + "（利用者の延べ人数）" * 8 + "\t8,000人\t4,801人\t\t\t\t\n"
                       for i in range(40000))
        path = self.ws.write("large.txt", head + rows)
        proc = import_under(48, "--db", self.db, path)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("out of memory; nothing imported", proc.stderr)
        self.assertFalse(os.path.exists(self.db) and os.path.getsize(self.db) > 0)

    def test_a_table_cut_at_a_row_boundary_is_refused(self):
        full = subprocess.run([SHIHYO, "import", "--db", self.db, KAMAISHI], capture_output=True)
        self.assertEqual(full.returncode, 0)
        cut = self.ws.write("cut.txt", self.text[:self.text.index("\nプロジェクト3") + 1])
        proc = subprocess.run([SHIHYO, "import", "--db", self.db, cut], capture_output=True,
                              text=True, timeout=60)
        self.assertEqual(proc.returncode, 1, proc.stdout + proc.stderr)
        self.assertIn("would remove 10 of the 26 indicators", proc.stderr)


if __name__ == "__main__":
    main()
