"""Public tokens and searched phones stay out of the logs. A citizen's link /public/cases/<token>/
is the key to that case's progress page (and its rating), so every log line — gunicorn's access
and error logs, Django's "Not Found: /public/cases/…" warnings — writes the path with the token
masked. A search box's `q=` holding a phone (the case list, the registry search it by blind index,
so it must not survive in a log either) is written masked the same way."""

import logging
import re
from urllib.parse import unquote_plus

from yimen.core.identity import phone_or_empty

MASK = "***"
_TOKEN_IN_PATH = re.compile(r"(/public/cases/)[^/?#\s\"']+")
_SEARCH_VALUE = re.compile(r"([?&]q=)([^&#\s\"']*)")


def _mask_phone_search(match: re.Match) -> str:
    typed = re.sub(r"[\s-]", "", unquote_plus(match.group(2)))  # as the search boxes read it
    return f"{match.group(1)}{MASK}" if phone_or_empty(typed) else match.group(0)


def mask_tokens(text: str) -> str:
    return _SEARCH_VALUE.sub(_mask_phone_search, _TOKEN_IN_PATH.sub(rf"\g<1>{MASK}", text))


class MaskPublicTokens(logging.Filter):
    """A handler filter: the record's message, formatted, with every public token masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
