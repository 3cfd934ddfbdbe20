"""File-drop adapter: the hotline drops `<number>.json` tickets into `inbox/`; each read ticket
moves to `inbox/done/`; replies are written as `outbox/<number>.reply.json` (a nightly exchange
over a shared folder or sftp)."""

import json
from pathlib import Path

from yimen.citizens.hotline import Reply, Ticket
from yimen.citizens.hotline.codec import BadTicket, reply_to, ticket_from


class FileDropAdapter:
    def __init__(self, root: str | Path):
        self.inbox = Path(root) / "inbox"
        self.outbox = Path(root) / "outbox"
        self._read: dict[str, Path] = {}  # ticket number → the file it came in, now in done/

    def fetch(self) -> list[Ticket]:
        done = self.inbox / "done"
        done.mkdir(parents=True, exist_ok=True)
        tickets = []
        for path in sorted(self.inbox.glob("*.json")):
            try:
                tickets.append(ticket_from(json.loads(path.read_text("utf-8"))))
            except (BadTicket, json.JSONDecodeError, UnicodeDecodeError):
                path.rename(path.with_suffix(".bad"))  # left for the centre to look at
                continue
            path.rename(done / path.name)
            self._read[tickets[-1].number] = done / path.name
        return tickets

    def reject(self, ticket: Ticket, reason: str) -> None:
        """A ticket Yimen refused goes back as inbox/<name>.failed, the reason beside it."""
        path = self._read.pop(ticket.number, None)
        if path is not None and path.exists():
            failed = self.inbox / (path.stem + ".failed")
            path.rename(failed)
            failed.with_suffix(".reason.txt").write_text(reason, "utf-8")

    def send_reply(self, reply: Reply) -> str:
        self.outbox.mkdir(parents=True, exist_ok=True)
        target = self.outbox / f"{reply.number}.reply.json"
        target.write_text(json.dumps(reply_to(reply), ensure_ascii=False), "utf-8")
        return f"file:{target.name}"
