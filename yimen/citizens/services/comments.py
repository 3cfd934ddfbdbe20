"""The citizen's follow-up (issue 19 part 3; FixMyStreet #16/#358: later updates from the
reporter must reach the handling unit): a comment on the case, proven by the fresh SMS code sent
to the applicant's phone, recorded as a timeline note the handling unit reads on the case page."""

from django.db import transaction

from yimen.cases import timeline
from yimen.cases.models import Case
from yimen.cases.services import case_touch
from yimen.citizens.models import PhoneCode
from yimen.citizens.services.codes import code_use
from yimen.core.errors import Conflict, Invalid
from yimen.core.text import clean_text


@transaction.atomic
def citizen_comment(*, case: Case, code: str, text: str) -> Case:
    """群众补充: once the case is open and until it is archived, the applicant adds a comment;
    one timeline event (no staff actor), the case's version moves on."""
    errors: dict[str, list[str]] = {}
    text = clean_text(text, "text", "补充内容", limit=1000, errors=errors)
    if errors:
        raise Invalid("补充内容有误。", errors=errors)
    case = Case.unscoped.select_for_update().get(pk=case.pk)
    if case.state == Case.State.ARCHIVED:
        raise Conflict("该案件已归档，不能再补充；如有新情况请重新反映。", code="archived")
    code_use(phone_index="", code=code, purpose=PhoneCode.Purpose.CASE, case=case)
    case_touch(case)
    timeline.record(case, "citizen_comment", actor=None, note=text)
    return case
