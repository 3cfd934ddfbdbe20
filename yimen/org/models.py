"""Units (1+6+N) and the people who work in them."""

from django.db import models
from django.db.models import Q

from yimen.org.roles import JURISDICTION_WIDE, Role, permissions_for


class Unit(models.Model):
    class Kind(models.TextChoices):
        CENTRE = "centre", "综治中心"
        POLICE = "police", "派出所"
        COURT = "court", "法庭"
        JUDICIAL = "judicial", "司法所"
        PETITION = "petition", "信访办"
        GRID_CENTRE = "grid_centre", "网格中心"
        DEPARTMENT = "department", "职能部门"
        VILLAGE = "village", "村（社区）"
        OTHER = "other", "其他"

    code = models.CharField("单位代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    # The unit's jurisdiction: this region and its subtree.
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="units")
    phone = models.CharField("值班电话", max_length=20, blank=True)
    is_active = models.BooleanField("启用", default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "code"], name="unit_kind")]  # GET /units?kind=

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's seat in a unit with one role, over a jurisdiction (the unit's region unless narrowed,
    e.g. a grid worker's own grid)."""

    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    jurisdiction = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+", verbose_name="管辖范围")
    title = models.CharField("职务", max_length=50, blank=True)
    # A published work number (e.g. on the grid worker's public sign), not a private phone.
    service_phone = models.CharField("服务电话", max_length=20, blank=True)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "任职"
        ordering = ["unit__code", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"], condition=Q(is_active=True), name="one_active_seat_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"

    @property
    def permissions(self) -> frozenset[str]:
        return permissions_for(self.role, self.unit.kind)

    def has_perm(self, perm: str) -> bool:
        return perm in self.permissions

    @property
    def sees_jurisdiction(self) -> bool:
        return self.role in JURISDICTION_WIDE
