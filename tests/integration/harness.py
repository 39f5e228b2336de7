"""Real servers on 127.0.0.1 for shihyo's integration tests: aiosmtpd, an
HTTP receiver and Prometheus Alertmanager, on free ports, stopped when the
test ends (also when it fails: every start registers its own cleanup)."""
import email
import email.policy
import glob
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
SHIHYO = os.environ.get("SHIHYO", os.path.join(SOURCE, "build", "shihyo"))
KAMAISHI = os.path.join(SOURCE, "data", "kamaishi_kosodate_r2-r6.txt")
RULES = os.path.join(SOURCE, "rules")
PLAN = "第2期釜石市子ども・子育て支援事業計画 重点プロジェクト進捗状況【数値指標】"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=15.0, proc=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("server exited with %s" % proc.returncode)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nothing listening on 127.0.0.1:%d" % port)


def stop_process(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class SmtpSink:
    """aiosmtpd (Debian's python3-aiosmtpd) with smtp_sink.MessageDir."""

    def __init__(self, test, port=None):
        self.dir = tempfile.mkdtemp(prefix="shihyo-smtp-")
        test.addCleanup(shutil.rmtree, self.dir, True)
        self.port = port or free_port()
        self.proc = None
        self.test = test

    def start(self):
        env = dict(os.environ, PYTHONPATH=HERE)
        self.proc = subprocess.Popen(
            ["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % self.port,
             "-c", "smtp_sink.MessageDir", self.dir],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.test.addCleanup(stop_process, self.proc)
        wait_for_port(self.port, proc=self.proc)
        return self

    def stop(self):
        stop_process(self.proc)

    def messages(self):
        """Every message received, oldest first: (email.message, envelope dict
        with mail_from, rcpt_tos and the raw bytes)."""
        out = []
        for path in sorted(glob.glob(os.path.join(self.dir, "*.eml"))):
            with open(path, "rb") as f:
                raw = f.read()
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            with open(path[:-4] + ".json") as f:
                envelope = json.load(f)
            envelope["raw"] = raw
            out.append((msg, envelope))
        return out


def text_part(msg):
    return msg.get_body(preferencelist=("plain",)).get_content()


def html_part(msg):
    return msg.get_body(preferencelist=("html",)).get_content()


class HttpReceiver:
    """A real HTTP server in this process; answers with the queued statuses
    (then 200) and records every request."""

    def __init__(self, test, statuses=(), delay=0.0, default_status=200):
        self.requests = []
        self.statuses = list(statuses)
        self.delay = delay  # seconds before answering; may be changed while running
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body})
                time.sleep(receiver.delay)
                status = receiver.statuses.pop(0) if receiver.statuses else default_status
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = "http://127.0.0.1:%d/hook" % self.port
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        test.addCleanup(self.server.server_close)
        test.addCleanup(self.server.shutdown)

    def json_bodies(self):
        return [json.loads(r["body"]) for r in self.requests]


class Alertmanager:
    """Debian's prometheus-alertmanager, gossip off, on a free port."""

    def __init__(self, test, webhook_url=None):
        self.dir = tempfile.mkdtemp(prefix="shihyo-am-")
        test.addCleanup(shutil.rmtree, self.dir, True)
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        receiver = {"name": "default"}
        if webhook_url:
            receiver["webhook_configs"] = [{"url": webhook_url, "send_resolved": True}]
        config = {"route": {"receiver": "default", "group_by": ["plan"], "group_wait": "1s",
                            "group_interval": "1s", "repeat_interval": "1h"},
                  "receivers": [receiver]}
        path = os.path.join(self.dir, "alertmanager.yml")
        with open(path, "w") as f:
            json.dump(config, f)  # JSON is YAML
        self.proc = subprocess.Popen(
            ["prometheus-alertmanager", "--config.file=" + path,
             "--storage.path=" + os.path.join(self.dir, "data"),
             "--web.listen-address=127.0.0.1:%d" % self.port, "--cluster.listen-address="],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        test.addCleanup(stop_process, self.proc)
        wait_for_port(self.port, proc=self.proc)
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/-/ready", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.1)

    def alerts(self, **filters):
        query = "&".join("%s=%s" % kv for kv in filters.items())
        with urllib.request.urlopen(self.url + "/api/v2/alerts?" + query, timeout=5) as r:
            return json.loads(r.read())


class Workspace:
    """A temporary directory with an indicator store, a config and helpers
    to run shihyo in it."""

    def __init__(self, test):
        self.dir = tempfile.mkdtemp(prefix="shihyo-it-")
        test.addCleanup(shutil.rmtree, self.dir, True)
        self.test = test
        self.store = os.path.join(self.dir, "store.db")
        self.config = os.path.join(self.dir, "shihyo.yaml")

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        with open(self.path(name), "w", encoding="utf-8") as f:
            f.write(text)
        return self.path(name)

    def run(self, *args, check=True):
        proc = subprocess.run([SHIHYO] + list(args), capture_output=True, text=True, timeout=120)
        if check and proc.returncode not in (0, 1):
            raise AssertionError("shihyo %s: exit %d\n%s%s" % (" ".join(args), proc.returncode,
                                                              proc.stdout, proc.stderr))
        return proc

    def import_table(self, path=KAMAISHI):
        proc = self.run("import", "--db", self.store, path)
        self.test.assertEqual(proc.returncode, 0, proc.stderr)

    def import_corrected(self, replacements):
        """Imports the Kamaishi table with |replacements| (old → new cell text)."""
        with open(KAMAISHI, encoding="utf-8") as f:
            text = f.read()
        for old, new in replacements:
            self.test.assertIn(old, text)
            text = text.replace(old, new, 1)
        self.import_table(self.write("corrected.txt", text))

    def cycle(self, now=None, *, expect):
        """`daemon --once` at |now|; asserts its exit code is |expect| (0: the
        outbox is empty afterwards, 1: something is left in it)."""
        args = ["--log-level", "error", "daemon", "--config", self.config, "--once"]
        if now:
            args += ["--now", now]
        proc = self.run(*args, check=False)
        self.test.assertEqual(proc.returncode, expect, "daemon --once at %s\n%s%s"
                              % (now or "now", proc.stdout, proc.stderr))
        return proc

    def json(self, *args):
        proc = self.run(*args, "--config", self.config, "--format", "json")
        self.test.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)


def main():
    unittest.main(argv=[sys.argv[0]] + sys.argv[1:], verbosity=2)


class Daemon:
    """`shihyo daemon` in the background; stopped (SIGTERM, then SIGKILL) at
    the end of the test."""

    def __init__(self, test, ws, env=None):
        self.test = test
        self.ws = ws
        self.env = dict(os.environ, **(env or {}))
        self.env.pop("JOURNAL_STREAM", None)
        self.proc = None
        self.log = open(ws.path("daemon.log"), "ab")
        test.addCleanup(self.log.close)

    def start(self):
        self.proc = subprocess.Popen(
            [SHIHYO, "--log-level", "info", "daemon", "--config", self.ws.config],
            stdout=self.log, stderr=self.log, env=self.env)
        self.test.addCleanup(stop_process, self.proc)
        return self

    def kill9(self):
        self.proc.kill()
        self.proc.wait()

    def terminate(self, timeout=10):
        self.proc.terminate()
        return self.proc.wait(timeout=timeout)

    def logs(self):
        with open(self.ws.path("daemon.log"), encoding="utf-8", errors="replace") as f:
            return f.read()


def wait_until(predicate, timeout, interval=0.05):
    """Polls |predicate| until it returns a true value or |timeout| passes."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
