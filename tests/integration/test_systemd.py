"""The service under a real systemd: the built .deb installed with apt into a
Debian 12 minbase tree booted with systemd-nspawn (systemd 252 as PID 1),
mailing an aiosmtpd on the host's 127.0.0.1 (the container shares the host's
network). Checks what an administrator meets: start only after READY, the
sandbox applied, reload in place and failing on a broken file, the watchdog,
journal priorities, a store change mailed, remove and purge.

The tree is made once by debootstrap from the mirror in this machine's apt
sources and cached as a tarball in the build directory. Needs root,
debootstrap and systemd-container. What a container on this host cannot
check: resource controls and IP filtering enforcement, which need the
unified cgroup hierarchy that the host's hybrid cgroups do not delegate;
the properties themselves are checked.
"""
import glob
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from harness import KAMAISHI, SOURCE, SmtpSink, main

BUILD = os.environ.get("SHIHYO_BUILD_DIR", os.path.join(SOURCE, "build"))
CACHE = os.path.join(BUILD, "systemd-container", "bookworm-minbase.tar.gz")


def run(args, timeout=300, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kw)


def mirror():
    """The Debian mirror this machine's apt uses (CI reaches no other)."""
    for path in ["/etc/apt/sources.list"] + glob.glob("/etc/apt/sources.list.d/*"):
        try:
            with open(path) as f:
                text = f.read()
        except OSError:
            continue
        m = re.search(r"^URIs:\s*(\S+/debian)\s*$", text, re.M) or \
            re.search(r"^deb\s+(?:\[[^]]*\]\s+)?(\S+/debian)\s+bookworm", text, re.M)
        if m:
            return m.group(1)
    return "http://deb.debian.org/debian"


def container_tarball():
    if os.path.exists(CACHE):
        return CACHE
    os.makedirs(os.path.dirname(CACHE), exist_ok=True)
    tree = tempfile.mkdtemp(prefix="shihyo-debootstrap-", dir=os.path.dirname(CACHE))
    os.chmod(tree, 0o755)  # it becomes the container's /: mkdtemp's 0700 locks out messagebus
    try:
        proc = run(["debootstrap", "--variant=minbase", "--include=systemd,dbus,libnss-systemd",
                    "bookworm", tree, mirror()], timeout=900)
        if proc.returncode != 0:
            raise RuntimeError("debootstrap failed:\n" + proc.stdout[-3000:] + proc.stderr[-3000:])
        # A fresh tree has no machine id: its first boot would run
        # systemd-firstboot, which asks on the console. Settle it now.
        subprocess.run(["systemd-machine-id-setup", "--root=" + tree], check=True,
                       capture_output=True, timeout=60)
        os.symlink("/dev/null", os.path.join(tree, "etc/systemd/system/systemd-firstboot.service"))
        partial = CACHE + ".part"
        subprocess.run(["tar", "-C", tree, "-czf", partial, "."], check=True, timeout=600)
        os.rename(partial, CACHE)
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    return CACHE


def build_deb(out):
    proc = run(["cpack", "-G", "DEB", "--config", os.path.join(BUILD, "CPackConfig.cmake"),
                "-B", out], timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(proc.stdout + proc.stderr)
    return glob.glob(os.path.join(out, "shihyo_*.deb"))[0]


def children(pid):
    kids = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.split("/")[2]))
    return kids


def ensure_inotify_instances(minimum=1024):
    """A booted systemd takes dozens of inotify instances, all counted against
    root's limit (128 by default) together with the host's own: raise it."""
    path = "/proc/sys/fs/inotify/max_user_instances"
    try:
        with open(path) as f:
            current = int(f.read())
        if current < minimum:
            with open(path, "w") as f:
                f.write(str(minimum))
    except (OSError, ValueError):
        pass


