"""The daemon's HTTP server on 127.0.0.1: health and readiness, the JSON API
(the same alerts as `shihyo alerts --format json`), /metrics checked by
promtool and scraped by a real Prometheus, the Japanese status pages (every
link an email carries resolves; names from the table are shown as text), and
its limits: no bodies, no other methods, slow clients do not hold it or the
daemon's cycle."""
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

from harness import (KAMAISHI, PLAN, RULES, Daemon, HttpReceiver, Workspace, free_port, main,
                     stop_process, wait_for_port, wait_until)

CONFIG = """
store: store.db
state: state.db
rules: rules
external_url: http://127.0.0.1:{http}
evaluation: {{interval: 1h, poll_interval: 200ms}}
receivers:
  - name: hook
    webhook: {{url: {hook}, format: alertmanager}}
route:
  receiver: hook
  group_by: [plan]
http: {{listen: 127.0.0.1:{http}}}
"""


def get(port, path, method="GET", body=None, headers=None):
    """(status, headers, body) of one request to the daemon."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        conn.close()


class HttpTest(unittest.TestCase):
    def setUp(self):
        self.hook = HttpReceiver(self)
        self.ws = Workspace(self)
        shutil.copytree(RULES, self.ws.path("rules"), ignore=shutil.ignore_patterns("tests"))
        self.port = free_port()
        self.ws.write("shihyo.yaml", CONFIG.format(http=self.port, hook=self.hook.url))

    def start(self, imported=True):
        if imported:
            self.ws.import_table()
        self.daemon = Daemon(self, self.ws).start()
        wait_for_port(self.port, proc=self.daemon.proc)
        if imported:
            self.assertTrue(wait_until(lambda: get(self.port, "/-/ready")[0] == 200, 15),
                            self.daemon.logs())
            self.assertTrue(wait_until(lambda: self.hook.requests, 15), self.daemon.logs())
            # The receiver holds the request before the daemon has read the
            # answer and marked the message sent (a busy machine shows the
            # gap): the tests read the outbox and metrics after that.
            self.assertTrue(wait_until(lambda: self.api("/api/v1/status")["outbox"]["sent"] >= 1,
                                       15), self.daemon.logs())

    def api(self, path):
        status, headers, body = get(self.port, path)
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["Content-Type"], "application/json")
        return json.loads(body)

    def test_ready_only_after_the_first_evaluation(self):
        self.start(imported=False)  # no store yet: nothing evaluated
        self.assertEqual(get(self.port, "/-/healthy")[0], 200)
        self.assertEqual(get(self.port, "/-/ready")[0], 503)
        self.assertFalse(self.api("/api/v1/status")["ready"])
        self.ws.import_table()
        self.assertTrue(wait_until(lambda: get(self.port, "/-/ready")[0] == 200, 15),
                        self.daemon.logs())
        self.assertTrue(self.api("/api/v1/status")["ready"])

    def test_api_returns_what_the_command_line_does(self):
        self.start()
        cli = self.ws.json("alerts")["alerts"]
        api = self.api("/api/v1/alerts")["alerts"]
        self.assertGreater(len(api), 10)
        # The same alerts (the command line shows the most severe first).
        by_fp = lambda alerts: sorted(alerts, key=lambda a: a["fingerprint"])
        self.assertEqual(by_fp(api), by_fp(cli))
        self.assertEqual(by_fp(self.api("/api/v1/alerts?all=1")["alerts"]),
                         by_fp(self.ws.json("alerts", "--all")["alerts"]))
        proc = self.ws.run("silence", "add", "--config", self.ws.config, "--match",
                           "alertname=unit_mismatch", "--for", "2h", "--comment",
                           "<b>単位は確認中</b>", "--author", "kodomo")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        silences = self.api("/api/v1/silences")["silences"]
        self.assertEqual(silences, self.ws.json("silence", "list")["silences"])
        self.assertEqual(silences[0]["comment"], "<b>単位は確認中</b>")
        # Escaped in the body itself, so that no sniffing makes it markup.
        self.assertNotIn(b"<b>", get(self.port, "/api/v1/silences")[2])
        # Alertmanager's shape, for tools that read its API; silenced alerts
        # are suppressed after the next evaluation (SIGHUP evaluates now).
        self.daemon.proc.send_signal(signal.SIGHUP)
        suppressed = lambda: [a for a in self.api("/api/v2/alerts")
                              if a["status"]["state"] == "suppressed"]
        self.assertTrue(wait_until(suppressed, 15), self.daemon.logs())
        v2 = self.api("/api/v2/alerts")
        self.assertEqual(sorted(a["fingerprint"] for a in v2), sorted(a["fingerprint"] for a in cli))
        mismatch = [a for a in v2 if a["labels"]["alertname"] == "unit_mismatch"]
        self.assertEqual({a["status"]["state"] for a in mismatch}, {"suppressed"})
        self.assertEqual(mismatch[0]["status"]["silencedBy"], [silences[0]["id"]])
        self.assertTrue(v2[0]["generatorURL"].endswith("/alerts/" + v2[0]["fingerprint"]))
        self.assertIn("summary", v2[0]["annotations"])
        status = self.api("/api/v1/status")
        self.assertTrue(status["ready"])
        self.assertEqual(status["firing"], len(cli))
        self.assertGreater(status["rules"], 5)
        self.assertEqual(status["rule_errors"], [])
        self.assertIsInstance(status["store_data_version"], int)
        self.assertEqual(status["outbox"]["sent"], 1)

    def test_metrics_pass_promtool_and_a_real_prometheus_scrapes_them(self):
        self.start()
        status, headers, body = get(self.port, "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/plain; version=0.0.4"))
        text = body.decode()
        check = subprocess.run(["promtool", "check", "metrics"], input=body, capture_output=True)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        firing = len(self.ws.json("alerts")["alerts"])
        counted = sum(int(v) for v in re.findall(r'^shihyo_alerts\{state="firing",[^}]*\} (\d+)$',
                                                  text, re.M))
        self.assertEqual(counted, firing)
        self.assertRegex(text, r'(?m)^shihyo_alerts\{state="firing",severity="critical"\} [1-9]')
        self.assertRegex(text, r'(?m)^shihyo_evaluations_total [1-9]')
        self.assertRegex(text, r'(?m)^shihyo_evaluation_duration_seconds_count [1-9]')
        self.assertRegex(text, r'(?m)^shihyo_notifications_sent_total\{receiver="hook"\} 1$')
        self.assertRegex(text, r'(?m)^shihyo_outbox_messages\{receiver="hook",status="sent"\} 1$')
        self.assertRegex(text, r'(?m)^shihyo_build_info\{version="[0-9.]+"\} 1$')
        self.assertRegex(text, r'(?m)^shihyo_store_last_change_timestamp_seconds [1-9]')
        self.assertRegex(text, r'(?m)^shihyo_rule_reloads_total 0$')

        prom = Prometheus(self, self.port)
        series = wait_until(lambda: prom.query("shihyo_alerts"), 30, interval=0.5)
        self.assertTrue(series, "Prometheus has no shihyo_alerts series")
        got = {(s["metric"]["state"], s["metric"]["severity"]): int(s["value"][1]) for s in series}
        self.assertEqual(sum(v for (state, _), v in got.items() if state == "firing"), firing)
        self.assertEqual(series[0]["metric"]["job"], "shihyo")

    def test_limits_methods_bodies_and_unknown_paths(self):
        self.start()
        status, headers, _ = get(self.port, "/-/healthy")
        self.assertIn("default-src 'none'", headers["Content-Security-Policy"])
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(get(self.port, "/nothing/here")[0], 404)
        self.assertEqual(get(self.port, "/api/v1/nothing")[0], 404)
        for path in ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/alerts/../../etc/passwd",
                     "/plans/..%2f..%2fetc%2fpasswd", "//etc/passwd"]:
            status, _, body = get(self.port, path)
            self.assertEqual(status, 404, path)
            self.assertNotIn(b"root:", body)
        self.assertEqual(get(self.port, "/api/v1/silences", method="DELETE")[0], 405)
        self.assertEqual(get(self.port, "/api/v1/silences", method="POST", body=b"{}")[0], 405)
        self.assertEqual(get(self.port, "/-/healthy", method="GET", body=b"x" * 100)[0], 413)
        # Headers beyond the per-connection memory are refused, not buffered.
        status, _, _ = get(self.port, "/-/healthy", headers={"X-Big": "a" * 64 * 1024})
        self.assertIn(status, (413, 431))

    def test_slow_clients_neither_hold_the_server_nor_delay_a_cycle(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
        self.addCleanup(resource.setrlimit, resource.RLIMIT_NOFILE, (soft, hard))
        self.start()
        slow = []
        self.addCleanup(lambda: [s.close() for s in slow])
        for _ in range(1000):  # each sends half a request line and waits
            s = socket.socket()
            s.setblocking(False)
            try:
                s.connect(("127.0.0.1", self.port))
            except BlockingIOError:
                pass
            slow.append(s)
        for s in slow:
            try:
                s.send(b"GET /-/hea")
            except OSError:
                pass  # refused: over the connection limit
        # The daemon still evaluates a store change at once.
        before = self.daemon.logs().count("evaluated reason=\"store changed\"")
        changed = time.time()
        self.ws.import_corrected([("3,831件", "3,831人")])
        self.assertTrue(wait_until(
            lambda: self.daemon.logs().count("evaluated reason=\"store changed\"") > before, 5))
        self.assertLess(time.time() - changed, 2.5)  # poll 200ms + import + evaluation
        # The slow ones are dropped after the 10s timeout, those beyond the
        # 256 connections at once; the server answers again within a few
        # rounds of the timeout.
        self.assertTrue(wait_until(lambda: self.healthy(), 60))
        print("\n  1000 slow clients: served again after %.1fs" % (time.time() - changed))
        for s in slow:
            s.close()
        self.assertEqual(self.daemon.proc.poll(), None)

    def test_sighup_moves_the_server_and_a_taken_port_stops_the_start(self):
        self.start()
        new_port = free_port()
        self.ws.write("shihyo.yaml", CONFIG.format(http=new_port, hook=self.hook.url))
        self.daemon.proc.send_signal(signal.SIGHUP)
        self.assertTrue(wait_until(lambda: self.healthy(new_port), 15), self.daemon.logs())
        self.assertFalse(self.healthy(self.port))
        self.assertIn("http listening listen=127.0.0.1:%d" % new_port, self.daemon.logs())
        # A daemon whose port is taken stops at once, saying why.
        taken = socket.socket()
        self.addCleanup(taken.close)
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        ws = Workspace(self)
        shutil.copytree(RULES, ws.path("rules"), ignore=shutil.ignore_patterns("tests"))
        ws.write("shihyo.yaml", CONFIG.format(http=taken.getsockname()[1], hook=self.hook.url))
        proc = ws.run("daemon", "--config", ws.config, check=False)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("http: cannot listen on 127.0.0.1:%d" % taken.getsockname()[1],
                      proc.stdout + proc.stderr)

    def page(self, path, status=200):
        got, headers, body = get(self.port, path)
        self.assertEqual(got, status, path)
        self.assertEqual(headers["Content-Type"], "text/html; charset=utf-8")
        csp = headers["Content-Security-Policy"]
        self.assertIn("default-src 'none'", csp)
        self.assertNotIn("script-src", csp)
        text = body.decode()
        self.assertNotIn("<script", text)
        return text

    def test_pages_in_japanese_and_every_email_link_resolves(self):
        self.start()
        overview = self.page("/")
        self.assertIn('<html lang="ja">', overview)
        self.assertIn("最終評価", overview)
        self.assertIn(PLAN, overview)
        plan_link = re.search(r'href="(/plans/\d+)"', overview).group(1)
        plan = self.page(plan_link)
        self.assertEqual(plan.count('<div class="indicator"'), 26)
        self.assertEqual(plan.count("<svg "), 26)
        self.assertIn("令和6年度", plan)
        self.assertIn("子育て支援センターの利用者数", plan)
        self.assertIn('class="flagged"', plan)
        self.assertIn("目標 8,000人", plan)
        alerts = self.page("/alerts")
        firing = len(self.ws.json("alerts")["alerts"])
        self.assertIn("<p>%d件</p>" % firing, alerts)
        critical = self.page("/alerts?severity=critical")
        n = sum(1 for a in self.ws.json("alerts")["alerts"] if a["severity"] == "critical")
        self.assertIn("<p>%d件</p>" % n, critical)
        self.assertIn("<p>0件</p>", self.page("/alerts?indicator=%E5%AD%98%E5%9C%A8%E3%81%97%E3%81%AA%E3%81%84"))
        self.assertIn("サイレンス", self.page("/silences"))
        self.assertIn("送信キュー", self.page("/outbox"))
        self.page("/alerts/0123456789abcdef", status=404)
        self.page("/plans/999999", status=404)
        # Every link the notifications carry: each alert's generatorURL
        # (external_url/alerts/<fingerprint>) and external_url itself, the
        # 詳細 link of every email (notify/digest.cc).
        base = "http://127.0.0.1:%d" % self.port
        links = {base}
        for body in self.hook.json_bodies():
            links.add(body["externalURL"])
            links.update(a["generatorURL"] for a in body["alerts"])
        self.assertEqual(len([l for l in links if "/alerts/" in l]), firing)
        for link in sorted(links):
            self.page(link[len(base):] or "/")
        one = self.page(sorted(l for l in links if "/alerts/" in l)[0][len(base):])
        self.assertIn("経過", one)
        self.assertIn("発生", one)
        self.assertIn("<tr><th>通知先</th><td>hook（", one)  # sent to the webhook

    def test_names_from_the_table_are_shown_as_text(self):
        hostile = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
        with open(KAMAISHI, encoding="utf-8") as f:
            text = f.read()
        text = text.replace("児童虐待発生件数(の減少)", hostile[0] + "(の減少)", 1)
        text = text.replace("釜石市への児童虐待通告件数", "通告件数" + hostile[1], 1)
        self.ws.import_table(self.ws.write("hostile.txt", text))
        self.start(imported=False)
        self.assertTrue(wait_until(lambda: get(self.port, "/-/ready")[0] == 200, 15))
        overview = self.page("/")
        plan_link = re.search(r'href="(/plans/\d+)"', overview).group(1)
        pages = [self.page(plan_link), self.page("/alerts")]
        for a in self.api("/api/v1/alerts")["alerts"]:
            if a["indicator"].startswith(("<script>", '">')):
                pages.append(self.page("/alerts/" + a["fingerprint"]))
        self.assertGreater(len(pages), 3)
        for page in pages:
            self.assertNotIn("<script>", page)
            self.assertNotIn("<img", page)
            self.assertNotIn("onerror=alert(1)>", page)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", pages[0])
        self.assertIn("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;", pages[0])
        raw = get(self.port, "/api/v1/alerts")[2]
        self.assertNotIn(b"<script>", raw)
        names = {a["indicator"] for a in self.api("/api/v1/alerts")["alerts"]}
        self.assertIn("通告件数" + hostile[1], names)  # the JSON still decodes to the name itself

    @unittest.skipUnless(shutil.which("chromium"), "Debian's chromium is not installed")
    def test_pages_render_in_headless_chromium(self):
        self.start()
        plan_link = re.search(r'href="(/plans/\d+)"', self.page("/")).group(1)
        fp = self.api("/api/v1/alerts")["alerts"][0]["fingerprint"]
        shots = os.environ.get("SHIHYO_SCREENSHOTS")  # docs/: README's screenshots
        for name, path, size, expect in [
                ("overview", "/", "900,700", ["概要", PLAN]),
                ("plan", plan_link, "420,2000", ["子育て支援センターの利用者数", "目標 8,000人"]),
                ("alerts", "/alerts?severity=critical", "900,900", ["アラート", "重大"]),
                ("alert", "/alerts/" + fp, "420,1400", ["経過", "発生"])]:
            url = "http://127.0.0.1:%d%s" % (self.port, path)
            dom = self.chromium("--dump-dom", url).stdout
            for text in expect:
                self.assertIn(text, dom, name)
            self.assertNotIn("<script", dom)
            if name == "plan":
                self.assertEqual(dom.count("<svg "), 26)
                # A line for every indicator with a number in some year (not
                # the survey and status-only rows).
                self.assertEqual(dom.count("<polyline "), 17)
            out = os.path.join(shots or self.ws.dir, "http-%s.png" % name)
            self.chromium("--hide-scrollbars", "--window-size=" + size, "--screenshot=" + out, url)
            with open(out, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n", name)

    def chromium(self, *args):
        env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "FAKETIME")}
        profile = tempfile.mkdtemp(prefix="shihyo-chromium-")
        self.addCleanup(shutil.rmtree, profile, True)
        proc = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                               "--user-data-dir=" + profile] + list(args),
                              capture_output=True, text=True, timeout=120, env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        return proc

    def healthy(self, port=None):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=2)
            try:
                conn.request("GET", "/-/healthy")
                return conn.getresponse().status == 200
            finally:
                conn.close()
        except OSError:
            return False


WRITE_CONFIG = CONFIG.replace("http: {{listen: 127.0.0.1:{http}}}",
                              "http: {{listen: 127.0.0.1:{http}, write: {{token_file: token}}}}")
TOKEN = "s3cret-token-for-tests"


class HttpWriteTest(unittest.TestCase):
    """http.write: silences and retries over HTTP with the token; without it
    nothing changes in the state DB."""

    def setUp(self):
        self.hook = HttpReceiver(self, statuses=[400])  # the first message goes dead
        self.ws = Workspace(self)
        shutil.copytree(RULES, self.ws.path("rules"), ignore=shutil.ignore_patterns("tests"))
        self.port = free_port()
        self.ws.write("shihyo.yaml", WRITE_CONFIG.format(http=self.port, hook=self.hook.url))
        self.ws.write("token", TOKEN + "\n")
        self.ws.import_table()
        self.daemon = Daemon(self, self.ws).start()
        wait_for_port(self.port, proc=self.daemon.proc)
        self.assertTrue(wait_until(lambda: get(self.port, "/-/ready")[0] == 200, 15))
        self.assertTrue(wait_until(lambda: self.dead() == 1, 15), self.daemon.logs())

    def dead(self):
        return json.loads(get(self.port, "/api/v1/status")[2])["outbox"].get("dead")

    def api(self, path):
        status, _, body = get(self.port, path)
        self.assertEqual(status, 200, body)
        return json.loads(body)

    def state_rows(self):
        import sqlite3
        db = sqlite3.connect("file:%s?mode=ro" % self.ws.path("state.db"), uri=True)
        try:
            return (db.execute("SELECT * FROM silences ORDER BY id").fetchall(),
                    db.execute("SELECT id, status, attempts FROM outbox ORDER BY id").fetchall())
        finally:
            db.close()

    def test_writes_without_the_token_are_refused_and_change_nothing(self):
        import base64
        before = self.state_rows()
        silence = json.dumps({"matchers": [{"label": "alertname", "value": "unit_mismatch"}],
                              "duration": "2h", "comment": "x"}).encode()
        wrong_basic = "Basic " + base64.b64encode(b"kodomo:wrong").decode()
        right_basic = "Basic " + base64.b64encode(("kodomo:" + TOKEN).encode()).decode()
        for method, path, body, headers, want in [
                ("POST", "/api/v1/silences", silence, {}, 401),
                ("POST", "/api/v1/silences", silence, {"Authorization": "Bearer wrong"}, 401),
                ("POST", "/api/v1/silences", silence, {"Authorization": wrong_basic}, 401),
                # Basic auth, which a browser adds by itself, needs the CSRF token too.
                ("POST", "/api/v1/silences", silence, {"Authorization": right_basic}, 403),
                ("POST", "/outbox/retry", b"csrf=forged",
                 {"Authorization": right_basic,
                  "Content-Type": "application/x-www-form-urlencoded"}, 403),
                ("POST", "/api/v1/outbox/retry", b"", {"Authorization": "Bearer " + TOKEN,
                                                       "Origin": "http://evil.example"}, 403),
                ("POST", "/api/v1/outbox/retry", b"", {}, 401),
                ("DELETE", "/api/v1/silences/0123", None, {}, 401),
                ("POST", "/api/v1/silences", b"x" * 20000,
                 {"Authorization": "Bearer " + TOKEN}, 413)]:
            status, hdrs, _ = get(self.port, path, method=method, body=body, headers=headers)
            self.assertEqual(status, want, (method, path, headers))
            if want == 401:
                self.assertIn("Basic", hdrs["WWW-Authenticate"])
        self.assertEqual(self.state_rows(), before)

    def test_silence_and_retry_with_the_token(self):
        auth = {"Authorization": "Bearer " + TOKEN}
        silence = {"matchers": [{"label": "alertname", "value": "unit_mismatch"}],
                   "duration": "2h", "comment": "<確認中>"}
        status, _, body = get(self.port, "/api/v1/silences", method="POST",
                              body=json.dumps(silence).encode(), headers=auth)
        self.assertEqual(status, 201, body)
        sid = json.loads(body)["id"]
        listed = self.ws.json("silence", "list")["silences"]
        self.assertEqual([s["id"] for s in listed], [sid])
        self.assertEqual(listed[0]["created_by"], "api")
        self.assertEqual(listed[0]["comment"], "<確認中>")
        # In force in the running daemon at its next poll, with no evaluation (issue 11).
        mismatch = lambda: [a for a in self.api("/api/v1/alerts")["alerts"]
                            if a["rule"] == "unit_mismatch"]
        self.assertTrue(mismatch())
        self.assertTrue(wait_until(lambda: all(a["silenced_by"] == sid for a in mismatch()), 5),
                        self.daemon.logs())
        self.assertEqual(self.daemon.logs().count("evaluated reason="), 1)
        history = self.api("/api/v1/alerts/" + mismatch()[0]["fingerprint"])["history"]
        self.assertEqual(history[-1], {"at": history[-1]["at"], "kind": "silenced", "silence": sid})
        self.assertEqual(get(self.port, "/api/v1/silences", method="POST", body=b"{}",
                             headers=auth)[0], 400)
        # The page's form: Basic auth (as a browser sends) and the CSRF token.
        import base64
        page = get(self.port, "/silences")[2].decode()
        csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', page).group(1)
        self.assertIn('action="/silences/%s/expire"' % sid, page)
        basic = {"Authorization": "Basic " + base64.b64encode(("kodomo:" + TOKEN).encode()).decode(),
                 "Content-Type": "application/x-www-form-urlencoded",
                 "Origin": "http://127.0.0.1:%d" % self.port}
        status, hdrs, _ = get(self.port, "/silences/%s/expire" % sid, method="POST",
                              body=("csrf=" + csrf).encode(), headers=basic)
        self.assertEqual(status, 303)
        self.assertEqual(hdrs["Location"], "/silences")
        self.assertEqual(self.ws.json("silence", "list")["silences"], [])
        self.assertTrue(wait_until(lambda: all(a["state"] == "firing" for a in mismatch()), 5),
                        self.daemon.logs())
        self.assertEqual(get(self.port, "/api/v1/silences/nope", method="DELETE",
                             headers=auth)[0], 404)
        # The dead message goes back to the queue and is delivered.
        status, _, body = get(self.port, "/api/v1/outbox/retry", method="POST", headers=auth)
        self.assertEqual((status, json.loads(body)), (200, {"requeued": 1}))
        self.assertTrue(wait_until(lambda: len(self.hook.requests) == 2, 15), self.daemon.logs())
        self.assertTrue(wait_until(lambda: self.dead() == 0, 15))


class Prometheus:
    """Debian's prometheus scraping the daemon every second, on a free port."""

    def __init__(self, test, target_port):
        self.dir = tempfile.mkdtemp(prefix="shihyo-prom-")
        test.addCleanup(shutil.rmtree, self.dir, True)
        self.port = free_port()
        config = {"global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
                  "scrape_configs": [{"job_name": "shihyo", "static_configs": [
                      {"targets": ["127.0.0.1:%d" % target_port]}]}]}
        path = os.path.join(self.dir, "prometheus.yml")
        with open(path, "w") as f:
            json.dump(config, f)
        self.proc = subprocess.Popen(
            ["prometheus", "--config.file=" + path,
             "--storage.tsdb.path=" + os.path.join(self.dir, "data"),
             "--web.listen-address=127.0.0.1:%d" % self.port],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        test.addCleanup(stop_process, self.proc)
        wait_for_port(self.port, timeout=30, proc=self.proc)

    def query(self, expr):
        url = "http://127.0.0.1:%d/api/v1/query?query=%s" % (self.port, expr)
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return json.loads(r.read())["data"]["result"]
        except (OSError, urllib.error.URLError, KeyError):
            return []


if __name__ == "__main__":
    main()
