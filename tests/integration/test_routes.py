"""Routing as administrators know it from Alertmanager: `shihyo routes test`
names the receivers an alert reaches; over many generated label sets it names
the same ones as `amtool config routes test` (Debian's prometheus-alertmanager)
on the same tree, translated to Alertmanager's format; and the shipped example
config does what its comments say (critical alerts reach 子ども課 too)."""
import json
import os
import random
import re
import shutil
import subprocess
import time
import unittest

import yaml

from harness import (RULES, SHIHYO, SOURCE, Daemon, HttpReceiver, SmtpSink, Workspace, main, text_part,
                     wait_until)

EXAMPLE = os.path.join(SOURCE, "systemd", "shihyo.yaml")
AMTOOL = shutil.which("amtool") or "/usr/bin/amtool"
DEFAULT_RULES = ["10-data-quality.yaml", "20-targets.yaml", "30-trends.yaml", "40-abuse.yaml"]

# A tree with what trips implementations up: nesting, continue at several
# levels, regex matchers, a child without a receiver (inherits its parent's),
# a matcher on an empty value (matches an absent label), overlapping siblings.
TRICKY_CONFIG = """
store: store.db
state: state.db
rules: rules
smtp: {url: "smtp://127.0.0.1:1", starttls: off, from: "s <s@example.lg.jp>"}
receivers:
  - {name: kodomo, email: {to: [k@example.lg.jp]}}
  - {name: gyakutai, email: {to: [g@example.lg.jp]}}
  - {name: jouhou, email: {to: [j@example.lg.jp]}}
  - {name: hoiku, email: {to: [h@example.lg.jp]}}
  - {name: kacho, email: {to: [c@example.lg.jp]}}
route:
  receiver: kodomo
  group_by: [plan]
  routes:
    - receiver: gyakutai
      match: {severity: critical}
      continue: true
      routes:
        - receiver: kacho
          match_re: {check: "rising|spike"}
          continue: true
        - match: {project: "1"}
        - receiver: jouhou
          match_re: {indicator: ".*件数.*"}
    - receiver: hoiku
      match_re: {project: "[23]", severity: "warning|info"}
      continue: true
    - receiver: jouhou
      match: {check: unparseable}
    - match: {measure: ""}
      receiver: kacho
      continue: true
      routes:
        - receiver: hoiku
          match_re: {indicator: "保育.*"}
    - receiver: kodomo
      match_re: {severity: "warning"}
"""

VOCABULARY = {
    "severity": ["critical", "warning", "info", "", "Critical"],
    "check": ["rising", "spike", "unparseable", "target_missed", "rising_x", ""],
    "project": ["1", "2", "3", "23", ""],
    "indicator": ["虐待相談件数", "保育所待機児童数", "件数", "保育", "出生数", ""],
    "measure": ["", "施策1"],
    "plan": ["釜石", "御所"],
}


def to_alertmanager(shihyo_config):
    """The routing tree and receivers of a shihyo config, as Alertmanager's
    configuration (names only: amtool routes test needs no integrations)."""
    def route(node):
        out = {}
        for key in ("receiver", "match", "match_re", "continue", "group_by", "group_wait",
                    "group_interval", "repeat_interval"):
            if key in node:
                out[key] = node[key]
        if "routes" in node:
            out["routes"] = [route(child) for child in node["routes"]]
        return out
    out = {"route": route(shihyo_config["route"]),
           "receivers": [{"name": r["name"]} for r in shihyo_config["receivers"]]}
    if "inhibit_rules" in shihyo_config:
        out["inhibit_rules"] = shihyo_config["inhibit_rules"]
    return out


def amtool_receivers(am_config_path, labels):
    args = [AMTOOL, "config", "routes", "test", "--config.file=" + am_config_path]
    args += ["%s=%s" % (k, v) for k, v in sorted(labels.items())]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=30)
    if proc.returncode != 0:
        raise AssertionError("amtool failed on %s: %s" % (labels, proc.stderr))
    return proc.stdout.strip()


def label_sets(seed, count):
    rng = random.Random(seed)
    for _ in range(count):
        labels = {}
        for name, values in VOCABULARY.items():
            if rng.random() < 0.8:
                value = rng.choice(values)
                if value != "":  # amtool cannot pass an empty value: leave the label out
                    labels[name] = value
        yield labels


