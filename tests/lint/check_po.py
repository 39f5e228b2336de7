#!/usr/bin/python3
"""Every terminal message that goes through Tr()/TrF() has its Japanese
translation in po/ja.po, with the same number of {} placeholders; catalogs
that drift fail CI. `--self-test` shows the check fails on a missing one."""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read_po(path):
    """msgid → msgstr of a .po file (continuation lines joined)."""
    entries, key, cur = {}, None, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            m = re.match(r'^(msgid|msgstr) (".*")$', line)
            if m:
                key = m.group(1)
                if key == "msgid":
                    cur = [eval(m.group(2)), None]  # a C string literal: Python reads it alike
                else:
                    cur[1] = eval(m.group(2))
                    entries[cur[0]] = cur[1]
            elif line.startswith('"') and cur is not None:
                if key == "msgid":
                    cur[0] += eval(line)
                else:
                    cur[1] += eval(line)
                    entries[cur[0]] = cur[1]
    return entries


def msgids(sources):
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "shihyo.pot")
        subprocess.run(["xgettext", "--language=C++", "--from-code=UTF-8", "--keyword=Tr",
                        "--keyword=TrF", "--no-location", "-o", pot] + sources, check=True)
        if not os.path.exists(pot):
            return {}
        return {k for k in read_po(pot) if k}


def check(sources, po):
    translated = read_po(po)
    problems = []
    for msgid in sorted(msgids(sources)):
        msgstr = translated.get(msgid, "")
        if not msgstr:
            problems.append("%s: no translation of %r" % (po, msgid))
        elif msgstr.count("{}") != msgid.count("{}"):
            problems.append("%s: %r has %d placeholders, its translation %d"
                            % (po, msgid, msgid.count("{}"), msgstr.count("{}")))
    return problems


def sources():
    out = []
    for base, _, files in os.walk(os.path.join(ROOT, "daemon")):
        out += [os.path.join(base, f) for f in files if f.endswith((".cc", ".h"))]
    return sorted(out)


def main():
    po = os.path.join(ROOT, "po", "ja.po")
    if sys.argv[1:] == ["--self-test"]:
        with tempfile.TemporaryDirectory() as tmp:
            fake = os.path.join(tmp, "fake.cc")
            with open(fake, "w") as f:
                f.write('void f() { Tr("a message nobody translated"); TrF("{} rules, {} '
                        'overrides in {} files: OK", {}); }\n')
            problems = check([fake], po)
        if len(problems) != 1 or "nobody translated" not in problems[0]:
            print("check_po self-test: expected one missing translation, got", problems)
            return 1
        print("check_po self-test: a missing translation is caught")
        return 0
    problems = check(sources(), po)
    for p in problems:
        print(p)
    if problems:
        return 1
    print("check_po: every terminal message has its Japanese translation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
