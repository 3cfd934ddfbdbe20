"""积分制 (issue 16): a village's rules as versioned data, proposals, the household's
append-only ledger with its incrementally kept balance, the 积分超市 and red-board consent."""

from datetime import timedelta

from django.db import models


class Category(models.TextChoices):
    # 清水坪镇《积分制管理细则》's five areas (shared/seeds, issue 16).
    INDUSTRY = "industry", "产业致富"
    VIRTUE = "virtue", "善行义举"
    SANITATION = "sanitation", "环境卫生"
    INTEGRITY = "integrity", "诚实守信"
    FAMILY = "family", "家庭美德"


class RuleSet(models.Model):
    """One published version of a 细则 for a region: the town's default set or a village's own
    (adopted from the town's and adjusted). A change publishes a new version; old versions stay,
    and ledger entries copy their points, so a change never rewrites the past."""

    region = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+", verbose_name="适用区划")
    version = models.PositiveIntegerField("版本")
    adopted_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="采用自"
    )
    # 申诉期: the household may appeal an approved entry within this many days.
    appeal_days = models.PositiveSmallIntegerField("申诉期（天）", default=7)
    published_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "积分细则"
        constraints = [models.UniqueConstraint(fields=["region", "version"], name="points_ruleset_version")]


class Rule(models.Model):
    class Evidence(models.TextChoices):
        NONE = "none", "无需"
        PHOTO = "photo", "照片"
        WITNESS = "witness", "证明人"

    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    code = models.SlugField("代码", max_length=40)
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    name = models.CharField("赋分事项", max_length=100)
    points = models.SmallIntegerField("分值")  # negative: a deduction
    evidence_required = models.CharField("佐证", max_length=10, choices=Evidence.choices, default=Evidence.NONE)
    cap_per_month = models.PositiveSmallIntegerField("每月上限（次）", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "赋分事项"
        ordering = ["category", "code"]
        constraints = [models.UniqueConstraint(fields=["ruleset", "code"], name="points_rule_code")]


class Award(models.Model):
    """A proposal by a grid worker or grid chief; only an approved one reaches the ledger."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "待审核"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "已驳回"

    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="+")
    note = models.CharField("事由", max_length=500)
    evidence = models.CharField("佐证", max_length=500, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    proposed_by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey("org.Membership", null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True)
    reason = models.CharField("驳回理由", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "积分申报"
        indexes = [models.Index(fields=["village", "state"], name="points_award_queue")]


def evidence_path(photo: "AwardPhoto", filename: str) -> str:
    return f"points/evidence/{photo.award_id}/{photo.sha256[:16]}"


class AwardPhoto(models.Model):
    """A photo the proposer took as evidence (照片佐证), sealed at rest like every upload and
    shown to the committee deciding the proposal."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=40)

    class Meta:
        ordering = ["award", "id"]


class Entry(models.Model):
    """One line of a household's ledger, never changed or deleted. It copies the rule's points
    and label, so later versions of the rules leave it as it was; `balance_after` is the
    running balance the Balance row keeps."""

    class Kind(models.TextChoices):
        AWARD = "award", "赋分"
        REVERSAL = "reversal", "冲正"
        REDEMPTION = "redemption", "兑换"

    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(db_index=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    category = models.CharField(max_length=20, choices=Category.choices, blank=True)
    rule_code = models.CharField(max_length=40, blank=True)
    label = models.CharField(max_length=100)
    points = models.IntegerField()
    balance_after = models.IntegerField()
    award = models.OneToOneField(Award, null=True, on_delete=models.PROTECT, related_name="entry")
    reverses = models.OneToOneField("self", null=True, on_delete=models.PROTECT, related_name="reversed_by")
    reason = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "积分台账"
        indexes = [
            models.Index(fields=["household", "at"], name="points_ledger"),
            # the monthly board: grouped from the index alone (PostgreSQL covering index)
            models.Index(fields=["village", "at"], include=["kind", "household", "points"], name="points_board"),
            # the black board reads the month's deductions and their reversals only: a few rows
            # of the ledger, not the month's every award (bench: 200,000 households ≤ 200 ms)
            models.Index(
                fields=["village", "at"],
                include=["rule_code", "category", "label", "points"],
                condition=models.Q(kind="award", points__lt=0),
                name="points_black",
            ),
            models.Index(
                fields=["village", "at"],
                include=["rule_code", "points"],
                condition=models.Q(kind="reversal", points__gt=0),
                name="points_black_undone",
            ),
        ]

    def appeal_until(self):
        """The end of the 申诉期 the rules in force at the award set (an award entry only)."""
        return self.at + timedelta(days=self.award.rule.ruleset.appeal_days)


class Balance(models.Model):
    """The household's balance, moved in the same transaction as each entry (under a row lock),
    so a read is one row, not a sum over the ledger; `entries` is checked against the sum."""

    household = models.OneToOneField("people.Household", on_delete=models.PROTECT, related_name="+", primary_key=True)
    balance = models.IntegerField(default=0)


class MonthTally(models.Model):
    """Points a household earned in a month (awards and deductions net of reversals), moved with
    each entry under the balance's lock: the red board reads its top rows off an index instead of
    grouping the month's ledger (bench: 200,000 households ≤ 200 ms)."""

    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="+")
    month = models.DateField()  # the first day of the month (+08:00)
    points = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["household", "month"], name="points_tally_month")]
        indexes = [models.Index(fields=["village", "month", "-points"], name="points_tally_board")]


