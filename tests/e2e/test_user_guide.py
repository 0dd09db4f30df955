# SPDX-License-Identifier: Apache-2.0
"""The user guide (docs/user-guide): the checked-in reference is exactly what
scripts/generate-reference makes from `sluice describe` (the descriptions the studio's forms are
built from), so a mediator or parameter changed in the engine without regenerating the docs
fails here; and every link and image of the guide points at a file that exists."""
import os
import re
import subprocess
import unittest

from sluice_process import SLUICE, SOURCE_DIR

GUIDE = os.path.join(SOURCE_DIR, "docs", "user-guide")
GENERATOR = os.path.join(SOURCE_DIR, "scripts", "generate-reference")


class ReferenceTest(unittest.TestCase):
    def generated(self):
        result = subprocess.run(["/usr/bin/python3", GENERATOR, SLUICE, "-"],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout

    def test_checked_in_reference_is_the_generated_one(self):
        with open(os.path.join(GUIDE, "reference.md"), encoding="utf-8") as f:
            checked_in = f.read()
        self.assertTrue(checked_in == self.generated(),
                        "docs/user-guide/reference.md is out of date: run "
                        "scripts/generate-reference BUILD/engine/sluice")

    def test_reference_has_every_description_with_its_default(self):
        import json
        described = json.loads(subprocess.run([SLUICE, "describe"], capture_output=True,
                                              text=True, timeout=60).stdout)
        text = self.generated()
        for mediator in described["mediators"]:
            self.assertIn("`<%s>`" % mediator["element"], text)
            for spec in mediator["attributes"]:
                default = "*required*" if spec["required"] else (
                    "`%s`" % spec["default"] if spec["default"] else "—")
                self.assertRegex(text, r"\| `%s` \| [^|]+ \| %s \|" % (
                    re.escape(spec["name"]), re.escape(default)))
        for endpoint in described["inboundEndpoints"]:
            for spec in endpoint["parameters"]:
                self.assertIn("| `%s` |" % spec["name"], text)


class LinksTest(unittest.TestCase):
    def test_every_relative_link_and_image_exists(self):
        link = re.compile(r"\]\(([^)#\s]+)(#[^)]*)?\)")
        for name in sorted(os.listdir(GUIDE)):
            if not name.endswith(".md"):
                continue
            with open(os.path.join(GUIDE, name), encoding="utf-8") as f:
                text = f.read()
            for target, _ in link.findall(text):
                if "://" in target:
                    continue
                with self.subTest(page=name, link=target):
                    self.assertTrue(os.path.exists(os.path.join(GUIDE, target)), target)

    def test_the_guide_has_its_pages(self):
        for page in ("README.md", "five-minute-start.md", "installing.md", "reference.md",
                     "migrating-from-wso2-mi.md", "troubleshooting.md"):
            self.assertTrue(os.path.isfile(os.path.join(GUIDE, page)), page)


if __name__ == "__main__":
    unittest.main()
