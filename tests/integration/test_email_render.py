"""The HTML digest as a mail client shows it: the Kamaishi digest, sent
through a real SMTP server (aiosmtpd), rendered by headless Chromium (Debian's
chromium, IPA Gothic) at a reading-pane width. Checks the layout (height,
the summary and the critical alerts in the first screen), the DOM (critical
first, every flagged cell marked, one entry for the 26 missing values, rule
ids only in the administrators' line), that severity shows without CSS, and
that the plain-text part reads the same way. SHIHYO_SCREENSHOTS=docs writes
the README's screenshots."""
import html as htmllib
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import unittest
import zlib

from harness import PLAN, RULES, SmtpSink, Workspace, html_part, main, text_part

CONFIG = """
store: store.db
state: state.db
rules: {rules}
external_url: http://shihyo.test
smtp: {{url: "smtp://127.0.0.1:{port}", starttls: off, from: "shihyo <s@example.lg.jp>", timeout: 5s}}
receivers:
  - {{name: kodomo, email: {{to: [kodomo@example.lg.jp]}}}}
route: {{receiver: kodomo, group_by: [plan]}}
"""

T0 = "2026-11-28T09:00:00+09:00"
WIDTH, SCREEN = 800, 900  # a reading pane; what shows before scrolling
OLD_HEIGHT = 7454  # px of the same digest before issue 11, measured the same way

# Run in the page (a copy of the email with this script added; the email
# itself has none): what the test asserts, as JSON in an attribute.
MEASURE = """<script>(function () {
  function q(s, root) { return Array.prototype.slice.call((root || document).querySelectorAll(s)); }
  function top(e) { return e.getBoundingClientRect().top + window.scrollY; }
  function bottom(e) { return e.getBoundingClientRect().bottom + window.scrollY; }
  var out = {height: document.documentElement.scrollHeight,
             width: document.documentElement.scrollWidth};
  var summary = q('.summary')[0];
  out.summary = summary ? [top(summary), bottom(summary), summary.textContent] : null;
  out.critical = q('.critical-alert').map(function (e) { return [top(e), e.textContent]; });
  out.order = q('.summary, .critical, .group, .block').map(function (e) { return e.className; });
  out.groups = q('.group').map(function (g) {
    return [g.querySelector('td > b').textContent, q('.name', g).length]; });
  out.blocks = q('.block').map(function (b) {
    var series = q('.series', b)[0];
    var heads = series ? series.rows[series.rows.length - 2].cells : [];
    return {name: b.querySelector('div > b').textContent, tables: q('.series', b).length,
            flagged: q('.flagged', b).map(function (td) {
              return [heads[td.cellIndex].textContent, td.textContent]; })}; });
  out.badges = q('.badge').map(function (e) {
    return [e.textContent, getComputedStyle(e).backgroundColor]; });
  out.admin = q('.admin').map(function (e) { return e.textContent; });
  var body = document.body.cloneNode(true);
  q('.admin', body).forEach(function (e) { e.parentNode.removeChild(e); });
  out.text = body.textContent;
  var resolved = q('.resolved-heading')[0];
  out.resolved = resolved ? top(resolved) : null;
  out.links = q('a').map(function (a) { return a.getAttribute('href'); });
  document.body.setAttribute('data-measure', JSON.stringify(out));
})();</script>"""

CRITICAL, WARNING = "rgb(198, 40, 40)", "rgb(249, 168, 37)"


def era(fiscal_year):
    """2023 → 令和5年度 (the table's years are all in Reiwa)."""
    n = int(fiscal_year) - 2018
    return "令和%s年度" % ("元" if n == 1 else n)


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


def png_pixels(path, rows):
    """The first |rows| rows of an 8-bit RGB or RGBA PNG (what Chromium
    writes), as lists of (r, g, b) tuples: enough of a decoder to look at a
    screenshot without an imaging library."""
    with open(path, "rb") as f:
        data = f.read()
    pos, idat, width, channels = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, _, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), (depth, color)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompressobj().decompress(idat, (width * channels + 1) * rows)
    stride, out, prev = width * channels, [], bytearray(width * channels)
    for y in range(rows):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.append([tuple(line[x:x + 3]) for x in range(0, stride, channels)])
        prev = line
    return out


def count_color(rows, color):
    return sum(row.count(color) for row in rows)


