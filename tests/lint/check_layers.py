#!/usr/bin/env python3
"""Fails when a source file includes a header of a higher layer.

The layers of daemon/src, lowest first (ARCHITECTURE.md). A file may include
headers of its own layer and of lower ones; notify/<kind>/ counts as notify,
and a receiver kind's folder may not include another kind's folder. Includes
must be spelled with their folder ("store/store.h") and never with "../".

  check_layers.py [SRC_DIR]     check the tree (default: daemon/src)
  check_layers.py --self-test   prove the check fails on a wrong include
"""
import os
import re
import sys
import tempfile

LAYERS = ["base", "model", "config", "import", "store", "eval", "alert", "notify", "state", "http",
          "service", "cli"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(relpath):
    """('notify', 'email') for notify/email/smtp.h; ('base', None) for base/text.h."""
    parts = relpath.split("/")
    if parts[0] not in LAYERS:
        return None, None
    kind = parts[1] if parts[0] == "notify" and len(parts) > 2 else None
    return parts[0], kind


def check(src):
    errors = []
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith((".h", ".cc", ".in")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)
            layer, kind = layer_of(rel)
            if layer is None:
                errors.append("%s: not inside a layer folder (%s)" % (rel, ", ".join(LAYERS)))
                continue
            text = open(path, encoding="utf-8").read()
            for m in INCLUDE.finditer(text):
                target = m.group(1)
                line = text.count("\n", 0, m.start()) + 1
                where = "%s:%d" % (rel, line)
                if ".." in target.split("/"):
                    errors.append('%s: include "%s" climbs with ..' % (where, target))
                    continue
                t_layer, t_kind = layer_of(target)
                if t_layer is None:
                    errors.append('%s: include "%s" is not spelled with its layer folder'
                                  % (where, target))
                elif not os.path.exists(os.path.join(src, target)):
                    errors.append('%s: include "%s" does not exist' % (where, target))
                elif LAYERS.index(t_layer) > LAYERS.index(layer):
                    errors.append('%s: %s includes "%s" of the higher layer %s'
                                  % (where, layer, target, t_layer))
                elif t_kind is not None and kind is not None and t_kind != kind:
                    errors.append('%s: receiver kind %s includes "%s" of the kind %s'
                                  % (where, kind, target, t_kind))
    return errors


def self_test():
    with tempfile.TemporaryDirectory() as tmp:
        def write(rel, text):
            os.makedirs(os.path.dirname(os.path.join(tmp, rel)), exist_ok=True)
            with open(os.path.join(tmp, rel), "w", encoding="utf-8") as f:
                f.write(text)
        write("base/text.h", "#pragma once\n")
        write("cli/cli.h", '#pragma once\n#include "base/text.h"\n')
        write("notify/email/smtp.h", '#include "notify/webhook/hook.h"\n')
        write("notify/webhook/hook.h", '#include "base/text.h"\n')
        assert check(tmp) == [
            'notify/email/smtp.h:1: receiver kind email includes "notify/webhook/hook.h" '
            'of the kind webhook'], check(tmp)
        write("notify/email/smtp.h", '#include "base/text.h"\n')
        assert check(tmp) == [], check(tmp)
        write("base/clock.cc", '#include "base/text.h"\n#include "cli/cli.h"\n')
        write("model/x.cc", '#include "../base/text.h"\n#include "text.h"\n')
        got = sorted(check(tmp))
        want = ['base/clock.cc:2: base includes "cli/cli.h" of the higher layer cli',
                'model/x.cc:1: include "../base/text.h" climbs with ..',
                'model/x.cc:2: include "text.h" is not spelled with its layer folder']
        assert got == want, got
    print("check_layers self-test: a wrong include is caught")


def main():
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        return 0
    here = os.path.dirname(os.path.abspath(__file__))
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "daemon", "src")
    errors = check(src)
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print("check_layers: %d include(s) break the layering" % len(errors), file=sys.stderr)
        return 1
    print("check_layers: every include points at its own layer or a lower one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
