"""Everyday commands behave as an administrator expects: commands that read
the daemon's state on a state DB that does not exist say so (and create
nothing that root would own and the service could not write), `preview
--receiver` with an unknown name fails, global options work after the
subcommand, and usage lines name the program."""
import json
import os
import re
import subprocess
import unittest

import time

from harness import KAMAISHI, RULES, SHIHYO, SOURCE, Alertmanager, HttpReceiver, Workspace, main

CONFIG = """
store: store.db
state: state.db
rules: {rules}
smtp: {{url: "smtp://127.0.0.1:1", starttls: off, from: "shihyo <s@example.lg.jp>"}}
receivers:
  - {{name: kodomo, email: {{to: [kodomo@example.lg.jp]}}}}
route: {{receiver: kodomo}}
"""


class CommandsTest(unittest.TestCase):
    def setUp(self):
        self.ws = Workspace(self)
        self.ws.write("shihyo.yaml", CONFIG.format(rules=RULES))
        self.ws.import_table()

    def test_state_commands_on_a_missing_state_db_fail_clearly(self):
        for args in (["alerts"], ["outbox", "list"], ["silence", "list"], ["outbox", "retry"],
                     ["silence", "expire", "0123"]):
            proc = self.ws.run(*args, "--config", self.ws.config, check=False)
            self.assertEqual(proc.returncode, 2, args)
            self.assertIn("does not exist yet", proc.stderr, args)
            self.assertIn("--once", proc.stderr, args)
            self.assertFalse(os.path.exists(self.ws.path("state.db")), args)
        # After the first cycle they work.
        self.ws.cycle("2026-11-28T09:00:00+09:00", expect=1)  # port 1: nothing delivered
        self.assertTrue(self.ws.json("alerts")["alerts"])

    def test_silence_add_creates_the_state_db_only_as_its_directory_owner(self):
        add = ["silence", "add", "--config", self.ws.config, "--match", "severity=info",
               "--for", "1d", "--comment", "確認中"]
        if os.geteuid() == 0:
            os.chown(self.ws.dir, 65534, 65534)  # the directory belongs to someone else
            refused = self.ws.run(*add, check=False)
            self.assertEqual(refused.returncode, 2)
            self.assertIn("sudo -u shihyo", refused.stderr)
            self.assertFalse(os.path.exists(self.ws.path("state.db")))
            os.chown(self.ws.dir, 0, 0)
        made = self.ws.run(*add, check=False)
        self.assertEqual(made.returncode, 0, made.stderr)
        self.assertEqual(len(self.ws.json("silence", "list")["silences"]), 1)

    def test_preview_of_an_unknown_receiver_fails(self):
        proc = self.ws.run("preview", "--config", self.ws.config, "--receiver", "nosuch",
                           check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("no receiver named 'nosuch'", proc.stderr)
        ok = self.ws.run("preview", "--config", self.ws.config, "--receiver", "kodomo",
                         check=False)
        self.assertEqual(ok.returncode, 0, ok.stderr)

    def test_global_options_after_the_subcommand_and_usage_names_the_program(self):
        proc = self.ws.run("indicators", "--db", self.ws.store, "--log-level", "error",
                           check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        bad = self.ws.run("indicators", "--db", self.ws.store, "--log-level", "loud", check=False)
        self.assertEqual(bad.returncode, 2)
        usage = self.ws.run("import", "--help", check=False)
        self.assertEqual(usage.returncode, 0)
        self.assertIn("Usage: shihyo import", usage.stdout)


    def test_send_test_to_alertmanager_shows_a_real_alert(self):
        am = Alertmanager(self)
        self.ws.write("shihyo.yaml", CONFIG.format(rules=RULES).replace(
            "receivers:\n",
            "receivers:\n  - {name: am, alertmanager: {url: \"%s\"}}\n" % am.url))
        proc = self.ws.run("send-test", "--config", self.ws.config, "--receiver", "am",
                           check=False)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        deadline = time.time() + 10
        shown = []
        while time.time() < deadline and not shown:
            shown = am.alerts(filter='alertname="ShihyoTest"')
            time.sleep(0.1)
        self.assertEqual(len(shown), 1, shown)
        self.assertEqual(shown[0]["labels"]["receiver"], "am")
        self.assertIn("テスト", shown[0]["annotations"]["summary"])

    def test_webhook_group_key_has_no_control_characters(self):
        hook = HttpReceiver(self)
        self.ws.write("shihyo.yaml", CONFIG.format(rules=RULES).replace(
            "route: {receiver: kodomo}", "route: {receiver: hook, group_by: [plan, severity], "
            "group_wait: 0s}").replace(
            "receivers:\n", "receivers:\n  - {name: hook, webhook: {url: \"%s\"}}\n" % hook.url))
        self.ws.cycle("2026-11-28T09:00:00+09:00", expect=0)
        keys = {b["group_key"] for b in hook.json_bodies()}
        self.assertGreaterEqual(len(keys), 2)  # one group per severity
        for key in keys:
            self.assertFalse(any(ord(c) < 0x20 or ord(c) == 0x7f for c in key), repr(key))
            self.assertTrue(key.startswith("hook/0/{"), key)
            self.assertIn('"severity":', key)


    def test_alerts_most_severe_first_filtered_in_japan_time(self):
        self.ws.cycle("2026-11-28T09:00:00+09:00", expect=1)  # port 1: nothing delivered
        every = self.ws.json("alerts")["alerts"]
        ranks = {"critical": 0, "warning": 1, "info": 2}
        order = [ranks[a["severity"]] for a in every]
        self.assertEqual(order, sorted(order))
        self.assertEqual(every[0]["severity"], "critical")
        self.assertIn(1, order)
        critical = self.ws.json("alerts", "--filter", "severity=critical")["alerts"]
        self.assertEqual(len(critical), order.count(0))
        self.assertGreaterEqual(len(critical), 1)
        rest = self.ws.json("alerts", "--filter", "severity!=critical",
                            "--filter", "rule=~.*_mismatch|missing_.*")["alerts"]
        self.assertTrue(rest)
        self.assertTrue(all(a["severity"] != "critical" for a in rest))
        self.assertTrue(all(a["rule"].endswith("_mismatch") or a["rule"].startswith("missing_")
                            for a in rest))
        text = self.ws.run("alerts", "--config", self.ws.config).stdout.splitlines()
        self.assertIn("開始 (JST)", text[0])
        self.assertIn("critical", text[1])
        self.assertIn("2026-11-28 09:00", text[1])  # as staff read the time, not UTC
        for bad in ("severity", "sev!x", "rule=~("):
            proc = self.ws.run("alerts", "--config", self.ws.config, "--filter", bad, check=False)
            self.assertEqual(proc.returncode, 2, bad)
            self.assertIn("--filter", proc.stderr)


    def test_alerts_fingerprint_shows_one_alert_and_its_history(self):
        self.ws.cycle("2026-11-28T09:00:00+09:00", expect=1)  # port 1: queued, not delivered
        first = self.ws.json("alerts")["alerts"][0]
        one = self.ws.json("alerts", "--fingerprint", first["fingerprint"])["alerts"]
        self.assertEqual(len(one), 1)
        self.assertEqual({k: v for k, v in one[0].items() if k != "history"}, first)
        self.assertEqual([e["kind"] for e in one[0]["history"]], ["fired", "notified"])
        self.assertEqual(one[0]["history"][0]["at"], "2026-11-28T00:00:00Z")
        self.assertEqual(one[0]["history"][1]["receiver"], "kodomo")
        text = self.ws.run("alerts", "--config", self.ws.config, "--fingerprint",
                           first["fingerprint"]).stdout
        self.assertIn("2026-11-28 09:00  fired", text)  # Japan time
        self.assertIn("notified  kodomo new ", text)
        proc = self.ws.run("alerts", "--config", self.ws.config, "--fingerprint", "0" * 16,
                           check=False)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("no alert with fingerprint '0000000000000000'", proc.stderr)

    def test_check_config_validates_config_and_its_rules_in_one_run(self):
        ok = self.ws.run("check", "--config", self.ws.config, check=False)
        self.assertEqual(ok.returncode, 0, ok.stderr)
        self.assertIn("config OK", ok.stdout)
        self.assertIn("rules, ", ok.stdout)  # the rules the config names were checked too
        os.mkdir(self.ws.path("rules"))
        self.ws.write("rules/a.yaml", "rules:\n  - id: one\n    chek: rising\n")
        self.ws.write("shihyo.yaml", CONFIG.format(rules="rules").replace(
            "state: state.db", "state: state.db\nstat: x"))
        bad = self.ws.run("check", "--config", self.ws.config, check=False)
        self.assertEqual(bad.returncode, 1)
        self.assertIn("shihyo.yaml:4:1: config: unknown key 'stat'", bad.stderr)
        self.assertIn("a.yaml:3:5: rule 'one': unknown key 'chek'", bad.stderr)


    def japanese_env(self):
        """A Japanese locale as a staff member's terminal has it: ja_JP.UTF-8,
        compiled into a private LOCPATH (Debian's locales package has its
        source; nothing system-wide is changed)."""
        locpath = self.ws.path("locale")
        os.mkdir(locpath)
        proc = subprocess.run(["localedef", "-i", "ja_JP", "-f", "UTF-8",
                               os.path.join(locpath, "ja_JP.UTF-8")], capture_output=True)
        self.assertTrue(os.path.isdir(os.path.join(locpath, "ja_JP.UTF-8")), proc.stderr)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
        env.update(LOCPATH=locpath, LANG="ja_JP.UTF-8")
        return env

    def run_in(self, env, *args):
        return subprocess.run([SHIHYO] + list(args), capture_output=True, text=True, env=env,
                              timeout=60)

    def test_terminal_messages_in_japanese_under_a_japanese_locale(self):
        ja = self.japanese_env()
        en = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
        en["LC_ALL"] = "C.UTF-8"
        imp = self.run_in(ja, "import", "--db", self.ws.store, KAMAISHI)
        self.assertEqual(imp.returncode, 0, imp.stderr)
        self.assertIn("3 事業、26 指標、2020～2024年度。変更なし", imp.stdout)
        self.assertIn("3 projects, 26 indicators, FY2020–FY2024; unchanged",
                      self.run_in(en, "import", "--db", self.ws.store, KAMAISHI).stdout)
        missing = self.run_in(ja, "alerts", "--config", self.ws.config)
        self.assertEqual(missing.returncode, 2)
        self.assertIn("はまだありません", missing.stderr)
        check = self.run_in(ja, "check", "--config", self.ws.config)
        self.assertIn("設定は正常です（受信者 1 件）", check.stdout)
        self.assertRegex(check.stdout, r"ルール \d+ 件、上書き \d+ 件（\d+ ファイル）: 正常")
        # The data and the JSON are the same in any language.
        ev_ja = self.run_in(ja, "eval", "--db", self.ws.store, "--rules", RULES, "--now",
                            "2026-11-28", "--format", "json")
        ev_en = self.run_in(en, "eval", "--db", self.ws.store, "--rules", RULES, "--now",
                            "2026-11-28", "--format", "json")
        self.assertEqual(ev_ja.stdout, ev_en.stdout)


    def test_man_page_documents_every_command_and_option(self):
        with open(os.path.join(SOURCE, "systemd", "shihyo.1"), encoding="utf-8") as f:
            man = f.read().replace("\\-", "-")
        for section in (".SH EXAMPLES", ".SH FILES", ".SH ENVIRONMENT", ".SH EXIT STATUS"):
            self.assertIn(section, man)
        top = self.ws.run("--help", check=False).stdout
        commands = re.findall(r"^  (\S+)\s{2,}", top.split("Subcommands:")[1], re.M)
        self.assertIn("routes", commands)
        for command in commands:
            self.assertIn(".SS " + command, man.replace("send\\-test", "send-test"))
            helps = [self.ws.run(command, "--help", check=False).stdout]
            subs = helps[0].split("Subcommands:")
            if len(subs) > 1:
                for sub in re.findall(r"^  (\S+)\s{2,}", subs[1], re.M):
                    helps.append(self.ws.run(command, sub, "--help", check=False).stdout)
            for text in helps:
                for option in re.findall(r"^\s+(?:-\w,)?(--[\w-]+)", text, re.M):
                    if option != "--help":
                        self.assertTrue(option in man, "%s %s is not in the man page"
                                        % (command, option))


    def test_store_commands_read_the_store_from_the_config(self):
        os.remove(self.ws.store)
        imp = self.ws.run("import", "--config", self.ws.config, KAMAISHI, check=False)
        self.assertEqual(imp.returncode, 0, imp.stderr)
        self.assertTrue(os.path.exists(self.ws.store))  # the config's store: store.db
        shown = self.ws.run("indicators", "--config", self.ws.config, "--format", "json")
        self.assertEqual(len(json.loads(shown.stdout)["plans"]), 1)
        ev = self.ws.run("eval", "--config", self.ws.config, "--now", "2026-11-28",
                         "--format", "json")
        self.assertEqual(ev.returncode, 0, ev.stderr)
        self.assertTrue(json.loads(ev.stdout)["findings"])  # the config's store and rules
        # --db still wins; without either, a clear message.
        other = self.ws.path("other.db")
        self.ws.run("import", "--config", self.ws.config, "--db", other, KAMAISHI)
        self.assertTrue(os.path.exists(other))
        none = self.ws.run("indicators", "--config", self.ws.path("nosuch.yaml"), check=False)
        self.assertNotEqual(none.returncode, 0)
        self.assertIn("give --db", none.stderr)


    def test_silence_matchers_as_in_alertmanager_and_what_they_match(self):
        self.ws.cycle("2026-11-28T09:00:00+09:00", expect=1)  # port 1: nothing delivered
        firing = self.ws.json("alerts")["alerts"]
        not_critical = [a for a in firing if a["severity"] != "critical"]
        self.assertTrue(not_critical)
        self.assertLess(len(not_critical), len(firing))
        add = self.ws.run("silence", "add", "--config", self.ws.config, "--match",
                          "severity!=critical", "--match", "rule!~abuse_.*", "--for", "30d",
                          "--comment", "重大以外は確認中", check=False)
        self.assertEqual(add.returncode, 0, add.stderr)
        self.assertRegex(add.stdout, r"^[0-9a-f]{16}\n$")  # stdout: the id alone
        self.assertIn("this silence matches %d of the %d firing alert(s) now"
                      % (len(not_critical), len(firing)), add.stderr)
        listed = self.ws.json("silence", "list")["silences"][0]["matchers"]
        self.assertEqual([(m["label"], m["negate"], m["regex"]) for m in listed],
                         [("severity", True, False), ("rule", True, True)])
        self.ws.cycle(expect=1)  # now: the silence started on the real clock
        states = {a["fingerprint"]: (a["severity"], a["state"])
                  for a in self.ws.json("alerts")["alerts"]}
        for severity, state in states.values():
            self.assertEqual(state, "firing" if severity == "critical" else "silenced")
        for bad in ("indicator!x", "!=x", "a b=c", "severity"):
            proc = self.ws.run("silence", "add", "--config", self.ws.config, "--match", bad,
                               "--for", "1h", "--comment", "x", check=False)
            self.assertEqual(proc.returncode, 2, bad)
            self.assertIn("label!=value", proc.stderr, bad)


    def test_outbox_list_shows_its_times_in_japan_time(self):
        self.ws.cycle("2026-11-28T09:00:00+09:00", expect=1)  # port 1: the message waits
        text = self.ws.run("outbox", "list", "--config", self.ws.config).stdout.splitlines()
        self.assertIn("作成 (JST)", text[0])
        self.assertIn("送信", text[0])
        self.assertIn("2026-11-28 09:00", text[1])  # created, as staff read the time
        self.assertIn("pending", text[1])
        listed = self.ws.json("outbox", "list")["messages"][0]
        self.assertEqual(listed["created_at"], "2026-11-28T00:00:00Z")  # JSON stays UTC


if __name__ == "__main__":
    main()