@unittest.skipUnless(shutil.which("chromium"), "Debian's chromium is not installed")
class EmailRenderTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # One digest for the whole class: the Kamaishi table, every alert to
        # 子ども課 (54: 2 critical, 38 warnings, 14 notices).
        cls.case = unittest.TestCase()
        cls.dir = tempfile.mkdtemp(prefix="shihyo-email-render-")  # removed in tearDownClass
        try:
            smtp = SmtpSink(cls.case).start()
            ws = Workspace(cls.case)
            ws.write("shihyo.yaml", CONFIG.format(rules=RULES, port=smtp.port))
            ws.import_table()
            ws.cycle(T0, expect=0)
            (sent,) = smtp.messages()
            cls.msg = sent[0]
            cls.alerts = ws.json("alerts")["alerts"]
        finally:
            cls.case.doCleanups()  # the SMTP server and workspace go, also on failure

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, True)

    def chromium(self, *args):
        env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "FAKETIME")}
        profile = tempfile.mkdtemp(prefix="shihyo-chromium-")
        self.addCleanup(shutil.rmtree, profile, True)
        proc = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                               "--hide-scrollbars", "--user-data-dir=" + profile] + list(args),
                              capture_output=True, text=True, timeout=120, env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
        return proc

    def measure(self, page, name):
        """The MEASURE JSON of |page| rendered at WIDTH x SCREEN."""
        path = os.path.join(self.dir, name + "-measured.html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(page.replace("</body>", MEASURE + "</body>"))
        dom = self.chromium("--window-size=%d,%d" % (WIDTH, SCREEN), "--dump-dom",
                            "file://" + path).stdout
        found = re.search(r'data-measure="([^"]*)"', dom)
        self.assertTrue(found, dom[:500])
        return json.loads(htmllib.unescape(found.group(1)))

    def screenshot(self, page, name, height):
        """Writes |page|'s screenshot at WIDTH x |height| and returns its path."""
        path = os.path.join(self.dir, name + ".html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(page)
        out = os.path.join(os.environ.get("SHIHYO_SCREENSHOTS") or self.dir, name + ".png")
        self.chromium("--window-size=%d,%d" % (WIDTH, height), "--screenshot=" + out,
                      "file://" + path)
        self.assertEqual(png_size(out), (WIDTH, height), name)
        return out

    def test_layout_and_dom_in_chromium(self):
        page = html_part(self.msg)
        self.assertLess(len(page.encode()), 102 * 1024, "Gmail clips a message over 102 KB")
        self.assertNotIn("<script", page)
        self.assertNotIn("<svg", page)
        self.assertNotIn("<img", page)
        m = self.measure(page, "digest")
        # Far shorter than before, and no wider than the pane.
        self.assertLess(m["height"], 0.6 * OLD_HEIGHT, "px")
        self.assertLessEqual(m["width"], WIDTH)
        # The summary and both critical alerts show before any scrolling.
        top, bottom, summary = m["summary"]
        self.assertLess(top, 40)
        self.assertLess(bottom, SCREEN / 2)
        for text in ("重大 2件", "警告 38件", "情報 14件", "新規 54件・継続 0件・解消 0件"):
            self.assertIn(text, summary)
        self.assertEqual(len(m["critical"]), 2)
        for y, text in m["critical"]:
            self.assertLess(y, SCREEN - 100, text)
            self.assertIn("【重大】", text)
            self.assertIn("対応：", text)
            self.assertIn("状況を確認", text)
        # Summary, the critical alerts, the grouped entries, then the blocks.
        order = m["order"]
        self.assertEqual(order[:2], ["summary", "critical"])
        self.assertLess(order.index("group"), order.index("block"))
        self.assertEqual(m["groups"][0], ["令和6年度の実績が未記入：26指標", 26])
        self.assertEqual(sum(1 for a in self.alerts if a["rule"] == "missing_actual"), 26)
        self.check_every_flagged_cell_is_marked(m["blocks"])
        # Rule ids only in the administrators' line.
        (admin,) = m["admin"]
        for rule in {a["rule"] for a in self.alerts}:
            self.assertNotIn(rule, m["text"])
            self.assertIn(rule, admin)
        # Severity colours and labels.
        badges = dict((label, color) for label, color in m["badges"])
        self.assertEqual(badges["【重大】"], CRITICAL)
        self.assertEqual(badges["【警告】"], WARNING)
        for link in m["links"]:
            self.assertRegex(link, r"^http://shihyo\.test/(alerts(/[0-9a-f]{16})?|plans/\d+#i\d+)$")
        self.screenshot(page, "email-digest", m["height"])
        first = self.screenshot(page, "email-digest-first-screen", SCREEN)
        self.check_severity_colours_in_the_first_screen(first)

    def test_resolved_alerts_say_why(self):
        # The units fixed and a count corrected (25件 → 7件): each resolved
        # alert says what changed, old → new, not its old message as news.
        smtp = SmtpSink(self).start()
        ws = Workspace(self)
        ws.write("shihyo.yaml", CONFIG.format(rules=RULES, port=smtp.port))
        ws.import_table()
        ws.cycle(T0, expect=0)
        ws.import_corrected([("3,831件", "3,831人"), ("3,895件", "3,895人"),
                             ("4,858件", "4,858人"), ("7件\t25件", "7件\t7件")])
        ws.cycle("2026-11-29T09:00:00+09:00", expect=0)
        msg = smtp.messages()[-1][0]
        text = text_part(msg)
        resolved = text[text.index("━━ 解消したアラート ━━"):]
        self.assertIn("【解消】値が変わりました（令和3年度 3,831件 → 3,831人）", resolved)
        self.assertIn("【解消】値が変わりました（令和5年度 25件 → 7件）", resolved)
        self.assertIn("もとのお知らせ: 令和5年度は25件で", resolved)
        page = html_part(msg)
        self.assertLess(len(page.encode()), 102 * 1024, "Gmail clips a message over 102 KB")
        m = self.measure(page, "resolved")
        self.assertIn("値が変わりました（令和5年度 25件 → 7件）", m["text"])
        # The resolved section, as the README shows it.
        frame = os.path.join(self.dir, "resolved-frame.html")
        with open(frame, "w", encoding="utf-8") as f:
            f.write('<html><body style="margin:0;overflow:hidden"><iframe src="resolved.html" '
                    'style="border:0;width:%dpx;height:%dpx;margin-top:-%dpx"></iframe>'
                    '</body></html>' % (WIDTH, m["height"], int(m["resolved"]) - 10))
        with open(os.path.join(self.dir, "resolved.html"), "w", encoding="utf-8") as f:
            f.write(page)
        out = os.path.join(os.environ.get("SHIHYO_SCREENSHOTS") or self.dir, "email-resolved.png")
        self.chromium("--window-size=%d,%d" % (WIDTH, 520), "--screenshot=" + out,
                      "file://" + frame)
        self.assertEqual(png_size(out), (WIDTH, 520))

    def check_severity_colours_in_the_first_screen(self, png):
        # Pixels of the screenshot itself: the red of 重大 (the count and the
        # two badges) and the amber of 警告 fill real areas of the top half.
        top = png_pixels(png, SCREEN // 2)
        self.assertGreater(count_color(top, (198, 40, 40)), 3000, png)
        self.assertGreater(count_color(top, (249, 168, 37)), 1500, png)

    def check_every_flagged_cell_is_marked(self, blocks):
        by_name = {b["name"]: b for b in blocks}
        shown = 0
        for a in self.alerts:
            if a["indicator"] not in by_name or not a.get("fiscal_year"):
                continue
            block = by_name[a["indicator"]]
            self.assertEqual(block["tables"], 1, a["indicator"])
            years = {year: text for year, text in block["flagged"]}
            self.assertIn(era(a["fiscal_year"]), years, a["indicator"])
            shown += 1
        self.assertGreater(shown, 10)
        abuse = dict(by_name["児童虐待発生件数(の減少)"]["flagged"])
        self.assertEqual(abuse["令和5年度"], "25件【重大】")  # the critical 25件 too
        self.assertEqual(abuse["令和4年度"], "7件【情報】")

    def test_severity_shows_without_css(self):
        page = re.sub(r'\sstyle="[^"]*"', "", html_part(self.msg))
        self.assertNotIn("style=", page)
        m = self.measure(page, "nocss")
        badges = {}
        for label, color in m["badges"]:
            badges.setdefault(label, color)
        self.assertEqual(badges["【重大】"], CRITICAL)
        self.assertEqual(badges["【警告】"], WARNING)
        self.assertNotEqual(badges["【重大】"], badges["【警告】"])
        self.assertEqual(len(m["critical"]), 2)
        self.assertLess(m["critical"][1][0], m["height"] / 4)
        first = self.screenshot(page, "email-digest-nocss", SCREEN)
        self.check_severity_colours_in_the_first_screen(first)

    def test_plain_text_part_reads_the_same_way(self):
        text = text_part(self.msg)
        summary = text.index("解消していないアラート: 重大 2件・警告 38件・情報 14件")
        critical = text.index("━━ 重大：すぐに確認してください（2件）━━")
        group = text.index("【警告】令和6年度の実績が未記入：26指標\n")
        blocks = text.index("\n● ")
        self.assertLess(summary, critical)
        self.assertLess(critical, group)
        self.assertLess(group, blocks)
        self.assertEqual(text.count("令和6年度の実績値が未記入"), 0)
        self.assertIn("子育てに関わる人がポータルサイトを知っている、", text[group:blocks])
        admin = text.index("管理者向け: ")
        for rule in {a["rule"] for a in self.alerts}:
            self.assertGreater(text.index(rule), admin, rule)
        self.assertIn("25件*", text)
        self.assertLess(len(text.splitlines()), 250)
        self.assertIn(PLAN, text)


if __name__ == "__main__":
    main()