class Container:
    """A booted tree; run() executes a command inside it with nsenter. The
    caller must stop() it, also when the constructor raises (boot() does
    the waiting so that the object exists to be stopped)."""

    def __init__(self, root):
        self.root = root
        ensure_inotify_instances()
        # A private mount namespace with its own /run, as machinectl would give.
        self.proc = subprocess.Popen(
            ["unshare", "-m", "--propagation", "private", "sh", "-c",
             'mount -t tmpfs tmpfs /run && exec systemd-nspawn -D "$0" -b --register=no '
             '--keep-unit --system-call-filter=bpf --console=pipe', root],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        self.leader = None

    def boot(self):
        self.leader = self._find_init()
        deadline = time.monotonic() + 180
        state = ""
        while time.monotonic() < deadline:
            state = self.run("systemctl", "is-system-running").stdout.strip()
            if state in ("running", "degraded"):
                return
            time.sleep(0.5)
        jobs = self.run("systemctl", "list-jobs", "--no-pager").stdout
        raise RuntimeError("container did not boot: %s\n%s" % (state, jobs))

    def _find_init(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            queue = [self.proc.pid]
            while queue:
                pid = queue.pop()
                try:
                    with open("/proc/%d/comm" % pid) as f:
                        comm = f.read().strip()
                except OSError:
                    continue
                if comm == "systemd" and pid != self.proc.pid:
                    return pid
                queue += children(pid)
            if self.proc.poll() is not None:
                raise RuntimeError("systemd-nspawn exited with %s" % self.proc.returncode)
            time.sleep(0.1)
        raise RuntimeError("no systemd in the container")

    def run(self, *args, timeout=300, input=None):
        return run(["nsenter", "-t", str(self.leader), "-a"] + list(args), timeout=timeout,
                   input=input)

    def sh(self, script, timeout=300):
        return self.run("sh", "-c", script, timeout=timeout)

    def write(self, path, text):
        proc = self.run("sh", "-c", 'mkdir -p "$(dirname "$0")" && cat > "$0"', path, input=text)
        assert proc.returncode == 0, proc.stderr

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # nspawn halts the container
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


CONFIG = """store: /var/lib/shihyo/indicators.db
state: /var/lib/shihyo/state.db
rules: /etc/shihyo/rules.d
log_level: info
evaluation: {{interval: 1h, poll_interval: 1s}}
smtp: {{url: "smtp://127.0.0.1:{port}", starttls: "off", from: shihyo@example.lg.jp, timeout: 10s}}
receivers:
  - {{name: kodomo, email: {{to: [kodomo@example.lg.jp]}}}}
route: {{receiver: kodomo, group_by: [plan], group_wait: 0s}}
"""

# A watchdog and restart quick enough for a test; the shipped unit's values
# are minutes.
DROP_IN = "[Service]\nWatchdogSec=4s\nRestartSec=1s\n"


@unittest.skipUnless(os.geteuid() == 0 and shutil.which("systemd-nspawn")
                     and shutil.which("debootstrap"), "needs root, systemd-nspawn, debootstrap")
class SystemdServiceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="shihyo-systemd-", dir="/var/tmp")
        cls.addClassCleanup(shutil.rmtree, cls.work, True)
        cls.deb = build_deb(cls.work)
        root = os.path.join(cls.work, "root")
        os.makedirs(root)
        subprocess.run(["tar", "-C", root, "-xzf", container_tarball()], check=True, timeout=600)
        os.chmod(root, 0o755)  # the container's / must be open to its system users (dbus)
        shutil.copy(cls.deb, os.path.join(root, "root", "shihyo.deb"))
        shutil.copy(KAMAISHI, os.path.join(root, "var", "tmp", "kamaishi.txt"))
        cls.ct = Container(root)
        cls.addClassCleanup(cls.ct.stop)
        cls.ct.boot()

    def setUp(self):
        self.ct = type(self).ct

    def journal(self, *args):
        return self.ct.run("journalctl", "--no-pager", "-o", "cat", "-u", "shihyo", *args).stdout

    def prop(self, name):
        return self.ct.run("systemctl", "show", "-P", name, "shihyo").stdout.strip()

    def install(self):
        update = self.ct.run("apt-get", "update", "-q", timeout=600)
        self.assertEqual(update.returncode, 0, update.stdout + update.stderr)
        return self.ct.sh("DEBIAN_FRONTEND=noninteractive apt-get install -y -q "
                          "--no-install-recommends /root/shihyo.deb 2>&1", timeout=900)

    def wait(self, what, predicate, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.25)
        self.fail("timed out waiting for " + what)

    def test_service_lifecycle(self):
        smtp = SmtpSink(self).start()
        # Installed from the package: disabled, not running, no adduser warning.
        inst = self.install()
        self.assertEqual(inst.returncode, 0, inst.stdout[-4000:])
        self.assertNotRegex(inst.stdout, r"(?i)warning.*home", "adduser warns about the home")
        self.assertEqual(self.ct.run("systemctl", "is-enabled", "shihyo").stdout.strip(),
                         "disabled")
        self.assertEqual(self.prop("ActiveState"), "inactive")

        self.ct.write("/etc/shihyo/shihyo.yaml", CONFIG.format(port=smtp.port))
        self.ct.write("/etc/systemd/system/shihyo.service.d/test.conf", DROP_IN)
        self.ct.run("systemctl", "daemon-reload")
        imp = self.ct.run("runuser", "-u", "shihyo", "--", "shihyo", "import", "--db",
                          "/var/lib/shihyo/indicators.db", "/var/tmp/kamaishi.txt")
        self.assertEqual(imp.returncode, 0, imp.stderr)

        # Start: systemctl returns once READY=1 came, after the first evaluation.
        start = self.ct.run("systemctl", "start", "shihyo")
        self.assertEqual(start.returncode, 0, start.stderr + self.journal())
        self.assertEqual((self.prop("ActiveState"), self.prop("SubState")), ("active", "running"))
        log = self.journal()
        self.assertIn("evaluated reason=", log)
        self.assertLess(log.index("evaluated reason="), log.index("Started shihyo"),
                        "READY (Started) only after the first evaluation")
        pid = int(self.prop("MainPID"))
        first = self.wait("the first digest", lambda: smtp.messages(), timeout=30)
        self.assertIn("kodomo@example.lg.jp", first[0][1]["rcpt_tos"])

        self.check_sandbox(pid)
        self.check_reload(pid)
        pid = self.check_watchdog(pid)
        self.check_store_change(smtp)
        self.check_remove_and_purge()

    def check_sandbox(self, pid):
        self.assertEqual(self.prop("NoNewPrivileges"), "yes")
        self.assertEqual(self.prop("ProtectSystem"), "strict")
        self.assertIn("127.0.0.0/8", self.prop("IPAddressAllow"))
        self.assertIn("0.0.0.0/0", self.prop("IPAddressDeny"))
        status = self.ct.run("cat", "/proc/%d/status" % pid).stdout
        self.assertRegex(status, r"NoNewPrivs:\s+1")
        self.assertRegex(status, r"Seccomp:\s+2", "a seccomp filter is loaded")
        user = self.ct.run("stat", "-c", "%U", "/proc/%d" % pid).stdout.strip()
        self.assertEqual(user, "shihyo")
        # In the service's mount namespace, /usr and /etc/shihyo are read-only.
        for path in ("/usr/lib/shihyo-probe", "/etc/shihyo/probe", "/run/lock/probe"):
            probe = self.ct.run("nsenter", "-t", str(pid), "-m", "sh", "-c",
                                "touch %s" % path)
            self.assertNotEqual(probe.returncode, 0, path + " is writable to the service")

    def check_reload(self, pid):
        ok = self.ct.run("systemctl", "reload", "shihyo")
        self.assertEqual(ok.returncode, 0, ok.stderr + self.journal())
        self.wait("the reload", lambda: "rules reloaded" in self.journal() or
                  "SIGHUP" in self.journal())
        self.assertEqual(int(self.prop("MainPID")), pid, "reloaded in place")
        broken = "rules:\n  - id: broken\n    chek: rising\n"
        self.ct.write("/etc/shihyo/rules.d/50-broken.yaml", broken)
        bad = self.ct.run("systemctl", "reload", "shihyo")
        self.assertNotEqual(bad.returncode, 0, "reload with a broken file must fail")
        self.assertEqual(self.prop("ActiveState"), "active")
        self.assertEqual(int(self.prop("MainPID")), pid)
        errors = self.journal("-p", "err")
        self.assertIn("50-broken.yaml:3:5: rule 'broken': unknown key 'chek'", errors)
        self.ct.run("rm", "/etc/shihyo/rules.d/50-broken.yaml")
        self.assertEqual(self.ct.run("systemctl", "reload", "shihyo").returncode, 0)

    def check_watchdog(self, pid):
        stop = self.ct.sh("kill -STOP %d" % pid)  # the shell's kill: no procps in minbase
        self.assertEqual(stop.returncode, 0, stop.stderr)
        new = self.wait("a restart by the watchdog",
                        lambda: (self.prop("ActiveState") == "active" and
                                 self.prop("MainPID") not in ("0", str(pid)) and
                                 int(self.prop("MainPID"))), timeout=40)
        self.assertIn("Watchdog timeout", self.ct.run(
            "journalctl", "--no-pager", "-o", "cat").stdout)
        return new

    def check_store_change(self, smtp):
        before = len(smtp.messages())
        table = self.ct.run("cat", "/var/tmp/kamaishi.txt").stdout
        self.assertIn("\t140件", table)  # 相談件数, FY2023: a new spike and rise
        self.ct.write("/var/tmp/kamaishi.txt", table.replace("\t140件", "\t999件", 1))
        imp = self.ct.run("runuser", "-u", "shihyo", "--", "shihyo", "import", "--db",
                          "/var/lib/shihyo/indicators.db", "/var/tmp/kamaishi.txt")
        self.assertEqual(imp.returncode, 0, imp.stderr)
        self.wait("an email about the change", lambda: len(smtp.messages()) > before, timeout=30)

    def check_remove_and_purge(self):
        self.assertEqual(self.ct.run("systemctl", "enable", "shihyo").returncode, 0)
        link = "/etc/systemd/system/multi-user.target.wants/shihyo.service"
        self.assertEqual(self.ct.run("test", "-L", link).returncode, 0)
        rm = self.ct.sh("DEBIAN_FRONTEND=noninteractive apt-get remove -y -q shihyo 2>&1")
        self.assertEqual(rm.returncode, 0, rm.stdout)
        self.assertEqual(self.prop("ActiveState"), "inactive", "remove stops the service")
        procs = self.ct.sh("cat /proc/[0-9]*/comm 2>/dev/null").stdout.split()
        self.assertNotIn("shihyo", procs)
        purge = self.ct.sh("DEBIAN_FRONTEND=noninteractive apt-get purge -y -q shihyo 2>&1")
        self.assertEqual(purge.returncode, 0, purge.stdout)
        for path in (link, "/var/lib/shihyo", "/etc/shihyo/shihyo.yaml",
                     "/etc/systemd/system/shihyo.service"):
            self.assertNotEqual(self.ct.run("test", "-e", path).returncode, 0, path)
            self.assertNotEqual(self.ct.run("test", "-L", path).returncode, 0, path)
        # Reinstalled after purge: disabled and stopped again.
        again = self.install()
        self.assertEqual(again.returncode, 0, again.stdout[-4000:])
        self.assertEqual(self.ct.run("systemctl", "is-enabled", "shihyo").stdout.strip(),
                         "disabled")
        self.assertEqual(self.prop("ActiveState"), "inactive")


if __name__ == "__main__":
    main()
