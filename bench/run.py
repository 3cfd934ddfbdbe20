"""`make bench`: run every benchmark and print its figures (targets are in the issues, not asserted)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

failed = []
for script in sorted(HERE.glob("bench_*.py")):
    print(f"== {script.stem}", flush=True)
    if subprocess.run([sys.executable, script], cwd=HERE).returncode != 0:  # noqa: S603
        failed.append(script.stem)
if failed:
    sys.exit(f"benchmarks failed: {', '.join(failed)}")
