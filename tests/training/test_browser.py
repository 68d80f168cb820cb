"""The trainer's HTML report in a real browser (headless Chromium from the distribution's
packages): it renders, says what it should, and nothing overflows on a projector or a phone.

A copy of the page gets a small script that measures every element after layout and writes the
result in an attribute of <body>; `--dump-dom` prints the DOM once the page has loaded. The
report itself has no script. Skipped, with the reason, only when Chromium is not installed
(`.ci/run` installs it).
"""

from __future__ import annotations

import html as htmllib
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from playbook.cli.app import app
from playbook.core.model import RuleBase
from tests.training.conftest import perfect, sloppy

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium): "
                       "the HTML report cannot be checked in a browser here"),
]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars", "--mute-audio"]
MEASURE = """<script>
addEventListener('load', () => {
  const width = document.documentElement.clientWidth, bad = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && el.className.baseVal === undefined ? '.' + el.className : '');
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    if (r.right > width + 1 || r.left < -1) bad.push(name(el) + ' spills out: right ' + Math.round(r.right));
    const box = el.closest('svg') ? null : el;
    if (box && box.clientWidth && box.scrollWidth > box.clientWidth + 1)
      bad.push(name(el) + ' overflows its box: ' + box.scrollWidth + ' > ' + box.clientWidth);
  }
  document.body.setAttribute('data-width', width);
  document.body.setAttribute('data-page-overflow', document.documentElement.scrollWidth - width);
  document.body.setAttribute('data-overflow', JSON.stringify(bad));
});
</script>"""


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory, rb: RuleBase) -> Path:
    """The report on a group of four (long and hostile names included) on United Breaks Guitars."""
    tmp = tmp_path_factory.mktemp("browser")
    runner = CliRunner()
    docs: list[dict[str, Any]] = [perfect(rb, "united_breaks_guitars"),
                                  sloppy(rb, "united_breaks_guitars", "Bob"),
                                  sloppy(rb, "united_breaks_guitars", "Chloé <b>not bold</b>", "fr"),
                                  sloppy(rb, "united_breaks_guitars", "Maximilian-Alexander Wolfeschlegelsteinhausen"
                                         "bergerdorff the Third")]
    results = []
    for n, doc in enumerate(docs):
        answers, out = tmp / f"a{n}.json", tmp / f"r{n}.json"
        answers.write_text(json.dumps(doc), encoding="utf-8")
        result = runner.invoke(app, ["train", "united_breaks_guitars", "--answers", str(answers),
                                     "--results", str(out)])
        assert result.exit_code == 0, result.output
        results.append(str(out))
    report = tmp / "report.html"
    result = runner.invoke(app, ["train", "report", *results, "-o", str(report)])
    assert result.exit_code == 0, result.output
    return report


def browse(page: Path, width: int, tmp: Path) -> str:
    measured = tmp / f"measured-{width}.html"
    measured.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    cmd = [str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp / f'profile-{width}'}", f"--window-size={width},900",
           "--virtual-time-budget=5000", "--run-all-compositor-stages-before-draw", "--dump-dom",
           measured.as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def attribute(dom: str, name: str) -> str:
    found = re.search(rf'<body[^>]*\s{name}="([^"]*)"', dom)
    assert found, f"the measuring script did not run: no {name} on <body>"
    return htmllib.unescape(found.group(1))


@pytest.mark.parametrize("width", [1024, 1920, 500])  # a projector, a wall screen, a phone (headless minimum)
def test_nothing_overflows(page: Path, width: int, tmp_path: Path) -> None:
    dom = browse(page, width, tmp_path)
    assert int(attribute(dom, "data-width")) <= width
    assert int(attribute(dom, "data-page-overflow")) <= 0, "the page scrolls sideways"
    assert json.loads(attribute(dom, "data-overflow")) == []


def test_the_page_says_what_it_should(page: Path, tmp_path: Path) -> None:
    dom = browse(page, 1024, tmp_path)
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", dom))
    for expected in ("Training report — United Breaks Guitars", "Average score per inject", "Trainees",
                     "The playbook decides", "Where the group went wrong", "Principles most missed", "Debrief",
                     "Chloé <b>not bold</b>"):
        assert expected in text, expected
    assert "<b>not bold</b>" not in dom, "user text is never markup"


def test_it_renders_to_pixels(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    cmd = [str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1024,2000",
           f"--screenshot={shot}", page.as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_the_measure_is_not_vacuous(page: Path, tmp_path: Path) -> None:
    """A page with a table too wide for the screen is caught: the check can fail."""
    wide = tmp_path / "wide.html"
    wide.write_text(page.read_text(encoding="utf-8").replace(
        "<main>", '<main><table style="width:3000px;table-layout:fixed"><tr><td>x</td></tr></table>'),
        encoding="utf-8")
    dom = browse(wide, 1024, tmp_path)
    assert json.loads(attribute(dom, "data-overflow")), "an element 3000 px wide must be reported"