class RoutesTest(unittest.TestCase):
    def shihyo_receivers(self, ws, config, labels):
        args = ["routes", "test", "--config", config]
        args += ["%s=%s" % (k, v) for k, v in sorted(labels.items())]
        proc = ws.run(*args, check=False)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        return proc.stdout.strip()

    def compare_with_amtool(self, ws, config_path, seed, count):
        with open(config_path, encoding="utf-8") as f:
            am = to_alertmanager(yaml.safe_load(f))
        am_path = ws.path("am-%d.yml" % seed)
        with open(am_path, "w", encoding="utf-8") as f:
            yaml.safe_dump(am, f, allow_unicode=True)
        receivers_seen = set()
        for labels in label_sets(seed, count):
            ours = self.shihyo_receivers(ws, config_path, labels)
            theirs = amtool_receivers(am_path, labels)
            self.assertEqual(ours, theirs, "labels %s" % labels)
            receivers_seen.add(ours)
        return receivers_seen

    def test_tricky_tree_agrees_with_amtool(self):
        ws = Workspace(self)
        ws.write("shihyo.yaml", TRICKY_CONFIG)
        seen = self.compare_with_amtool(ws, ws.config, seed=11, count=150)
        # The generated labels reach many different receiver lists, continue
        # chains included (else the comparison proves little).
        self.assertGreaterEqual(len(seen), 8, seen)
        self.assertTrue(any("," in s for s in seen), seen)

    def test_shipped_tree_agrees_with_amtool(self):
        ws = Workspace(self)
        self.assertEqual(self.compare_with_amtool(ws, EXAMPLE, seed=5, count=60) >= {
            "gyakutai,kodomo", "jouhou", "kodomo"}, True)

    def test_shipped_critical_reaches_kodomo_too(self):
        ws = Workspace(self)
        self.assertEqual(self.shihyo_receivers(ws, EXAMPLE, {"severity": "critical"}),
                         "gyakutai,kodomo")
        self.assertEqual(self.shihyo_receivers(ws, EXAMPLE, {"severity": "warning"}), "kodomo")
        self.assertEqual(self.shihyo_receivers(ws, EXAMPLE, {"check": "unparseable"}), "jouhou")
        # JSON for scripts, and --verify-receivers fails on a difference.
        out = ws.run("routes", "test", "--config", EXAMPLE, "--format", "json",
                     "severity=critical")
        self.assertEqual(json.loads(out.stdout)["receivers"], ["gyakutai", "kodomo"])
        wrong = ws.run("routes", "test", "--config", EXAMPLE, "--verify-receivers", "gyakutai",
                       "severity=critical", check=False)
        self.assertEqual(wrong.returncode, 1)
        self.assertIn("expected receivers gyakutai, got gyakutai,kodomo", wrong.stderr)
        bad = ws.run("routes", "test", "--config", EXAMPLE, "severity", check=False)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("expected label=value", bad.stderr)
        tree = ws.run("routes", "show", "--config", EXAMPLE).stdout
        self.assertIn('{severity="critical"}  continue: true  receiver: gyakutai', tree)

    def test_shipped_config_mails_critical_alerts_to_kodomo(self):
        """As shipped (paths and mail server aside): a daemon cycle sends the
        critical abuse alerts to 虐待対応 and, as the comment promises, to 子ども課."""
        smtp = SmtpSink(self).start()
        ws = Workspace(self)
        os.mkdir(ws.path("rules.d"))
        for name in DEFAULT_RULES:
            shutil.copy(os.path.join(RULES, name), ws.path("rules.d"))
        with open(EXAMPLE, encoding="utf-8") as f:
            text = f.read()
        for old, new in [
                ("store: /var/lib/shihyo/indicators.db", "store: " + ws.store),
                ("state: /var/lib/shihyo/state.db", "state: " + ws.path("state.db")),
                ("rules: /etc/shihyo/rules.d", "rules: " + ws.path("rules.d")),
                ("url: smtp://mail.example.lg.jp:587", "url: smtp://127.0.0.1:%d" % smtp.port),
                ("starttls: required", "starttls: off")]:
            self.assertEqual(text.count(old), 1, old)
            text = text.replace(old, new)
        text = re.sub(r"\n  user: shihyo\n  password_file: [^\n]*\n", "\n", text)  # no AUTH here
        ws.write("shihyo.yaml", text)
        ws.import_table()
        ws.cycle("2026-11-28T09:00:00+09:00", expect=0)
        ws.cycle("2026-11-28T09:01:00+09:00", expect=0)  # after group_wait
        to_kodomo = [m for m, env in smtp.messages() if "kodomo@example.lg.jp" in env["rcpt_tos"]]
        to_gyakutai = [m for m, env in smtp.messages()
                       if "kodomo-soudan@example.lg.jp" in env["rcpt_tos"]]
        self.assertTrue(to_gyakutai)
        self.assertTrue(to_kodomo)
        critical = re.findall(r"児童虐待[^\n]*", "".join(text_part(m) for m in to_gyakutai))
        self.assertTrue(critical)
        kodomo_text = "".join(text_part(m) for m in to_kodomo)
        self.assertIn("重大", kodomo_text)
        self.assertIn("虐待", kodomo_text)


