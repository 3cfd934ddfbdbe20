"""Public tokens stay out of the logs. A citizen's link /public/cases/<token>/ is the key to that
case's progress page (and its rating), so every log line — gunicorn's access and error logs,
Django's "Not Found: /public/cases/…" warnings — writes the path with the token masked."""

import logging
import re

MASK = "***"
_TOKEN_IN_PATH = re.compile(r"(/public/cases/)[^/?#\s\"']+")


def mask_tokens(text: str) -> str:
    return _TOKEN_IN_PATH.sub(rf"\g<1>{MASK}", text)


class MaskPublicTokens(logging.Filter):
    """A handler filter: the record's message, formatted, with every public token masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
