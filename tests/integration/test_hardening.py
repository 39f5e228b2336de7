"""Issue 13 hardening, as the binary behaves: a store path that is not a
regular file (a FIFO) is refused at once with exit 2, never waited on in
open() (where only SIGKILL could end the process)."""
import os
import subprocess
import unittest

from harness import RULES, SHIHYO, Daemon, Workspace, main, wait_until

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


if __name__ == "__main__":
    main()
