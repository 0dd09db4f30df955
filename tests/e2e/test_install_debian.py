# SPDX-License-Identifier: Apache-2.0
"""The .deb packages in a clean Debian 12 tree (scripts/test-install: mmdebstrap, apt install,
sluice --version, a message through a sample run as the sluice user with python3-websockets,
the studio's offscreen screenshot, remove and purge). Needs root and a Debian mirror, as CI
has; about a minute and a half."""
import glob
import os
import shutil
import subprocess
import tempfile
import unittest

from sluice_process import SOURCE_DIR

BUILD_DIR = os.environ.get("SLUICE_BUILD_DIR", "")


@unittest.skipUnless(BUILD_DIR, "SLUICE_BUILD_DIR is not set (ctest sets it)")
@unittest.skipUnless(os.geteuid() == 0, "mmdebstrap's root mode needs root")
@unittest.skipUnless(shutil.which("mmdebstrap") and shutil.which("dpkg-shlibdeps"),
                     "mmdebstrap and dpkg-dev are installed by scripts/bootstrap test")
class CleanDebianInstallTest(unittest.TestCase):
    def test_install_use_and_uninstall(self):
        with tempfile.TemporaryDirectory() as tmp:
            debs = os.path.join(tmp, "debs")
            out = os.path.join(tmp, "out")
            made = subprocess.run(["cpack", "-G", "DEB", "-B", debs], cwd=BUILD_DIR,
                                  capture_output=True, text=True, timeout=300)
            self.assertEqual(made.returncode, 0, made.stdout + made.stderr)
            result = subprocess.run([os.path.join(SOURCE_DIR, "scripts", "test-install"),
                                     "--debs", debs, "--out", out],
                                    capture_output=True, text=True, timeout=900)
            self.assertEqual(result.returncode, 0, result.stdout[-3000:] + result.stderr[-3000:])
            # mmdebstrap passes the hooks' output on to stderr.
            output = result.stdout + result.stderr
            for step in ("sluice --version", "reply: hello from the installed sluice",
                         "screenshot", "apt-get remove", "dpkg --purge", "passed"):
                self.assertIn(step, output)
            with open(os.path.join(out, "studio.png"), "rb") as f:
                png = f.read()
            self.assertTrue(png.startswith(b"\x89PNG\r\n\x1a\n"))
            self.assertGreater(len(png), 20000)  # a drawn window, not an empty image
            self.assertEqual(len(glob.glob(os.path.join(debs, "*.deb"))), 2)


if __name__ == "__main__":
    unittest.main()
