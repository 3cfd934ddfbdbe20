"""应急资源: register the teams, vehicles and supplies with where they stand; allocate one to an
incident and release it when it is no longer needed (突发事件应对法 art. 32: the government keeps
and dispatches emergency supplies)."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from yimen.core import audit
from yimen.core.errors import Conflict, Invalid
from yimen.core.permissions import require_permission
from yimen.emergency.models import Incident, Resource, ResourceAllocation
from yimen.emergency.services.incidents import audit_incident, ensure_active
from yimen.org.models import Membership


@transaction.atomic
def resource_register(*, actor: Membership, kind: str, name: str, quantity: int, place: str) -> Resource:
    """Register a resource the actor's unit holds (the command roles keep the register)."""
    require_permission(actor, "incident.declare")
    errors: dict[str, list[str]] = {}
    if kind not in Resource.Kind.values:
        errors["kind"] = [f"可选：{'、'.join(Resource.Kind.labels)}。"]
    for field, value in (("name", name), ("place", place)):
        if not (value or "").strip():
            errors[field] = ["此项为必填项。"]
    if not 1 <= quantity <= 100_000:
        errors["quantity"] = ["数量须为 1–100000。"]
    if errors:
        raise Invalid("提交的内容有误，请检查标出的字段。", errors=errors)
    resource = Resource.objects.create(unit=actor.unit, kind=kind, name=name, quantity=quantity, place=place)
    audit.record(
        action="resource_register",
        actor=actor.user,
        unit_code=actor.unit.code,
        unit_name=actor.unit.name,
        target=f"resource:{resource.pk}",
        detail={"kind": kind, "name": name},
    )
    return resource


@transaction.atomic
def incident_resource_allocate(*, actor: Membership, incident: Incident, resource: Resource) -> ResourceAllocation:
    """Send a free resource to the incident; one already serving an incident → 409 (the database
    keeps at most one open allocation per resource)."""
    require_permission(actor, "incident.declare")
    ensure_active(incident)
    try:
        with transaction.atomic():
            row = ResourceAllocation.objects.create(incident=incident, resource=resource, allocated_at=timezone.now())
    except IntegrityError:
        raise Conflict(f"{resource.name}正在其他事件中使用，请先释放。", code="wrong_state") from None
    audit_incident(actor, "incident_resource_allocate", incident, resource=resource.pk, name=resource.name)
    return row


@transaction.atomic
def incident_resource_release(*, actor: Membership, incident: Incident, resource: Resource) -> ResourceAllocation:
    """Release a resource from the incident (it is free for the next one)."""
    require_permission(actor, "incident.declare")
    row = ResourceAllocation.objects.filter(incident=incident, resource=resource, released_at__isnull=True).first()
    if row is None:
        raise Conflict("该资源未在本事件中使用。", code="wrong_state")
    row.released_at = timezone.now()
    row.save(update_fields=["released_at"])
    audit_incident(actor, "incident_resource_release", incident, resource=resource.pk, name=resource.name)
    return row
