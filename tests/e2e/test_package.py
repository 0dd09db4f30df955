# SPDX-License-Identifier: Apache-2.0
"""Installation and packages: `cmake --install` to a staging root, the files a Debian system
expects (man page, completion, systemd unit, desktop file, icon, AppStream metainfo, samples),
checked with the tools of those formats (appstreamcli, desktop-file-validate, systemd-analyze,
man, bash), and the two .deb files CPack makes (dpkg-deb). Installing them into a clean Debian
tree is test_install_debian.py."""
import glob
import os
import shutil
import subprocess
import tempfile
import unittest

from sluice_process import SOURCE_DIR

BUILD_DIR = os.environ.get("SLUICE_BUILD_DIR", "")
APP_ID = "io.sluice.Studio"


def run(*command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)


@unittest.skipUnless(BUILD_DIR, "SLUICE_BUILD_DIR is not set (ctest sets it)")
class InstallTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.root = os.path.join(cls.tmp.name, "root")
        result = run("cmake", "--install", BUILD_DIR, "--prefix", "/usr",
                     env=dict(os.environ, DESTDIR=cls.root))
        assert result.returncode == 0, result.stdout + result.stderr
        cls.usr = os.path.join(cls.root, "usr")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, relative):
        return os.path.join(self.usr, relative)

    def test_layout(self):
        for relative in ("bin/sluice", "bin/sluice-studio", "share/man/man1/sluice.1.gz",
                         "share/man/man1/sluice-studio.1.gz",
                         "share/bash-completion/completions/sluice",
                         "lib/systemd/system/sluice@.service",
                         "share/applications/%s.desktop" % APP_ID,
                         "share/metainfo/%s.metainfo.xml" % APP_ID,
                         "share/icons/hicolor/scalable/apps/%s.svg" % APP_ID,
                         "share/doc/sluice/copyright", "share/doc/sluice-studio/copyright",
                         "share/doc/sluice/docs/user-guide/README.md",
                         "share/doc/sluice/examples/nginx/sluice-cluster.conf",
                         "share/sluice/projects/websocket-echo/deployment.toml"):
            with self.subTest(path=relative):
                self.assertTrue(os.path.isfile(self.path(relative)), relative)
        samples = sorted(os.listdir(self.path("share/sluice/projects")))
        self.assertEqual(samples, sorted(d for d in os.listdir(os.path.join(SOURCE_DIR, "projects"))
                                         if os.path.isdir(os.path.join(SOURCE_DIR, "projects", d))))
        # Test keys made in the source tree (projects/*/certs) are never installed.
        self.assertEqual(glob.glob(self.path("share/sluice/projects/*/certs")), [])

    def test_installed_binaries_use_the_system_libraries(self):
        for binary in ("bin/sluice", "bin/sluice-studio"):
            dynamic = run("readelf", "-d", self.path(binary)).stdout
            with self.subTest(binary=binary):
                self.assertIn("libQt6Core.so.6", dynamic)
                self.assertNotIn("RUNPATH", dynamic)
                self.assertNotIn("RPATH", dynamic)
        result = run(self.path("bin/sluice"), "--version")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"^sluice \d+\.\d+\.\d+\n$")

    def test_installed_samples_validate(self):
        for project in sorted(glob.glob(self.path("share/sluice/projects/*"))):
            if os.path.basename(project) == "secure-websocket":
                continue  # its keys come from scripts/make-test-certs, never installed
            with self.subTest(project=os.path.basename(project)):
                result = run(self.path("bin/sluice"), "validate", project)
                self.assertEqual(result.returncode, 0, result.stdout)

    def test_appstream_metainfo_validates(self):
        result = run("appstreamcli", "validate", "--no-net", "--explain",
                     self.path("share/metainfo/%s.metainfo.xml" % APP_ID))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_desktop_file_validates(self):
        desktop = self.path("share/applications/%s.desktop" % APP_ID)
        result = run("desktop-file-validate", desktop)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(result.stdout.strip(), "")
        with open(desktop, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("Exec=sluice-studio", text)
        self.assertIn("Icon=%s\n" % APP_ID, text)

    def test_icon_is_svg(self):
        with open(self.path("share/icons/hicolor/scalable/apps/%s.svg" % APP_ID),
                  encoding="utf-8") as f:
            self.assertIn("<svg", f.read())

    def test_systemd_unit(self):
        unit_dir = os.path.join(self.tmp.name, "units")
        os.makedirs(unit_dir, exist_ok=True)
        with open(self.path("lib/systemd/system/sluice@.service"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn("ExecStart=/usr/bin/sluice run /etc/sluice/%i\n", text)
        self.assertIn("User=sluice\n", text)
        # An instance, with ExecStart pointing at the staged binary so that verify finds it.
        unit = os.path.join(unit_dir, "sluice@echo.service")
        with open(unit, "w", encoding="utf-8") as f:
            f.write(text.replace("/usr/bin/sluice", self.path("bin/sluice")))
        result = run("systemd-analyze", "verify", "--man=no", unit)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr.strip(), "")  # unknown keys are only warned about
        # The hardening keeps systemd's exposure score low ("OK" is below 4.0).
        result = run("systemd-analyze", "security", "--offline=true", "--threshold=20", unit)
        self.assertEqual(result.returncode, 0, result.stdout[-400:] + result.stderr)
        self.assertIn("Overall exposure level for sluice@echo.service: 1.", result.stdout)

    @unittest.skipUnless(shutil.which("man"), "man-db is not installed")
    def test_man_pages_render_without_warnings(self):
        pages = {"sluice": ("sluice validate", "EXIT STATUS", "--json", "sluice@PROJECT.service"),
                 "sluice-studio": ("--screenshot", "/usr/share/sluice/projects")}
        for page, texts in pages.items():
            result = run("man", "--warnings", "-l",
                         self.path("share/man/man1/%s.1.gz" % page),
                         env=dict(os.environ, MANWIDTH="80", MANPAGER="cat", PAGER="cat"))
            with self.subTest(page=page):
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertEqual(result.stderr.strip(), "")
                for text in texts:
                    self.assertIn(text, result.stdout)


@unittest.skipUnless(BUILD_DIR, "SLUICE_BUILD_DIR is not set (ctest sets it)")
@unittest.skipUnless(shutil.which("dpkg-shlibdeps"), "dpkg-dev is not installed")
class DebianPackagesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        result = run("cpack", "-G", "DEB", "-B", cls.tmp.name, cwd=BUILD_DIR)
        assert result.returncode == 0, result.stdout + result.stderr
        cls.runtime = glob.glob(os.path.join(cls.tmp.name, "sluice_*.deb"))[0]
        cls.studio = glob.glob(os.path.join(cls.tmp.name, "sluice-studio_*.deb"))[0]

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def field(self, deb, name):
        return run("dpkg-deb", "--field", deb, name).stdout.strip()

    def contents(self, deb):
        listing = run("dpkg-deb", "--contents", deb).stdout
        return [line.split()[-1].lstrip(".") for line in listing.splitlines()]

    def test_runtime_package(self):
        depends = self.field(self.runtime, "Depends")
        # dpkg-shlibdeps found the libraries the binary links, adduser is ours.
        for package in ("adduser", "libqt6core6", "libqt6websockets6", "libxml2", "libzip4"):
            self.assertIn(package, depends)
        files = self.contents(self.runtime)
        for path in ("/usr/bin/sluice", "/usr/share/man/man1/sluice.1.gz",
                     "/usr/lib/systemd/system/sluice@.service",
                     "/usr/share/bash-completion/completions/sluice",
                     "/usr/share/sluice/projects/websocket-echo/deployment.toml",
                     "/usr/share/doc/sluice/copyright"):
            self.assertIn(path, files)
        self.assertNotIn("/usr/bin/sluice-studio", files)

    def test_studio_package_depends_on_the_runtime(self):
        depends = self.field(self.studio, "Depends")
        version = self.field(self.runtime, "Version")
        self.assertIn("sluice (= %s)" % version, depends)
        self.assertIn("libqt6widgets6", depends)
        files = self.contents(self.studio)
        for path in ("/usr/bin/sluice-studio", "/usr/share/man/man1/sluice-studio.1.gz",
                     "/usr/share/applications/%s.desktop" % APP_ID,
                     "/usr/share/metainfo/%s.metainfo.xml" % APP_ID,
                     "/usr/share/icons/hicolor/scalable/apps/%s.svg" % APP_ID):
            self.assertIn(path, files)
        self.assertNotIn("/usr/bin/sluice", files)

    def test_maintainer_scripts(self):
        with tempfile.TemporaryDirectory() as control:
            result = run("dpkg-deb", "--control", self.runtime, control)
            self.assertEqual(result.returncode, 0, result.stderr)
            for script in ("postinst", "prerm", "postrm"):
                path = os.path.join(control, script)
                with self.subTest(script=script):
                    self.assertTrue(os.access(path, os.X_OK))
                    self.assertEqual(run("sh", "-n", path).returncode, 0)
            with open(os.path.join(control, "postinst"), encoding="utf-8") as f:
                self.assertIn("adduser --system", f.read())
            with open(os.path.join(control, "postrm"), encoding="utf-8") as f:
                self.assertIn("purge", f.read())

    def test_descriptions_have_a_synopsis_and_a_body(self):
        for deb in (self.runtime, self.studio):
            lines = self.field(deb, "Description").splitlines()
            with self.subTest(deb=os.path.basename(deb)):
                self.assertGreater(len(lines), 1)
                self.assertLess(len(lines[0]), 80)
                self.assertNotIn(";", lines[1])


if __name__ == "__main__":
    unittest.main()
