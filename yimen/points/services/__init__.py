from yimen.points.services._base import village_of
from yimen.points.services.appeals import appeal_decide, appeal_file
from yimen.points.services.best import best_family_record
from yimen.points.services.ledger import (
    award_approve,
    award_propose,
    award_reject,
    consent_give,
    consent_withdraw,
    entry_reverse,
)
from yimen.points.services.meetings import meeting_record
from yimen.points.services.rules import ruleset_adopt, ruleset_publish
from yimen.points.services.shop import item_stock_in, redeem
from yimen.points.services.wishes import wish_close, wish_record, wish_to_case

__all__ = [
    "appeal_decide",
    "appeal_file",
    "award_approve",
    "award_propose",
    "award_reject",
    "best_family_record",
    "consent_give",
    "consent_withdraw",
    "entry_reverse",
    "item_stock_in",
    "meeting_record",
    "redeem",
    "ruleset_adopt",
    "ruleset_publish",
    "village_of",
    "wish_close",
    "wish_record",
    "wish_to_case",
]
