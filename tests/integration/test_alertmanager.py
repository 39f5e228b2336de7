"""Alertmanager compatibility, against Debian's real prometheus-alertmanager:
shihyo pushes its alerts to /api/v2/alerts (labels and annotations intact,
resolved ones with their endsAt), and its `alertmanager` webhook format has
exactly the schema of the payload Alertmanager itself posts."""
import time
import unittest

from harness import PLAN, RULES, Alertmanager, HttpReceiver, Workspace, main

PUSH_CONFIG = """
store: store.db
state: state.db
rules: {rules}
external_url: http://shihyo.test
evaluation: {{interval: 1h}}
receivers:
  - name: am
    alertmanager: {{url: {url}}}
route:
  receiver: am
"""

WEBHOOK_CONFIG = """
store: store.db
state: state.db
rules: {rules}
external_url: http://shihyo.test
receivers:
  - name: am-format
    webhook: {{url: {url}, format: alertmanager}}
route:
  receiver: am-format
  group_by: [plan]
"""


LABEL_MAPS = {"labels", "annotations", "groupLabels", "commonLabels", "commonAnnotations"}


def schema(value, key=None):
    """The shape of a JSON value: key names and value types, recursively;
    lists by the shape of their first element; label sets as string maps."""
    if key in LABEL_MAPS and isinstance(value, dict):
        return "map<str,str>" if all(isinstance(v, str) for v in value.values()) else "bad map"
    if isinstance(value, dict):
        return {k: schema(v, k) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [schema(value[0])] if value else []
    return type(value).__name__


class AlertmanagerTest(unittest.TestCase):
    def test_push_to_real_alertmanager(self):
        am = Alertmanager(self)
        ws = Workspace(self)
        ws.write("shihyo.yaml", PUSH_CONFIG.format(rules=RULES, url=am.url))
        ws.import_table()
        ws.cycle(expect=0)
        alerts = am.alerts()
        firing = len(ws.json("alerts")["alerts"])
        self.assertEqual(len(alerts), firing)
        abuse = [a for a in alerts if a["labels"].get("indicator") == "児童虐待発生件数(の減少)"
                 and a["labels"]["alertname"] == "abuse_cases_rising"]
        self.assertEqual(len(abuse), 1)
        labels = abuse[0]["labels"]
        self.assertEqual(labels["severity"], "critical")
        self.assertEqual(labels["plan"], PLAN)
        self.assertEqual(labels["fiscal_year"], "2023")
        self.assertEqual(labels["topic"], "child_abuse")  # from the Kamaishi overrides
        self.assertIn("令和5年度は25件", abuse[0]["annotations"]["summary"])
        self.assertIn("目標 0件", abuse[0]["annotations"]["description"])
        self.assertEqual(abuse[0]["status"]["state"], "active")
        self.assertTrue(abuse[0]["generatorURL"].startswith("http://shihyo.test/alerts/"))

        # Fixed and re-imported: the unit alerts are sent again as resolved
        # and Alertmanager stops listing them as active.
        ws.import_corrected([("3,831件", "3,831人"), ("3,895件", "3,895人"),
                             ("4,858件", "4,858人")])
        ws.cycle(expect=0)
        unit = lambda: [a for a in am.alerts(active="true")
                        if a["labels"]["alertname"] == "unit_mismatch"]
        deadline = time.time() + 10
        while unit() and time.time() < deadline:
            time.sleep(0.2)
        self.assertEqual(unit(), [])
        self.assertEqual(len(am.alerts(active="true")), firing - 3)

    def test_silenced_alerts_are_still_pushed_so_alertmanager_keeps_them_active(self):
        am = Alertmanager(self)
        ws = Workspace(self)
        ws.write("shihyo.yaml", PUSH_CONFIG.format(rules=RULES, url=am.url))
        ws.import_table()
        ws.cycle(expect=0)
        abuse = lambda: {a["fingerprint"]: a for a in am.alerts()
                         if a["labels"]["alertname"] == "abuse_cases_rising"}
        first = abuse()
        self.assertTrue(first)
        add = ws.run("silence", "add", "--config", ws.config, "--match",
                     "alertname=abuse_cases_rising", "--for", "1h", "--comment", "確認中")
        self.assertEqual(add.returncode, 0, add.stderr)
        time.sleep(1.2)
        ws.cycle(expect=0)
        # Pushed again (a later endsAt): Alertmanager will not time them out and
        # announce them resolved while the silence lasts in shihyo.
        after = abuse()
        self.assertEqual(after.keys(), first.keys())
        for fp, alert in after.items():
            self.assertEqual(alert["status"]["state"], "active")
            self.assertGreater(alert["endsAt"], first[fp]["endsAt"])
            self.assertEqual(alert["startsAt"], first[fp]["startsAt"])
        silenced = [a for a in ws.json("alerts")["alerts"] if a["rule"] == "abuse_cases_rising"]
        self.assertTrue(silenced and silenced[0]["silenced_by"], silenced)

    def test_alertmanager_webhook_format_matches_alertmanager(self):
        # What Alertmanager itself posts to a webhook receiver ...
        theirs = HttpReceiver(self)
        am = Alertmanager(self, webhook_url=theirs.url)
        ws = Workspace(self)
        ws.write("shihyo.yaml", PUSH_CONFIG.format(rules=RULES, url=am.url))
        ws.import_table()
        ws.cycle(expect=0)
        deadline = time.time() + 20
        while not theirs.requests and time.time() < deadline:
            time.sleep(0.2)
        self.assertTrue(theirs.requests, "Alertmanager posted nothing")
        reference = theirs.json_bodies()[0]

        # ... and what shihyo posts in the alertmanager format.
        ours = HttpReceiver(self)
        ws2 = Workspace(self)
        ws2.write("shihyo.yaml", WEBHOOK_CONFIG.format(rules=RULES, url=ours.url))
        ws2.import_table()
        ws2.cycle(expect=0)
        self.assertEqual(len(ours.requests), 1)
        payload = ours.json_bodies()[0]
        self.assertEqual(payload["version"], "4")
        self.maxDiff = None
        self.assertEqual(schema(payload), schema(reference))
        self.assertEqual(schema(payload["alerts"][0]), schema(reference["alerts"][0]))
        self.assertEqual(payload["status"], "firing")
        self.assertEqual(payload["groupLabels"], {"plan": PLAN})
        self.assertEqual(payload["commonLabels"]["plan"], PLAN)
        self.assertEqual(payload["alerts"][0]["endsAt"], "0001-01-01T00:00:00Z")
        self.assertEqual(payload["truncatedAlerts"], 0)


if __name__ == "__main__":
    main()
