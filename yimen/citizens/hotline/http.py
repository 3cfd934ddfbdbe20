"""HTTP adapter: GET `<base>/tickets` and POST `<base>/tickets/<number>/reply`, each request
signed with HMAC-SHA256 over "METHOD\\nPATH\\nTIMESTAMP\\nBODY" in `X-Signature` (hex), with
`X-Key` and `X-Timestamp` (Unix seconds); answers are JSON."""

import hashlib
import hmac
import json
import time
from urllib.parse import quote, urlsplit

import requests

from yimen.citizens.hotline import Reply, Ticket
from yimen.citizens.hotline.codec import BadTicket, reply_to, ticket_from


def signature(secret: str, method: str, path: str, timestamp: str, body: bytes) -> str:
    message = f"{method}\n{path}\n{timestamp}\n".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class HttpAdapter:
    def __init__(self, base_url: str, key: str, secret: str, timeout: float = 10):
        self.base, self.key, self.secret, self.timeout = base_url.rstrip("/"), key, secret, timeout

    def _call(self, method: str, path: str, payload: dict | None = None) -> object:
        body = json.dumps(payload, ensure_ascii=False).encode() if payload is not None else b""
        url = self.base + path
        stamp = str(int(time.time()))
        headers = {
            "X-Key": self.key,
            "X-Timestamp": stamp,
            "X-Signature": signature(self.secret, method, urlsplit(url).path, stamp, body),
            "Content-Type": "application/json; charset=utf-8",
        }
        answer = requests.request(method, url, data=body or None, headers=headers, timeout=self.timeout)
        answer.raise_for_status()
        return answer.json()

    def fetch(self) -> list[Ticket]:
        tickets = []
        for item in self._call("GET", "/tickets") or []:
            try:
                tickets.append(ticket_from(item))
            except BadTicket:
                continue  # the platform keeps it; the next exchange sees it again
        return tickets

    def send_reply(self, reply: Reply) -> str:
        answer = self._call("POST", f"/tickets/{quote(reply.number, safe='')}/reply", reply_to(reply))
        return str((answer or {}).get("receipt", ""))[:200]
