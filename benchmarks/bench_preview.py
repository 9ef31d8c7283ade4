"""The preview's time from saving a file to the reloaded page showing the edit, in headless
Chromium, for catalogues of N units: the median of several edits, each to a unit's synopsis on
its guide page; also the first check of the source when the preview starts.

Run: .venv/bin/python benchmarks/bench_preview.py --units 5,100 --edits 7
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from clone import clone_catalogue
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
COURSEPACK = Path(sys.executable).parent / "coursepack"


def start(work: Path) -> tuple[subprocess.Popen[str], str, float]:
    """The preview of work/source, its address, and the seconds until it served."""
    began = time.monotonic()
    proc = subprocess.Popen([str(COURSEPACK), "preview", "source", "--port", "0"], cwd=work,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if found := re.match(r"serving (http://\S+) ", line):
            return proc, found.group(1), time.monotonic() - began
    raise SystemExit(f"the preview did not start in {work}")


def measure(units: int, edits: int) -> tuple[float, float, float]:
    """Start-up seconds, and the median and worst save-to-reload seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = clone_catalogue(work, units)
        unit = sorted((source / "units").iterdir())[-1]
        proc, url, started = start(work)
        times = []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                page = browser.new_page()
                page.goto(f"{url}units/{unit.name}/")
                path = unit / "unit.yaml"
                text = path.read_text("utf-8")
                for n in range(edits):
                    mark = f"Edited {n} "
                    began = time.monotonic()
                    edited = re.sub(r"^synopsis: (>-?\n\s*)?", lambda m, mark=mark: m.group(0)
                                    + mark, text, count=1, flags=re.M)
                    path.write_text(edited, "utf-8")
                    expect(page.locator("article")).to_contain_text(mark, timeout=60_000)
                    times.append(time.monotonic() - began)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return started, statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", default="5,100")
    parser.add_argument("--edits", type=int, default=7)
    args = parser.parse_args()
    print("| units | preview start (s) | save to reload, median (s) | worst (s) |")
    print("| --- | --- | --- | --- |")
    for units in map(int, args.units.split(",")):
        started, median, worst = measure(units, args.edits)
        print(f"| {units} | {started:.2f} | {median:.2f} | {worst:.2f} |", flush=True)


if __name__ == "__main__":
    main()