HOOK_CONFIG = """
store: store.db
state: state.db
rules: rules
evaluation: {{interval: 1h, poll_interval: 200ms}}
receivers:
  - {{name: kodomo, webhook: {{url: "{url}", format: alertmanager}}}}
route:
  receiver: kodomo
  group_by: [plan]
{route}
{extra}
"""

INHIBIT = """
inhibit_rules:
  - source_matchers: ['alertname="status_only"']
    target_matchers: ['alertname="missing_actual"']
    equal: [plan, indicator]
"""

# An indicator whose actual value is a status (アンケート調査済): status_only
# fires on it, and so does missing_actual for the last year.
STATUS_ONLY = "子育てに関わる人がポータルサイトを知っている"


def hook_workspace(test, hook, route="", extra=""):
    ws = Workspace(test)
    shutil.copytree(RULES, ws.path("rules"), ignore=shutil.ignore_patterns("tests"))
    ws.write("shihyo.yaml", HOOK_CONFIG.format(url=hook.url, route=route, extra=extra))
    ws.import_table()
    return ws


def rules_for(body, indicator):
    """(alertname, status) of the alerts of one webhook body on |indicator|."""
    return sorted((a["labels"]["alertname"], a["status"]) for a in body["alerts"]
                  if a["labels"].get("indicator") == indicator)


