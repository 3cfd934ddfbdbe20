"""Smart intake's writes, each one transaction with its timeline or audit event: the record of
a suggestion and the clerk's choice, a link between two cases, the nightly retrain, and the
early warnings raised and dismissed."""

from django.db import transaction
from django.utils import timezone

from yimen.cases import timeline
from yimen.cases.models import Case
from yimen.core import audit
from yimen.core.errors import Conflict, Invalid
from yimen.core.permissions import require_permission
from yimen.org.models import Membership
from yimen.smart import classifier, selectors
from yimen.smart.models import CaseLink, CategoryModel, EarlyWarning, SuggestionLog


@transaction.atomic
def suggestion_record(*, case_id: int, member_id: int) -> SuggestionLog | None:
    """Record what the desk suggested for a case just registered and the category the clerk
    chose (issue 23 part 1: the choice is the clerk's, and it is measured). Run by the task queue
    after the registration committed: the suggester's work never lengthens the registering
    transaction or the clerk's wait (issue 22: nothing that can wait inside a write). None if the
    case is gone (a registration rolled back never queues it)."""
    case = Case.unscoped.select_related("category").filter(pk=case_id).first()
    actor = Membership.objects.select_related("user", "unit", "jurisdiction").filter(pk=member_id).first()
    if case is None or actor is None:
        return None
    suggestions = selectors.suggest_categories(
        member=actor, title=case.title, description=case.description, kind=case.kind, similar=False
    )
    return SuggestionLog.objects.create(
        case=case,
        suggested=[s.row.code for s in suggestions],
        top_score=suggestions[0].score if suggestions else None,
        chosen=case.category.code if case.category_id else "",
        model_id=CategoryModel.objects.order_by("-id").values_list("id", flat=True).first(),
        user=actor.user,
    )


@transaction.atomic
def case_link(*, case: Case, other: Case, actor: Membership, reason: str) -> CaseLink:
    """关联案件: mark two cases related, shown on both case pages, with one timeline event on
    each (FixMyStreet's duplicate linking, issue 23 part 3). Both cases must be visible to the
    actor (the caller found them with visible_to); a reason is required."""
    require_permission(actor, "case.link")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("请填写关联理由。", errors={"reason": ["请填写关联理由。"]})
    if case.pk == other.pk:
        raise Invalid("不能与自身关联。", errors={"other": ["不能与自身关联。"]})
    first, second = sorted([case, other], key=lambda c: c.pk)
    if CaseLink.objects.filter(first=first, second=second).exists():
        raise Conflict("这两件案件已经关联。", code="already_linked")
    link = CaseLink.objects.create(first=first, second=second, reason=reason[:200], linked_by=actor.user)
    for one, two in ((case, other), (other, case)):
        timeline.record(one, "case_link", actor=actor, note=f"与 {two.code} 关联：{reason}", data={"other": two.code})
    return link


@transaction.atomic
def model_retrain(*, until=None) -> CategoryModel:
    """Retrain the category suggester on every closed case with a confirmed category (nightly
    by the task queue, issue 23 part 1), with each row's share of redispatched cases for the
    unit suggestion's note. Older models are dropped: the newest serves."""
    weights, cases, seconds = classifier.train(classifier.training_cases(until=until))
    weights["redispatch"] = classifier.redispatch_counts()
    model = CategoryModel.objects.create(
        cases=cases, vocabulary=len(weights["tokens"]), seconds=round(seconds, 3), weights=weights
    )
    CategoryModel.objects.exclude(pk=model.pk).delete()
    audit.record(action="smart_retrain", target=f"model {model.pk}", detail={"cases": cases, "seconds": model.seconds})
    return model


@transaction.atomic
def warning_dismiss(*, warning: EarlyWarning, actor: Membership, reason: str) -> EarlyWarning:
    """排除预警: a supervisor dismisses a warning with a reason (required, issue 23 part 4). The
    subject is raised again only when its evidence grows past this count (services_warnings)."""
    require_permission(actor, "warning.dismiss")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("排除预警须填写理由。", errors={"reason": ["请填写排除理由。"]})
    moved = EarlyWarning.objects.filter(pk=warning.pk, state=EarlyWarning.State.OPEN).update(
        state=EarlyWarning.State.DISMISSED, dismissed_at=timezone.now(), dismissed_by=actor.user, dismiss_reason=reason
    )
    if moved != 1:
        raise Conflict("该预警已被处理。", code="stale")
    audit.record(
        action="warning_dismiss",
        actor=actor.user,
        unit_code=actor.unit.code,
        unit_name=actor.unit.name,
        target=f"{warning.rule_id}:{warning.pk}",
        purpose=reason,
    )
    warning.refresh_from_db()
    return warning
