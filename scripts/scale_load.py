"""The scale-out demo's load client (scripts/scale_demo.sh; issue 22 part 6): N clients register
cases through the API behind the load balancer for a bounded time, each request with its own
Idempotency-Key and retried with the same key after a refused connection or a 5xx, the way a
careful integration would. It prints throughput and latency, and writes the codes of every
acknowledged (201) case to a file, so the script can check afterwards that none was lost.

Loopback only: the URL must be on 127.0.0.0/8. Bounded: --seconds and --max-requests."""

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
import uuid
from urllib.parse import urlsplit

BODY = {
    "kind": "dispute",
    "title": "扩容演示：相邻通行纠纷",
    "description": "两户因通行道路发生争执，压力测试生成。",
    "channel": "visit",
    "region": "45032410620001",
    "parties": [{"name": "测试甲", "role": "applicant"}],
}


def token(host: str, port: int, username: str, password: str, otp: str = "") -> str:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    credentials = {"username": username, "password": password, **({"otp": otp} if otp else {})}
    conn.request("POST", "/api/v1/auth/token", json.dumps(credentials), {"Content-Type": "application/json"})
    answer = conn.getresponse()
    data = json.loads(answer.read())
    if answer.status != 200:
        sys.exit(f"token: {answer.status} {data}")
    return data["token"]


class Client(threading.Thread):
    def __init__(self, host, port, bearer, until, budget):
        super().__init__(daemon=True)
        self.host, self.port, self.bearer, self.until, self.budget = host, port, bearer, until, budget
        self.latencies: list[float] = []
        self.codes: list[str] = []
        self.errors = 0  # answers that were neither 201 nor retried into one
        self.retries = 0

    def _post(self, conn, key: str) -> tuple[int, dict]:
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {self.bearer}", "Idempotency-Key": key}
        conn.request("POST", "/api/v1/cases", json.dumps(BODY), headers)
        answer = conn.getresponse()
        return answer.status, json.loads(answer.read() or b"{}")

    def run(self):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        while time.monotonic() < self.until and self.budget.acquire(blocking=False):
            key, started = str(uuid.uuid4()), time.monotonic()
            for attempt in range(4):
                try:
                    status, data = self._post(conn, key)
                except (OSError, http.client.HTTPException):
                    status, data = 0, {}
                    conn.close()
                    conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if status == 201 or (status and status < 500):
                    break
                self.retries += 1
                time.sleep(0.2 * (attempt + 1))
            if status == 201:
                self.latencies.append(time.monotonic() - started)
                self.codes.append(data["code"])
            else:
                self.errors += 1


def reads(host: str, port: int, bearer: str, path: str, count: int, label: str) -> None:
    """GET `path` `count` times in a row: the report reads the replica serves."""
    conn, times = http.client.HTTPConnection(host, port, timeout=30), []
    for _ in range(count):
        started = time.monotonic()
        conn.request("GET", path, headers={"Authorization": f"Bearer {bearer}"})
        answer = conn.getresponse()
        answer.read()
        if answer.status != 200:
            sys.exit(f"{path}: {answer.status}")
        times.append(time.monotonic() - started)
    times.sort()
    print(f"{label:<28} {count} × GET {path}: p50 {statistics.median(times) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--user", default="clerk")
    parser.add_argument("--password", default="Yimen@2026")
    parser.add_argument("--otp", default="")
    parser.add_argument("--reads", help="instead of creating, GET this path --max-requests times")
    parser.add_argument("--codes", help="file to write acknowledged case codes to")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    url = urlsplit(args.url)
    if not (url.hostname or "").startswith("127."):
        sys.exit("scale_load: loopback addresses only (127.0.0.0/8)")
    bearer = token(url.hostname, url.port, args.user, args.password, args.otp)
    if args.reads:
        return reads(url.hostname, url.port, bearer, args.reads, args.max_requests, args.label)
    budget = threading.Semaphore(args.max_requests)
    started = time.monotonic()
    clients = [Client(url.hostname, url.port, bearer, started + args.seconds, budget) for _ in range(args.clients)]
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    elapsed = time.monotonic() - started
    latencies = sorted(x for c in clients for x in c.latencies)
    codes = [code for c in clients for code in c.codes]
    errors, retries = sum(c.errors for c in clients), sum(c.retries for c in clients)
    p50 = statistics.median(latencies) * 1000 if latencies else 0
    p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0
    print(
        f"{args.label:<28} {args.clients} clients: {len(codes) / elapsed:6.1f} created/s, "
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, {len(codes)} acknowledged, {errors} failed, {retries} retried"
    )
    if args.codes:
        with open(args.codes, "w") as out:
            out.write("\n".join(codes))


if __name__ == "__main__":
    main()
