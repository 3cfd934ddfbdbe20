"""The region tree: 省 > 市 > 县 > 镇/街道 > 村/社区 > 网格 > 微网格, plus special grids (专属网格)."""

from typing import Protocol

from django.db import models
from django.db.models import Q


class Member(Protocol):
    """What geo needs of a staff seat (org.Membership; geo sits below org and cannot import it)."""

    jurisdiction: "Region"

    def has_perm(self, perm: str) -> bool: ...


class RegionQuerySet(models.QuerySet):
    def subtree(self, region: "Region") -> "RegionQuerySet":
        """The region and everything below it."""
        return self.filter(path__startswith=region.path)

    def visible_to(self, member: Member) -> "RegionQuerySet":
        """DESIGN §8: a member sees their jurisdiction's subtree, and the jurisdiction's ancestors
        (so breadcrumbs and "which town am I in" work); anything else is as good as absent."""
        jurisdiction = member.jurisdiction
        return self.filter(Q(path__startswith=jurisdiction.path) | Q(code__in=jurisdiction.ancestor_codes))


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        COUNTY = "county", "县"
        TOWN = "town", "镇/街道"
        VILLAGE = "village", "村/社区"
        GRID = "grid", "网格"
        MICROGRID = "microgrid", "微网格"
        SPECIAL = "special", "专属网格"

    code = models.CharField("代码", max_length=24, unique=True)
    # The readable name used everywhere ("才湾村", "天湖社区"); the committee's official name from
    # the division data ("才湾村委会", "天湖社区居委会") is kept beside it.
    name = models.CharField("名称", max_length=100)
    official_name = models.CharField("统计用区划名称", max_length=100, blank=True)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # Materialised path of codes, "45/4503/450324/450324106/": a subtree is one prefix match.
    path = models.CharField(max_length=255, unique=True)
    depth = models.PositiveSmallIntegerField(default=0)
    geometry = models.JSONField("边界 GeoJSON", null=True, blank=True)
    geometry_updated_at = models.DateTimeField(null=True, blank=True, db_index=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "区划与网格"
        ordering = ["code"]
        indexes = [
            models.Index(fields=["parent", "code"], name="region_children"),  # a region's children, in order
            models.Index(fields=["level", "path"], name="region_level_path"),  # counting grids in a subtree
        ]

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: "Region") -> bool:
        return self.path.startswith(other.path)

    @property
    def ancestor_codes(self) -> list[str]:
        """Codes from the root down to the parent, read off the materialised path."""
        return self.path.split("/")[:-2]
