"""Start-up cost a user feels: ``import autoloan`` (target < 150 ms) and ``autoloan --help`` (< 300 ms).

Each is the best of N fresh interpreters, next to a bare ``python -c pass`` baseline in the same run.
Two figures: CPU time of the child process (user + system, from ``getrusage``: what the start-up
costs, stable on a loaded machine) and wall time (what a user waits, inflated when the machine is
shared).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

RUNS = 7
SCRIPT = Path(sys.executable).with_name("autoloan")


def best(argv: list[str]) -> tuple[float, float]:
    """(best CPU seconds, best wall seconds) over RUNS fresh processes."""
    cpu, wall = [], []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(cpu), min(wall)


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; best of {RUNS} fresh processes")
    bare = best([sys.executable, "-c", "pass"])
    cases = [
        ("import autoloan", [sys.executable, "-c", "import autoloan"], 0.150),
        (
            "import autoloan + every area",
            [sys.executable, "-c", "import autoloan.servicing, autoloan.delinquency, autoloan.compliance"],
            None,
        ),
        (
            "autoloan --help",
            [str(SCRIPT), "--help"] if SCRIPT.exists() else [sys.executable, "-m", "autoloan", "--help"],
            0.300,
        ),
    ]
    print(f"{'':32} {'CPU':>9} {'net CPU':>9} {'wall':>9}  target")
    print(f"{'python -c pass (baseline)':32} {bare[0] * 1e3:7.1f}ms {'':9} {bare[1] * 1e3:7.1f}ms")
    for name, argv, target in cases:
        cpu, wall = best(argv)
        verdict = (
            "" if target is None else f"< {target * 1e3:.0f} ms {'ok' if cpu < target else 'MISSED'} (CPU)"
        )
        print(f"{name:32} {cpu * 1e3:7.1f}ms {(cpu - bare[0]) * 1e3:7.1f}ms {wall * 1e3:7.1f}ms  {verdict}")
    code = "import sys, autoloan; print(sorted(m for m in ('numpy','pandas','pyarrow','matplotlib','dask','pyspark') if m in sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.strip()
    print(f"optional packages imported by `import autoloan`: {loaded}")


if __name__ == "__main__":
    main()
