"""Digest emails through a real SMTP server (aiosmtpd): one per route group,
Japanese subject, both parts, no repeats, reminders, resolved notices,
silences, no header injection from the data, and every link of an email
is a page the daemon serves."""
import email.header
import os
import re
import unittest
import urllib.request

from harness import (KAMAISHI, PLAN, RULES, Daemon, SmtpSink, Workspace, free_port, html_part,
                     main, text_part, wait_for_port, wait_until)

CONFIG = """
store: store.db
state: state.db
rules: {rules}
external_url: http://shihyo.test
smtp:
  url: smtp://127.0.0.1:{port}
  starttls: off
  from: "shihyo <shihyo@kamaishi.example.lg.jp>"
  timeout: 5s
receivers:
  - name: kodomo
    email: {{to: [kodomo@example.lg.jp]}}
  - name: abuse-team
    email: {{to: [gyakutai@example.lg.jp], cc: [kacho@example.lg.jp]}}
route:
  receiver: kodomo
  group_by: [plan]
  repeat_interval: 1d
  routes:
    - receiver: abuse-team
      match: {{severity: critical}}
"""

T0 = "2026-11-28T09:00:00+09:00"


def decoded_subject(msg):
    return str(email.header.make_header(email.header.decode_header(msg["Subject"])))


