"""Run every benchmark in this folder (``make bench``). Figures are printed, never asserted."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    only = sys.argv[1:]
    for path in sorted(HERE.glob("bench_*.py")):
        if only and not any(name in path.stem for name in only):
            continue
        print(f"\n### {path.stem}", flush=True)
        sys.argv = [str(path)]  # the filter words are run.py's, not the benchmark's own options
        runpy.run_path(str(path), run_name="__main__")
