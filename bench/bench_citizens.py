"""Citizens' doors (issue 19), in two parts, each in its own process:

1. `POST /public/reports` (随手拍) with a compressed photo stored, through the API with a fresh
   SMS code each, on SQLite (target ≥ 50 requests/s);
2. the citizen's progress page (/public/cases/{token}/) with 1,000,000 cases in the table, on
   PostgreSQL (target p95 ≤ 20 ms; the synthetic cases of bench/synthetic.py).

    .venv/bin/python bench/bench_citizens.py [--part reports|progress] [--cases 1000000] [--reports 300]
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

# One address sends every request: the rate limiter's own tests cover it, the bench sets it aside.
os.environ["YIMEN_RATE_PUBLIC"] = "1000000/60"
os.environ["YIMEN_RATE_SMS_IP"] = "1000000/60"


def reports(n: int) -> None:
    import base64
    import time
    from io import BytesIO

    from common import demo_town, setup_django

    setup_django()
    from django.test import Client
    from PIL import Image

    from yimen.citizens.tests.conftest import last_code

    demo_town()
    buffer = BytesIO()
    Image.effect_noise((1000, 750), 30).convert("RGB").save(buffer, "JPEG", quality=70)  # a phone's ~300 KB
    photo = base64.b64encode(buffer.getvalue()).decode()
    client = Client()
    phones = [f"1380773{i:04d}" for i in range(n)]
    codes = {}
    for phone in phones:
        client.post("/api/v1/public/verify", {"phone": phone}, content_type="application/json")
        codes[phone] = last_code(phone)
    started = time.perf_counter()
    for i, phone in enumerate(phones):
        body = {
            "phone": phone,
            "code": codes[phone],
            "text": f"村口路灯不亮第{i}天",
            "region": "450324106200",
            "photo": photo,
        }
        answer = client.post("/api/v1/public/reports", body, content_type="application/json")
        assert answer.status_code == 201, answer.content
    rate = n / (time.perf_counter() - started)
    print(
        f"POST /public/reports with a {len(buffer.getvalue()) // 1024} KB photo: "
        f"{rate:.0f} req/s over {n} (target ≥ 50)"
    )


def progress(count: int) -> None:
    from pg import timed, use_database

    use_database("yimen_bench_citizens")
    from common import demo_town, setup_django

    setup_django()
    from django.test import Client
    from synthetic import synthetic_cases

    from yimen.cases.models import Case

    demo_town()
    synthetic_cases(count)
    tokens = list(Case.objects.order_by("?").values_list("public_token", flat=True)[:200])
    client = Client()

    def page(token):
        assert client.get(f"/public/cases/{token}/").status_code == 200

    print(f"cases in the table: {Case.objects.count():,}")
    timed("public progress page", 20, tokens, page)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=["reports", "progress"])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--reports", type=int, default=300)
    args = parser.parse_args()
    if args.part == "reports":
        reports(args.reports)
    elif args.part == "progress":
        progress(args.cases)
    else:  # both, each with its own database
        here = Path(__file__).resolve()
        for part in ("reports", "progress"):
            extra = ["--cases", str(args.cases), "--reports", str(args.reports)]
            subprocess.run([sys.executable, here, "--part", part, *extra], check=True)  # noqa: S603


if __name__ == "__main__":
    main()
