#!/usr/bin/env python3
"""Fails when a function in daemon/src is longer than 60 lines (STYLE.md: aim
for 40, split anything over 60).

A function is a brace block at namespace scope that is not a namespace, a
type or an initializer (comments and literals ignored); its length counts the
lines from the signature's first line to the closing brace.

  check_function_length.py [SRC_DIR] [--max N]
  check_function_length.py --self-test
"""
import os
import re
import sys
import tempfile

def strip(text):
    """|text| with comments, string and character literals blanked (newlines kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == "#" and (i == 0 or text[i - 1] == "\n"):  # a preprocessor line
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', text[i:])
            close = ")" + (m.group(1) if m else "") + '"'
            j = text.find(close, i + 2)
            j = n if j < 0 else j + len(close)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(" " * (min(j, n - 1) + 1 - i))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(text):
    """Yields (first line, length in lines, signature) of each function defined at
    namespace scope or in a class body: a "{" whose statement is not a
    namespace, a type or an initializer; the lines from the statement's first
    one to its "}". Lambdas and blocks inside a function count as its lines."""
    code = strip(text)
    scopes = []  # "ns", "type", "fn" (with its start), or "other"
    stmt_start = 0
    for i, c in enumerate(code):
        outer = not scopes or scopes[-1][0] in ("ns", "type")
        if c == "{":
            if not outer:
                scopes.append(("other", None))
                continue
            stmt = code[stmt_start:i]
            lead = len(stmt) - len(stmt.lstrip())
            stmt = stmt.strip()
            if re.match(r"(namespace|extern)\b", stmt):
                scopes.append(("ns", None))
            elif re.match(r"(template\s*<.*>\s*)?(struct|class|union)\b", stmt, re.S):
                scopes.append(("type", None))
            elif "(" in stmt and not stmt.endswith("=") and not re.match(r"enum\b", stmt):
                scopes.append(("fn", stmt_start + lead))
            else:
                scopes.append(("other", None))
            stmt_start = i + 1
        elif c == "}":
            kind, begin = scopes.pop() if scopes else ("ns", None)
            if kind == "fn":
                first = code.count("\n", 0, begin) + 1
                last = code.count("\n", 0, i) + 1
                yield first, last - first + 1, text[begin:].split("\n", 1)[0].strip()
            if not scopes or scopes[-1][0] in ("ns", "type"):
                stmt_start = i + 1
        elif c in ";:" and outer:
            # ":" ends "public:" labels; a constructor's initializer list keeps
            # its "(" in the statement since the "(" comes before the ":".
            if c == ";" or re.search(r"\b(public|private|protected)\s*$", code[stmt_start:i]):
                stmt_start = i + 1


def check(src, limit):
    errors = []
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".cc"):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for line, length, sig in functions(text):
                if length > limit:
                    errors.append("%s:%d: %d lines (over %d): %s"
                                  % (os.path.relpath(path, src), line, length, limit, sig))
    return errors


def self_test():
    body = "int Short(int a,\n          int b) {\n  return a + b;\n}\n\n"
    body += "void Long() {\n" + "  Step();\n" * 61 + "}\n"
    body += "class Loader {\n public:\n  void Method() {\n" + "    auto f = [] { return 1; };\n" * 61
    body += "  }\n  int x_ = 0;\n};\n"
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "x.cc"), "w") as f:
            f.write(body)
        got = check(tmp, 60)
    assert got == ["x.cc:6: 63 lines (over 60): void Long() {",
                   "x.cc:71: 63 lines (over 60): void Method() {"], got
    print("check_function_length self-test: a 63-line function and method are caught")


def main():
    args = sys.argv[1:]
    if args == ["--self-test"]:
        self_test()
        return 0
    limit = 60
    if "--max" in args:
        k = args.index("--max")
        limit = int(args[k + 1])
        del args[k:k + 2]
    here = os.path.dirname(os.path.abspath(__file__))
    src = args[0] if args else os.path.join(here, "..", "..", "daemon", "src")
    errors = check(src, limit)
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print("check_function_length: %d function(s) over %d lines" % (len(errors), limit),
              file=sys.stderr)
        return 1
    print("check_function_length: no function over %d lines" % limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
