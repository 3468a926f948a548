"""Start-up cost a user feels: ``import autoloan`` (< 150 ms) and ``autoloan --help`` (< 300 ms).

Each is timed as the best of N fresh interpreters (wall clock, subprocess), next to a bare ``python -c
pass`` baseline in the same run, so the figure is comparable across loaded machines.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

RUNS = 7
SCRIPT = Path(sys.executable).with_name("autoloan")


def best(argv: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    bare = best([sys.executable, "-c", "pass"])
    imp = best([sys.executable, "-c", "import autoloan"])
    heavy = best(
        [
            sys.executable,
            "-c",
            "import autoloan, autoloan.servicing, autoloan.delinquency, autoloan.compliance",
        ]
    )
    cli = (
        best([str(SCRIPT), "--help"])
        if SCRIPT.exists()
        else best([sys.executable, "-m", "autoloan", "--help"])
    )
    print(f"python -c pass (baseline)            {bare * 1e3:7.1f} ms")
    print(
        f"import autoloan                      {imp * 1e3:7.1f} ms  (net {(imp - bare) * 1e3:6.1f} ms; target < 150 ms)"
    )
    print(f"import autoloan + every area         {heavy * 1e3:7.1f} ms  (net {(heavy - bare) * 1e3:6.1f} ms)")
    print(
        f"autoloan --help                      {cli * 1e3:7.1f} ms  (net {(cli - bare) * 1e3:6.1f} ms; target < 300 ms)"
    )
    code = "import sys, autoloan; print(sorted(m for m in ('numpy','pandas','pyarrow','matplotlib','dask','pyspark') if m in sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.strip()
    print(f"optional packages imported by `import autoloan`: {loaded}")


if __name__ == "__main__":
    main()
