"""The resident registry (实有人口 · 民情档案): households, persons and what is known of them.

ID numbers and phones are stored SM4-GCM encrypted (`*_cipher`), searchable by exact value
through a keyed SM3 blind index (`*_index`), and shown masked (`*_masked`) unless revealed.
Rows change only through yimen.people.services; reads go through the querysets' visible_to()."""

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

from yimen.geo.models import Member
from yimen.people.extensions import person_reaches


def _jurisdiction(member: Member | None, perm: str = "person.view") -> str | None:
    """The path prefix a member sees residents under, or None when they see none at all."""
    if member is None or not member.has_perm(perm):
        return None
    return member.jurisdiction.path


def sees_sensitive_tags(member: Member | None) -> bool:
    """Whether sensitive tags (重点人群) exist for the member: only with person.sensitive_tags
    (DESIGN §8). Tag.objects.visible_to and the search's tags (people.selectors) apply it."""
    return member is not None and member.has_perm("person.sensitive_tags")


class TagQuerySet(models.QuerySet):
    def visible_to(self, member: Member | None) -> "TagQuerySet":
        """Sensitive tags (重点人群) exist only for members holding person.sensitive_tags; to
        everyone else they are absent from every list, card, filter and answer (DESIGN §8)."""
        if sees_sensitive_tags(member):
            return self.all()
        return self.filter(sensitive=False)


class Tag(models.Model):
    """A group a resident belongs to: those needing care (留守老人, 独居 …) or, flagged sensitive,
    those under special management (社区矫正, 严重精神障碍, 重点信访, 吸毒)."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=20, unique=True)
    sensitive = models.BooleanField("敏感", default=False)
    position = models.PositiveSmallIntegerField("排序", default=0)

    objects = TagQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "人员标签"
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, member: Member | None) -> "HouseholdQuerySet":
        """Households in the member's jurisdiction (region subtree); others are as good as absent."""
        path = _jurisdiction(member)
        return self.none() if path is None else self.filter(region__path__startswith=path)