class GroupingTest(unittest.TestCase):
    """group_wait, group_interval, inhibition and preview against a real
    HTTP receiver and the running daemon (issue 11)."""

    def test_group_interval_paces_a_notified_group_not_group_wait(self):
        hook = HttpReceiver(self)
        ws = hook_workspace(self, hook, "  group_wait: 4s\n  group_interval: 1s")
        started = time.time()
        daemon = Daemon(self, ws).start()
        self.assertTrue(wait_until(lambda: len(hook.requests) == 1, 20), daemon.logs())
        self.assertGreaterEqual(time.time() - started, 3.5, "a new group waits group_wait")
        time.sleep(1.5)  # past group_interval since that message
        ws.import_corrected([("4,858件", "4,858人")])  # a unit alert resolves
        changed = time.time()
        self.assertTrue(wait_until(lambda: len(hook.requests) == 2, 10), daemon.logs())
        # Before group_interval existed, the resolved notice waited group_wait.
        self.assertLess(time.time() - changed, 3.0, daemon.logs())
        statuses = [a["status"] for a in hook.json_bodies()[1]["alerts"]]
        self.assertIn("resolved", statuses)
        self.assertEqual(daemon.terminate(), 0)

    def test_a_notified_group_hears_again_only_after_group_interval(self):
        hook = HttpReceiver(self)
        ws = hook_workspace(self, hook, "  group_wait: 0s\n  group_interval: 6s")
        daemon = Daemon(self, ws).start()
        self.assertTrue(wait_until(lambda: len(hook.requests) == 1, 15), daemon.logs())
        first = time.time()
        ws.import_corrected([("4,858件", "4,858人")])
        self.assertTrue(wait_until(lambda: len(hook.requests) == 2, 15), daemon.logs())
        # 6s after the first was planned (its delivery took part of them).
        self.assertGreaterEqual(time.time() - first, 4.0, "group_interval, not group_wait (0s)")
        self.assertIn('reason="group_wait elapsed"', daemon.logs())
        self.assertEqual(daemon.terminate(), 0)

    def test_inhibit_rule_mutes_missing_actual_under_status_only(self):
        hook = HttpReceiver(self)
        plain = hook_workspace(self, hook)
        plain.cycle("2026-11-28T09:00:00+09:00", expect=0)
        self.assertEqual(rules_for(hook.json_bodies()[0], STATUS_ONLY),
                         [("missing_actual", "firing"), ("status_only", "firing")])

        hook2 = HttpReceiver(self)
        ws = hook_workspace(self, hook2, extra=INHIBIT)
        check = ws.run("check", "--config", ws.config)
        self.assertEqual(check.returncode, 0, check.stderr)
        daemon = Daemon(self, ws).start()
        self.assertTrue(wait_until(lambda: len(hook2.requests) == 1, 15), daemon.logs())
        body = hook2.json_bodies()[0]
        self.assertEqual(rules_for(body, STATUS_ONLY), [("status_only", "firing")])
        # Every status_only indicator's missing_actual is muted, the others are sent.
        muted = {a["labels"]["indicator"] for a in body["alerts"]
                 if a["labels"]["alertname"] == "status_only"}
        self.assertGreaterEqual(len(muted), 5)
        missing = {a["labels"]["indicator"] for a in body["alerts"]
                   if a["labels"]["alertname"] == "missing_actual"}
        self.assertTrue(missing, "other indicators' missing_actual still goes out")
        self.assertEqual(muted & missing, set())
        logs = daemon.logs()
        self.assertRegex(logs, r"alert inhibited rule=missing_actual fingerprint=\w+ "
                               r"by_rule=status_only by=\w+ inhibit_rule=\S*shihyo\.yaml:\d+")
        # Still an alert: `alerts` lists it, as inhibited.
        alerts = ws.json("alerts")["alerts"]
        states = [a["state"] for a in alerts if a["rule"] == "missing_actual" and
                  a["labels"]["indicator"] == STATUS_ONLY]
        self.assertEqual(states, ["inhibited"])
        self.assertIn("inhibited", ws.run("alerts", "--config", ws.config).stdout)
        self.assertEqual(daemon.terminate(), 0)

    def test_check_reports_bad_inhibit_rules_with_file_and_line(self):
        hook = HttpReceiver(self)
        ws = hook_workspace(self, hook, extra=INHIBIT.replace(
            "'alertname=\"status_only\"'", "'alertname=\"status_only'").replace(
            "equal:", "eqaul:"))
        check = ws.run("check", "--config", ws.config, check=False)
        self.assertEqual(check.returncode, 1)
        text = ws.path("shihyo.yaml")
        self.assertRegex(check.stderr, re.escape(text) + r":\d+:\d+: inhibit rule 1: "
                         r"'source_matchers': .*unterminated quoted value")
        self.assertRegex(check.stderr, re.escape(text) + r":\d+:\d+: inhibit rule 1: unknown key "
                         r"'eqaul' \(did you mean 'equal'\?\)")

    def test_preview_on_a_fresh_state_shows_what_goes_out_after_group_wait(self):
        hook = HttpReceiver(self)
        ws = hook_workspace(self, hook, "  group_wait: 30s")
        preview = ws.run("preview", "--config", ws.config, "--now", "2026-11-28T09:00:00+09:00")
        self.assertEqual(preview.returncode, 0, preview.stderr)
        self.assertIn("what goes out once group_wait (or group_interval) has passed, at "
                      "2026-11-28 09:00 JST", preview.stdout)
        self.assertIn("==== message 1: receiver kodomo ====", preview.stdout)
        self.assertIn("児童虐待発生件数", preview.stdout)
        self.assertFalse(os.path.exists(ws.path("state.db")))
        # Once sent, nothing waits: no such header.
        ws.cycle("2026-11-28T09:00:00+09:00", expect=0)
        ws.cycle("2026-11-28T09:01:00+09:00", expect=0)
        self.assertEqual(len(hook.requests), 1)
        again = ws.run("preview", "--config", ws.config, "--now", "2026-11-28T09:02:00+09:00")
        self.assertNotIn("group_wait", again.stdout)
        self.assertIn("(the next cycle would send nothing)", again.stdout)

    def test_shipped_inhibit_rules_are_valid_for_alertmanager_too(self):
        ws = Workspace(self)
        with open(EXAMPLE, encoding="utf-8") as f:
            shipped = yaml.safe_load(f)
        self.assertTrue(shipped["inhibit_rules"])
        self.assertEqual(shipped["route"]["group_interval"], "5m")
        path = ws.path("am.yml")
        with open(path, "w", encoding="utf-8") as f:
            yaml.safe_dump(to_alertmanager(shipped), f, allow_unicode=True)
        proc = subprocess.run([AMTOOL, "check-config", path], capture_output=True, text=True,
                              timeout=30)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn("1 inhibit rules", proc.stdout)


