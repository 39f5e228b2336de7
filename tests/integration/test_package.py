"""Install and packaging: `cmake --install` (staged with DESTDIR, never into
this machine's /usr or /etc), `cpack -G DEB`, lintian, dpkg-deb, apt's
dependency resolution, and the exposure score of the hardened unit."""
import glob
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import SOURCE, main

BUILD = os.environ.get("SHIHYO_BUILD_DIR", os.path.join(SOURCE, "build"))


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=600, **kw)


class PackageTest(unittest.TestCase):
    def tmpdir(self):
        d = tempfile.mkdtemp(prefix="shihyo-pkg-")
        self.addCleanup(shutil.rmtree, d, True)
        return d

    def test_cmake_install_puts_files_in_their_places(self):
        stage = self.tmpdir()
        proc = run(["cmake", "--install", BUILD, "--prefix", "/usr"],
                   env=dict(os.environ, DESTDIR=stage))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        for path in ["usr/bin/shihyo", "lib/systemd/system/shihyo.service",
                     "etc/shihyo/shihyo.yaml", "etc/shihyo/rules.d/40-abuse.yaml",
                     "usr/share/doc/shihyo/README.md", "usr/share/man/man1/shihyo.1.gz"]:
            self.assertTrue(os.path.exists(os.path.join(stage, path)), path)
        # The staged example config and rules are valid as shipped.
        check = run([os.path.join(stage, "usr/bin/shihyo"), "check", "--rules",
                     os.path.join(stage, "etc/shihyo/rules.d")])
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)

    def test_deb_package(self):
        out = self.tmpdir()
        proc = run(["cpack", "-G", "DEB", "--config", os.path.join(BUILD, "CPackConfig.cmake"),
                    "-B", out])
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        debs = glob.glob(os.path.join(out, "shihyo_*.deb"))
        self.assertEqual(len(debs), 1)
        deb = debs[0]

        contents = run(["dpkg-deb", "-c", deb]).stdout
        for path in ["./usr/bin/shihyo", "./lib/systemd/system/shihyo.service",
                     "./etc/shihyo/shihyo.yaml", "./etc/shihyo/rules.d/10-data-quality.yaml",
                     "./etc/shihyo/rules.d/40-abuse.yaml",
                     "./etc/shihyo/layouts.d/kamaishi.yaml", "./etc/shihyo/layouts.d/gose.yaml"]:
            self.assertIn(path, contents)
        control = run(["dpkg-deb", "-f", deb, "Depends"]).stdout
        self.assertIn("libcurl4", control)  # found by dpkg-shlibdeps
        self.assertIn("libsqlite3-0", control)
        ctrl = self.tmpdir()
        self.assertEqual(run(["dpkg-deb", "-e", deb, ctrl]).returncode, 0)
        with open(os.path.join(ctrl, "conffiles")) as f:
            conffiles = f.read().split()
        self.assertIn("/etc/shihyo/shihyo.yaml", conffiles)
        self.assertIn("/etc/shihyo/layouts.d/oyabe.yaml", conffiles)
        self.assertTrue(os.access(os.path.join(ctrl, "postinst"), os.X_OK))

        lintian = run(["lintian", "--fail-on", "error", deb])
        self.assertEqual(lintian.returncode, 0, lintian.stdout + lintian.stderr)
        self.assertNotRegex(lintian.stdout, r"(?m)^E: ")

        sim = run(["apt-get", "install", "--simulate", "--no-install-recommends", deb])
        self.assertEqual(sim.returncode, 0, sim.stdout + sim.stderr)
        self.assertRegex(sim.stdout, r"(?m)^Inst shihyo ")

    def test_unit_exposure_is_at_most_1_5(self):
        unit = os.path.join(SOURCE, "systemd", "shihyo.service")
        proc = run(["systemd-analyze", "security", "--offline=yes", unit])
        match = re.search(r"Overall exposure level for shihyo\.service: ([0-9.]+)", proc.stdout)
        self.assertTrue(match, proc.stdout + proc.stderr)
        score = float(match.group(1))
        print("\n  systemd-analyze security: %.1f" % score)
        self.assertLessEqual(score, 1.5)


if __name__ == "__main__":
    main()