class Household(models.Model):
    """户: the unit grid workers visit and police contact covers."""

    # 户号 as the clerk's workbook carries it; an import finds the household again by it.
    number = models.CharField("户号", max_length=30, unique=True, null=True, blank=True)
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="households", verbose_name="微网格")
    address = models.CharField("住址", max_length=200)
    head = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="户主"
    )
    # 警民联系 (隆回微警 "户不漏人"): the day the household joined the police contact channel.
    police_contact_on = models.DateField("加入警民联系日期", null=True, blank=True)
    defence_group = models.ForeignKey(
        "people.DefenceGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="households",
        verbose_name="十户联防组",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "户"
        indexes = [
            models.Index(fields=["region", "id"], name="household_region"),  # micro-grid roster
            # the households still missing from police contact, per micro-grid
            models.Index(fields=["region", "police_contact_on"], name="household_contact"),
        ]

    def __str__(self) -> str:
        return self.address


class PersonQuerySet(models.QuerySet):
    def visible_to(self, member: Member | None, *, reached: bool = False) -> "PersonQuerySet":
        """DESIGN §8: persons are visible by jurisdiction (the member's region subtree).

        `reached=True` gives instead the persons a later app's record lets the member read
        beyond it (people.extensions.register_person_reach, e.g. a running 会商): for reading
        only, through selectors.person_get_readable — no edit, reveal or export starts there."""
        path = _jurisdiction(member)
        if path is None:
            return self.none()
        if reached:
            rules = person_reaches(member)
            return self.filter(reduce(or_, (Q(rule) for rule in rules))) if rules else self.none()
        return self.filter(region__path__startswith=path)


class Person(models.Model):
    class Gender(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    class Status(models.TextChoices):
        RESIDENT = "resident", "常住"
        FLOATING = "floating", "流动"
        AWAY = "away", "外出"
        # Kept, never deleted (issue 15 part 1), and left out of every active count.
        MOVED_OUT = "moved_out", "迁出"
        DECEASED = "deceased", "死亡"
        # Merged into another record of the same person (issue 15 part 1): kept, pointing to it.
        MERGED = "merged", "已合并"

    LEAVING = ("moved_out", "deceased")  # what 登记迁出/死亡 records
    LEFT = (*LEAVING, "merged")  # kept and readable, out of every active count
    HEAD = "户主"  # the relationship that makes a member the household's head

    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    id_number_cipher = models.TextField(blank=True)
    id_number_index = models.CharField(max_length=64, null=True, blank=True, unique=True)
    id_number_masked = models.CharField("身份证号", max_length=18, blank=True)
    phone_cipher = models.TextField(blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    phone_masked = models.CharField("手机号", max_length=11, blank=True)
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="members", verbose_name="户"
    )
    relationship = models.CharField("与户主关系", max_length=20, blank=True)
    region = models.ForeignKey(
        "geo.Region", on_delete=models.PROTECT, related_name="persons", verbose_name="居住微网格"
    )
    status = models.CharField("居住状态", max_length=10, choices=Status.choices, default=Status.RESIDENT)
    address = models.CharField("住址", max_length=200, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="persons", verbose_name="标签")
    # 隆回微警: the latest police contact's day (PoliceContact keeps each one), for coverage counts.
    police_contact_on = models.DateField("最近警民联系日期", null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from", verbose_name="已合并至"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Fail-closed scoping, as for cases: `objects.visible_to(member)`, or `unscoped` outside
    # the views and the API (tests/test_scoping_fail_closed.py).
    objects = PersonQuerySet.as_manager()
    unscoped = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "人员"
        indexes = [
            # Search by exact name or name prefix ("张三", "张"): name = %s and name LIKE '张三%'.
            # On PostgreSQL the pattern operator class lets LIKE use the B-tree under any UTF-8
            # collation; SQLite gets a NOCASE twin in migration 0002 (its LIKE is case-blind).
            models.Index(fields=["name"], name="person_name", opclasses=["varchar_pattern_ops"]),
            # Police-contact coverage per micro-grid and the officer's work list: active residents
            # grouped by micro-grid and contact day, an index-only scan at a million rows.
            models.Index(
                fields=["region", "police_contact_on"],
                name="person_contact",
                condition=~Q(status__in=["moved_out", "deceased", "merged"]),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def birth_year(self) -> int:
        return self.birth_date.year


class ResidentNote(models.Model):
    """民情档案: a dated note or visit on a person or a household; who wrote it is kept as it was."""

    class Kind(models.TextChoices):
        NOTE = "note", "记录"
        VISIT = "visit", "走访"

    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="notes")
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.NOTE)
    happened_on = models.DateField("日期")
    text = models.TextField("内容")
    author = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    # Copied: a later change of name or unit must not rewrite who wrote the record.
    author_name = models.CharField("记录人", max_length=150)
    unit_name = models.CharField("单位", max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "民情档案"
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, household__isnull=True)
                | Q(person__isnull=True, household__isnull=False),
                name="note_on_person_or_household",
            )
        ]
        indexes = [
            models.Index(fields=["person", "-happened_on"], name="note_person"),  # the person card
            models.Index(fields=["household", "-happened_on"], name="note_household"),  # the household card
        ]

    def __str__(self) -> str:
        return f"{self.happened_on} {self.get_kind_display()}"


class DefenceGroupQuerySet(models.QuerySet):
    def visible_to(self, member: Member | None) -> "DefenceGroupQuerySet":
        path = _jurisdiction(member)
        return self.none() if path is None else self.filter(region__path__startswith=path)


class DefenceGroup(models.Model):
    """十户联防: 10–15 neighbouring households around a lead household, with an ordered call list
    for raising the alarm."""

    MIN_HOUSEHOLDS, MAX_HOUSEHOLDS = 10, 15

    name = models.CharField("名称", max_length=50)
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+", verbose_name="所在网格")
    lead = models.ForeignKey(Household, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="中心户")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    # Retired, never deleted: its alerts and call history stay readable; its households are free.
    retired_at = models.DateTimeField("撤销时间", null=True, blank=True)
    retired_reason = models.CharField("撤销原因", max_length=200, blank=True)

    objects = DefenceGroupQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "十户联防组"
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="defence_group_name")]

    def __str__(self) -> str:
        return self.name


class DefenceCall(models.Model):
    """One step of a group's alert call list (报警呼叫顺序)."""

    group = models.ForeignKey(DefenceGroup, on_delete=models.CASCADE, related_name="calls")
    position = models.PositiveSmallIntegerField("顺序")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name="联系人")

    class Meta:
        verbose_name = verbose_name_plural = "联防呼叫顺序"
        ordering = ["group", "position"]
        constraints = [
            models.UniqueConstraint(fields=["group", "position"], name="defence_call_position"),
            models.UniqueConstraint(fields=["group", "person"], name="defence_call_person"),
        ]


class PatrolTeam(models.Model):
    """A joint-defence and patrol team (群防群治巡逻队) of a village or the town."""

    name = models.CharField("名称", max_length=50)
    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+", verbose_name="巡防区域")
    version = models.PositiveIntegerField(default=1)
    # Retired (disbanded), never deleted: its logs and rosters stay readable.
    retired_at = models.DateTimeField("撤销时间", null=True, blank=True)
    retired_reason = models.CharField("撤销原因", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "巡防队"
        ordering = ["region__code", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="patrol_team_name")]

    def __str__(self) -> str:
        return self.name


class PatrolMember(models.Model):
    """A member of the patrol force; the phone is protected like a resident's."""

    team = models.ForeignKey(PatrolTeam, on_delete=models.PROTECT, related_name="members", verbose_name="巡防队")
    name = models.CharField("姓名", max_length=50)
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="所属单位"
    )
    duty = models.CharField("职责", max_length=20, blank=True)
    phone_cipher = models.TextField(blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    phone_masked = models.CharField("手机号", max_length=11, blank=True)
    is_active = models.BooleanField("在岗", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "巡防队员"
        ordering = ["team", "name", "id"]

    def __str__(self) -> str:
        return self.name