BROKEN_RULES = """rules:
  - id: reach
    check: target_unreachabel
    severity: warnign
    params: {slak: 1.0}
  - id: rise
    chek: rising
    params: {percnt: 10}
"""


class CheckTest(unittest.TestCase):
    """`check` lists every error of the config and its rules in one run, and
    CLI11's usage errors and help read in the reader's language (issue 11)."""

    def test_every_error_in_one_run(self):
        ws = Workspace(self)
        os.mkdir(ws.path("rules"))
        ws.write("rules/a.yaml", BROKEN_RULES)
        hook = HttpReceiver(self)
        ws.write("shihyo.yaml", HOOK_CONFIG.format(url=hook.url, route="  group_wiat: 1s",
                                                   extra="timezone: Asia/Tokio"))
        check = ws.run("check", "--config", ws.config, check=False)
        self.assertEqual(check.returncode, 1)
        err = check.stderr
        for expected in [
                "shihyo.yaml:11:3: route: unknown key 'group_wiat' (did you mean 'group_wait'?)",
                "shihyo.yaml:12:11: 'timezone': unknown time zone 'Asia/Tokio'",
                "a.yaml:3:12: rule 'reach': unknown check 'target_unreachabel' "
                "(did you mean 'target_unreachable'?)",
                "a.yaml:4:15: rule 'reach': 'severity': unknown severity 'warnign'",
                # Found only once the check was fixed, before issue 11:
                "a.yaml:5:14: rule 'reach': params of check 'target_unreachable': unknown key "
                "'slak' (did you mean 'slack'?)",
                "a.yaml:7:5: rule 'rise': unknown key 'chek' (did you mean 'check'?)",
                "a.yaml:8:14: rule 'rise': params of check 'rising': unknown key 'percnt'"]:
            self.assertIn(expected, err)
        # A config that is not even YAML still has its rules checked.
        ws.write("shihyo.yaml", "store: store.db\nstate: state.db\nrules: rules\n"
                                "receivers: [{name: a\n")
        check = ws.run("check", "--config", ws.config, check=False)
        self.assertEqual(check.returncode, 1)
        self.assertIn("YAML syntax error", check.stderr)
        self.assertIn("unknown key 'slak'", check.stderr)

    def test_usage_errors_and_help_in_japanese(self):
        ws = Workspace(self)
        locpath = ws.path("locale")
        os.mkdir(locpath)
        proc = subprocess.run(["localedef", "-i", "ja_JP", "-f", "UTF-8",
                               os.path.join(locpath, "ja_JP.UTF-8")], capture_output=True)
        self.assertTrue(os.path.isdir(os.path.join(locpath, "ja_JP.UTF-8")), proc.stderr)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
        ja = dict(env, LOCPATH=locpath, LANG="ja_JP.UTF-8")
        en = dict(env, LC_ALL="C.UTF-8")
        run = lambda e, *args: subprocess.run([SHIHYO] + list(args), capture_output=True,
                                              text=True, env=e, timeout=60)
        bad = run(ja, "check", "--bogus")
        self.assertEqual(bad.returncode, 2)
        self.assertEqual(bad.stderr, "shihyo: 想定していない引数です: --bogus\n"
                                     "詳しくは 'shihyo check --help' を実行してください。\n")
        bad = run(en, "check", "--bogus")
        self.assertEqual(bad.stderr, "shihyo: unexpected argument: --bogus\n"
                                     "Run 'shihyo check --help' for more information.\n")
        self.assertIn("shihyo: --for needs a value", run(en, "silence", "add", "--for").stderr)
        self.assertIn("'xml' は次のいずれでもありません",
                      run(ja, "eval", "--format", "xml").stderr)
        helps = run(ja, "check", "--help").stdout
        self.assertIn("使い方: shihyo check [オプション]", helps)
        self.assertIn("このヘルプを表示して終了します", helps)
        self.assertIn("設定とそのルール", helps)
        self.assertIn("Usage: shihyo check [OPTIONS]", run(en, "check", "--help").stdout)


if __name__ == "__main__":
    main()