class Item(models.Model):
    """An article of the village's 积分超市."""

    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("物品", max_length=100)
    price = models.PositiveIntegerField("所需积分")
    stock = models.PositiveIntegerField("库存", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "积分超市物品"
        ordering = ["village", "price", "name"]


class Redemption(models.Model):
    """A counter redemption and its receipt."""

    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="redemptions")
    quantity = models.PositiveIntegerField()
    points = models.PositiveIntegerField()
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="redemption")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")


class StockIn(models.Model):
    """Goods received into the 积分超市 (入库): with the redemptions, the village's monthly account."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="stock_ins")
    quantity = models.PositiveIntegerField("入库数量")
    note = models.CharField("来源", max_length=200, blank=True)  # 捐赠单位、采购单号
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "积分超市入库"
        indexes = [models.Index(fields=["item", "at"], name="points_stock_in")]  # the monthly account


class Consent(models.Model):
    """The household's consent to be named on the 红榜 (个人信息保护法 art. 14, 15: recorded and
    withdrawable); without a live consent the household is never named."""

    household = models.OneToOneField("people.Household", on_delete=models.PROTECT, related_name="+", primary_key=True)
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")


class Appeal(models.Model):
    """The household's appeal against an approved entry, filed within the rules' 申诉期 and
    decided by someone other than the approver; upheld, the entry is reversed."""

    class State(models.TextChoices):
        OPEN = "open", "待处理"
        UPHELD = "upheld", "申诉成立"
        DISMISSED = "dismissed", "申诉不成立"

    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="appeal")
    grounds = models.CharField("申诉理由", max_length=500)
    filed_by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey("org.Membership", null=True, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField("处理意见", max_length=500, blank=True)


class Wish(models.Model):
    """微心愿: a resident's small wish a grid worker records; fulfilled, declined with a reason,
    or turned into a case (村民议事会 agenda items are drawn from the open ones)."""

    class State(models.TextChoices):
        OPEN = "open", "待认领"
        FULFILLED = "fulfilled", "已实现"
        DECLINED = "declined", "不予办理"
        CASE = "case", "已转为案件"

    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    text = models.CharField("心愿", max_length=500)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    recorded_by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField("结果或理由", max_length=500, blank=True)
    case_code = models.CharField(max_length=40, blank=True)


class Meeting(models.Model):
    """村民议事会 (清水坪镇 seed: 小组会、院坝会、火坑会): the agenda drawn from open 微心愿 (and other
    matters in words), the attendance, and each decision with its owner."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "村民议事会"
        GROUP = "group", "小组会"
        COURTYARD = "courtyard", "院坝会"
        FIRESIDE = "fireside", "火坑会"

    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("形式", max_length=10, choices=Kind.choices)
    held_at = models.DateTimeField("时间")
    place = models.CharField("地点", max_length=100)
    attendance = models.PositiveIntegerField("参会人数")
    wishes = models.ManyToManyField(Wish, blank=True, related_name="meetings", verbose_name="议题（微心愿）")
    notes = models.CharField("其他议题（如待办案件、村务）", max_length=500, blank=True)
    recorded_by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "村民议事"
        indexes = [models.Index(fields=["village", "-held_at"], name="points_meeting_village")]


class Decision(models.Model):
    """One decision of a meeting and who carries it out."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.CharField("议定事项", max_length=300)
    owner = models.CharField("负责人", max_length=50)


class BestFamily(models.Model):
    """最美农家 of a year: a household from the top of the year's ledger (and consenting to be
    named), chosen by a vote of the village's representatives, with the count recorded."""

    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    household = models.ForeignKey("people.Household", on_delete=models.PROTECT, related_name="+")
    points = models.IntegerField("年度积分")  # as the ledger stood at the vote
    votes_for = models.PositiveIntegerField("赞成票")
    voters = models.PositiveIntegerField("参加投票人数")
    recorded_by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "最美农家"
        constraints = [models.UniqueConstraint(fields=["village", "year", "household"], name="points_best_once")]

    @property
    def elected(self) -> bool:
        """过半数赞成 (村民委员会组织法 art. 22's rule for village votes)."""
        return self.votes_for * 2 > self.voters