class EmailTest(unittest.TestCase):
    def setUp(self):
        self.smtp = SmtpSink(self).start()
        self.ws = Workspace(self)
        self.ws.write("shihyo.yaml", CONFIG.format(rules=RULES, port=self.smtp.port))
        self.ws.import_table()

    def by_receiver(self, messages):
        return {env["rcpt_tos"][0]: msg for msg, env in messages}

    def test_digest_lifecycle(self):
        self.ws.cycle(T0, expect=0)
        sent = self.smtp.messages()
        self.assertEqual(len(sent), 2, "one digest per route group")
        mails = self.by_receiver(sent)
        kodomo, abuse = mails["kodomo@example.lg.jp"], mails["gyakutai@example.lg.jp"]
        self.assertEqual(decoded_subject(abuse), "[shihyo] 新規アラート 2件 — " + PLAN)
        self.assertRegex(decoded_subject(kodomo), r"^\[shihyo\] 新規アラート \d+件 — " + PLAN + "$")
        for _, env in sent:
            self.assertRegex(env["raw"], rb"\nSubject: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=",
                             "RFC 2047 encoded")
        self.assertEqual(sorted(sent[0][1]["rcpt_tos"] + sent[1][1]["rcpt_tos"]),
                         ["gyakutai@example.lg.jp", "kacho@example.lg.jp", "kodomo@example.lg.jp"])
        for part in (text_part(abuse), html_part(abuse)):
            self.assertIn("児童虐待発生件数(の減少)", part)
            self.assertIn("釜石市への児童虐待通告件数", part)
            self.assertIn("重大", part)
        for part in (text_part(kodomo), html_part(kodomo)):
            self.assertIn("子育て支援センターの利用者数", part)
            self.assertIn("プロジェクト2:遊び場開拓プロジェクト", part)
            self.assertIn("令和3年度", part)
            self.assertNotIn("児童虐待発生件数(の減少)：令和5年度は25件", part)  # the critical route took it
        self.assertIn("3,831件", text_part(kodomo))  # the evidence table
        self.assertTrue(abuse["Message-ID"] and kodomo["Message-ID"])

        # Nothing changed: nothing sent.
        self.ws.cycle("2026-11-28T10:00:00+09:00", expect=0)
        self.assertEqual(len(self.smtp.messages()), 2)

        # After repeat_interval (1d): a reminder per group.
        self.ws.cycle("2026-11-29T09:30:00+09:00", expect=0)
        sent = self.smtp.messages()
        self.assertEqual(len(sent), 4)
        reminders = self.by_receiver(sent[2:])
        self.assertIn("未解消のアラート", decoded_subject(reminders["kodomo@example.lg.jp"]))
        self.assertIn("変化はありませんが", text_part(reminders["gyakutai@example.lg.jp"]))

        # The unit is fixed and re-imported: the resolved section arrives with
        # the current values.
        self.ws.import_corrected([("3,831件", "3,831人"), ("3,895件", "3,895人"),
                                  ("4,858件", "4,858人")])
        self.ws.cycle("2026-11-29T10:00:00+09:00", expect=0)
        sent = self.smtp.messages()
        self.assertEqual(len(sent), 5, "only the group with resolved alerts is told")
        resolved = sent[4][0]
        self.assertEqual(sent[4][1]["rcpt_tos"], ["kodomo@example.lg.jp"])
        self.assertEqual(decoded_subject(resolved), "[shihyo] 解消 3件 — " + PLAN)
        body = text_part(resolved)
        self.assertIn("解消したアラート", body)
        self.assertIn("子育て支援センターの利用者数", body)
        self.assertIn("値が変わりました（令和3年度 3,831件 → 3,831人）", body)  # why it resolved
        self.assertIn("3,831人", body)
        self.assertIn("解消したアラート", html_part(resolved))

    def test_every_link_of_an_email_is_a_page_the_daemon_serves(self):
        port = free_port()
        base = "http://127.0.0.1:%d" % port
        config = CONFIG.format(rules=RULES, port=self.smtp.port)
        config = config.replace("external_url: http://shihyo.test", "external_url: " + base)
        self.ws.write("shihyo.yaml", config + "http: {listen: 127.0.0.1:%d}\n" % port)
        daemon = Daemon(self, self.ws).start()
        wait_for_port(port, proc=daemon.proc)
        self.assertTrue(wait_until(lambda: len(self.smtp.messages()) == 2, 30), daemon.logs())
        links = set()
        for msg, _ in self.smtp.messages():
            links.update(re.findall(r'href="([^"]+)"', html_part(msg)))
            links.update(re.findall(r"詳細: (\S+)", text_part(msg)))
        self.assertTrue([l for l in links if "/alerts/" in l], links)
        self.assertTrue([l for l in links if "/plans/" in l], links)
        for link in sorted(links):
            self.assertTrue(link.startswith(base), link)
            with urllib.request.urlopen(link.split("#")[0], timeout=10) as r:
                self.assertEqual(r.status, 200, link)
                page = r.read().decode()
            if "#i" in link:  # the indicator's row on the plan page
                self.assertIn('id="%s"' % link.split("#")[1], page)

    def test_preview_shows_the_next_cycle_without_sending(self):
        preview = self.ws.run("preview", "--config", self.ws.config, "--now", T0)
        self.assertFalse(os.path.exists(self.ws.path("state.db")), "preview writes no file")
        self.assertEqual(preview.returncode, 0, preview.stderr)
        out = preview.stdout
        self.assertEqual(out.count("==== message "), 2)
        self.assertIn("(Subject decoded: [shihyo] 新規アラート 2件 — " + PLAN + ")", out)
        self.assertIn("--- part 1: text/plain; charset=UTF-8 (base64) ---", out)
        self.assertIn("--- part 2: text/html; charset=UTF-8 (base64) ---", out)
        self.assertIn("To: gyakutai@example.lg.jp", out)
        self.assertIn("Cc: kacho@example.lg.jp", out)
        only = self.ws.run("preview", "--config", self.ws.config, "--now", T0,
                           "--receiver", "abuse-team").stdout
        self.assertEqual(only.count("==== message "), 1)
        # Nothing was sent and no state changed: the cycle sends the same.
        self.assertEqual(self.smtp.messages(), [])
        self.assertFalse(os.path.exists(self.ws.path("state.db")))
        self.ws.cycle(T0, expect=0)
        sent = self.smtp.messages()
        self.assertEqual(len(sent), 2)
        for msg, _ in sent:
            self.assertIn("(Subject decoded: " + decoded_subject(msg) + ")", out)
            for line in text_part(msg).splitlines():
                if line.startswith("2026年"):  # the time line differs by the clock
                    continue
                self.assertIn(line, out)
        after = self.ws.run("preview", "--config", self.ws.config, "--now",
                            "2026-11-28T10:00:00+09:00").stdout
        self.assertIn("(the next cycle would send nothing)", after)

    def test_silenced_alert_is_recorded_not_sent(self):
        add = self.ws.run("silence", "add", "--config", self.ws.config, "--match",
                          "indicator=子育て支援センターの利用者数", "--for", "30d",
                          "--comment", "単位は確認中")
        self.assertEqual(add.returncode, 0, add.stderr)
        silence_id = add.stdout.strip()
        self.ws.cycle(expect=0)  # real time: the silence is in force now
        sent = self.smtp.messages()
        self.assertEqual(len(sent), 2)
        for msg, _ in sent:
            self.assertNotIn("子育て支援センターの利用者数", text_part(msg))
            self.assertNotIn("子育て支援センターの利用者数", html_part(msg))
        alerts = self.ws.json("alerts")["alerts"]
        silenced = [a for a in alerts if a["indicator"] == "子育て支援センターの利用者数"]
        self.assertTrue(silenced)
        for a in silenced:
            self.assertEqual(a["state"], "silenced")
            self.assertEqual(a["silenced_by"], silence_id)
        listed = self.ws.json("silence", "list")["silences"]
        self.assertEqual([s["id"] for s in listed], [silence_id])
        self.assertEqual(self.ws.run("silence", "expire", "--config", self.ws.config,
                                     silence_id).returncode, 0)
        self.ws.cycle(expect=0)
        sent = self.smtp.messages()
        self.assertEqual(len(sent), 3, "the expired silence lets the alerts through, once")
        self.assertIn("子育て支援センターの利用者数", text_part(sent[2][0]))

    def test_indicator_name_cannot_add_a_header(self):
        # A spreadsheet cell may hold line breaks: a name that tries to add a Bcc.
        with open(KAMAISHI, encoding="utf-8") as f:
            text = f.read()
        evil = '"子育て支援センターの利用者数\r\nBcc: x@example.com\r\nSubject: hijacked"'
        text = text.replace("子育て支援センターの利用者数\t8,000人", evil + "\t8,000人", 1)
        other = Workspace(self)
        other.write("shihyo.yaml", CONFIG.format(rules=RULES, port=self.smtp.port))
        other.import_table(other.write("evil.txt", text))
        other.cycle(T0, expect=0)
        sent = self.smtp.messages()
        self.assertEqual(len(sent), 2)
        for msg, env in sent:
            self.assertNotIn("x@example.com", env["rcpt_tos"])
            self.assertIsNone(msg["Bcc"])
            self.assertEqual(len(msg.get_all("Subject")), 1)
            self.assertNotIn("hijacked", decoded_subject(msg))
            for name, value in msg.items():
                self.assertNotIn("x@example.com", str(value), name)
        kodomo = self.by_receiver(sent)["kodomo@example.lg.jp"]
        self.assertIn("Bcc: x@example.com", text_part(kodomo).replace("\\x0D\\x0A", " "),
                      "the name is shown, harmlessly, in the body")


if __name__ == "__main__":
    main()
