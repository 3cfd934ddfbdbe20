from yimen.citizens.services.codes import code_send, code_use, rating_code_send
from yimen.citizens.services.comments import citizen_comment
from yimen.citizens.services.keys import open311_key_issue, open311_key_revoke
from yimen.citizens.services.reports import citizen_report_submit

__all__ = [
    "citizen_comment",
    "citizen_report_submit",
    "code_send",
    "code_use",
    "open311_key_issue",
    "open311_key_revoke",
    "rating_code_send",
]
