"""`sim report --html`: one self-contained page, rendered in a real browser (headless Chromium).

The browser comes from the system's packages: when /usr/bin/chromium is missing and the
tests run as root (CI, a fresh machine), the fixture installs Debian's `chromium` with
apt-get; the test is skipped, saying why, only when that cannot be done.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import invoke_cli, query

CHROMIUM = "/usr/bin/chromium"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=20000", "--dump-dom")
# Collects script errors from the first moment, and on load writes what every image did.
PROBE_HEAD = """<script>window.__errors = [];
window.addEventListener('error', function (e) { window.__errors.push(String(e.message)); });
</script>"""
PROBE_BODY = """<script>window.addEventListener('load', function () {
  var images = Array.prototype.map.call(document.images, function (img) {
    return {alt: img.alt, complete: img.complete, width: img.naturalWidth};
  });
  var out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = JSON.stringify({images: images, errors: window.__errors});
  document.body.appendChild(out);
});</script>"""


def _install() -> str | None:
    """Why Chromium is not there (None: it is)."""
    if os.path.exists(CHROMIUM):
        return None
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return "needs /usr/bin/chromium: install Debian's chromium (apt-get install chromium)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "install", "-y", "-q", "chromium"],
                    ["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "chromium"]):
        subprocess.run(command, env=env, capture_output=True, timeout=900, check=False)
        if os.path.exists(CHROMIUM):
            return None
    return "apt-get could not install chromium (no network or no package)"


@pytest.fixture(scope="session")
def chromium() -> str:
    reason = _install()
    if reason is not None:
        pytest.skip(reason)
    return CHROMIUM


def render(browser: str, page: Path, profile: Path) -> dict:
    probe = page.with_name("probe.html")
    text = page.read_text()
    probe.write_text(text.replace("<head>", "<head>" + PROBE_HEAD, 1)
                     .replace("</body>", PROBE_BODY + "</body>", 1))
    result = subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", probe.as_uri()],
                            capture_output=True, text=True, timeout=120, check=False)
    found = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout, flags=re.S)
    assert found, f"no probe output; chromium said: {result.stderr[-2000:]}"
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def test_the_html_report_renders_every_image_without_errors(chromium, small_run, tmp_path):
    pytest.importorskip("matplotlib", reason="the plots extra: pip install 'sim[plots]'")
    page = tmp_path / "report.html"
    result = invoke_cli("report", small_run, "--html", page)
    assert result.exit_code == 0, result.output
    text = page.read_text()
    assert "http://" not in text and "https://" not in text  # self-contained
    assert "<script" not in text
    seen = render(chromium, page, tmp_path / "profile")
    assert seen["errors"] == []
    alts = [image["alt"] for image in seen["images"]]
    for wanted in ("cumulative winnings per bot in big blinds",
                   "bb/100 per bot with 95% confidence intervals",
                   "13 by 13 grid of win rates by starting hand", "pot-size distribution",
                   "coverage points"):
        assert wanted in alts
    for image in seen["images"]:
        assert image["complete"] and image["width"] > 100, image


def test_the_report_lists_failures_by_signature(tmp_path):
    pytest.importorskip("matplotlib", reason="the plots extra: pip install 'sim[plots]'")
    out = tmp_path / "run"
    result = invoke_cli("run", "--hands", 50, "--hands-per-table", 25, "--seed", 5,
                        "--workers", 1, "--plant-bug", "neighbour_sees_hole", "--out", out)
    assert result.exit_code == 1
    page = tmp_path / "report.html"
    assert invoke_cli("report", out, "--html", page).exit_code == 0
    text = page.read_text()
    assert 'alt="failures by signature"' in text
    assert "no_private_leak" in text


def test_without_matplotlib_the_error_names_the_extra(small_run, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now fails
    result = invoke_cli("report", small_run, "--html", tmp_path / "r.html")
    assert result.exit_code == 1
    assert "needs the plots extra: pip install 'sim[plots]'" in result.output


def test_positions_are_in_table_order_small_cells_greyed_and_every_cell_listed(small_run,
                                                                              tmp_path):
    pytest.importorskip("matplotlib", reason="the plots extra: pip install 'sim[plots]'")
    import base64
    import io

    from matplotlib import image

    from sim.reports.summary import POSITIONS

    page = tmp_path / "report.html"
    assert invoke_cli("report", small_run, "--html", page).exit_code == 0
    text = page.read_text()
    png = re.search(r'alt="bb/100 per bot and position[^"]*" src="data:image/png;base64,'
                    r'([^"]+)"', text)
    assert png
    height = image.imread(io.BytesIO(base64.b64decode(png.group(1)))).shape[0]
    assert height < 1400  # one panel per bot, not a row per cell (2,487 px before)
    cells = query(small_run, "SELECT count(DISTINCT (bot, position)) FROM results")[0][0]
    assert f"Every bot and position ({cells})" in text
    rows = re.findall(r'<tr( class="small")?><td>([^<]*)</td><td>([^<]*)</td><td>([\d,]+)</td>',
                      text.split("Every bot and position")[1].split("</table>")[0])
    assert len(rows) == cells
    for small, _, _, hands in rows:
        if int(hands.replace(",", "")) < 200:
            assert small  # too few hands to mean anything (one table: also greyed)
    by_bot: dict[str, list[str]] = {}
    for _, bot, position, _ in rows:
        by_bot.setdefault(bot, []).append(position)
    for positions in by_bot.values():
        assert positions == sorted(positions, key=POSITIONS.index)
    classes = query(small_run, "SELECT count(DISTINCT hand_class) FROM results")[0][0]
    assert f"Every starting-hand class dealt ({classes})" in text


def test_the_html_report_of_several_runs(small_run, tmp_path):
    pytest.importorskip("matplotlib", reason="the plots extra: pip install 'sim[plots]'")
    other = tmp_path / "other"
    assert invoke_cli("run", "--hands", 100, "--hands-per-table", 50, "--seed", 8, "--workers",
                      1, "--out", other).exit_code == 0
    page = tmp_path / "both.html"
    assert invoke_cli("report", small_run, other, "--html", page).exit_code == 0
    text = page.read_text()
    assert f"Runs {small_run.name}, other" in text or f"Runs other, {small_run.name}" in text
