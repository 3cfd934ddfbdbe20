"""Public legal services (公共法律服务): the village legal advisers' roster (一村一法律顾问) and the
legal-aid file (法律援助) kept beside a case of kind `legal_aid` — the means check, the
key-group flags, the exemption from the means check, the decision, the lawyer assigned and the
result, with the statutory clocks of 法律援助法 arts. 43–44."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Adviser(models.Model):
    """一村一法律顾问: a lawyer or legal worker serving villages for the judicial office, reached
    through the centre (no personal phone on the roster)."""

    class Kind(models.TextChoices):
        LAWYER = "lawyer", "律师"
        LEGAL_WORKER = "legal_worker", "基层法律服务工作者"

    name = models.CharField("姓名", max_length=50)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.LAWYER)
    firm = models.CharField("执业机构", max_length=100)
    villages = models.ManyToManyField("geo.Region", related_name="legal_advisers", verbose_name="服务村（社区）")
    duty = models.CharField("值班时间", max_length=100, help_text="如：每周二上午在村委会坐班")
    # The adviser's own account (role `adviser`), when they sign in: it sees the legal files of
    # the villages served (selectors.adviser_villages).
    member = models.OneToOneField(
        "org.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="legal_adviser"
    )
    is_active = models.BooleanField("在岗", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "村法律顾问"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.firm}）"


class KeyGroup(models.TextChoices):
    """法律援助重点对象 (才湾镇's seed: 留守儿童、空巢老人、残疾人、妇女; plus wage claims and DV)."""

    LEFT_BEHIND_CHILD = "left_behind_child", "农村留守儿童"
    EMPTY_NEST_ELDER = "empty_nest_elder", "空巢老人"
    DISABLED = "disabled", "残疾人"
    WOMAN = "woman", "妇女"
    MIGRANT_WAGES = "migrant_wages", "农民工讨薪"
    DV_VICTIM = "dv_victim", "家庭暴力受害人"


class Exemption(models.TextChoices):
    """Where the law lifts the means test. Art. 32: "有下列情形之一，当事人申请法律援助的，不受经济
    困难条件的限制" — the applicant need not be poor at all. Art. 42: "法律援助申请人有材料证明属于
    下列人员之一的，免予核查经济困难状况" — the applicant is taken to be poor without a check.
    The labels quote items (一)–(四) of each article of 中华人民共和国法律援助法 (2021); item (五) of
    art. 32 and (四) of art. 42 ("法律、法规、规章规定的其他情形/人员") name no case of their own and
    are recorded as OTHER with the rule cited in the decision's reason."""

    HERO_RELATIVE = "art32_hero", "第三十二条（一）英雄烈士近亲属为维护英雄烈士的人格权益"
    GOOD_SAMARITAN = "art32_samaritan", "第三十二条（二）因见义勇为行为主张相关民事权益"
    RETRIAL_COMPENSATION = "art32_retrial", "第三十二条（三）再审改判无罪请求国家赔偿"
    ABUSE_VICTIM = "art32_abuse", "第三十二条（四）遭受虐待、遗弃或者家庭暴力的受害人主张相关权益"
    ART32_OTHER = "art32_other", "第三十二条（五）法律、法规、规章规定的其他情形"
    NO_INCOME_GROUP = "art42_no_income", "第四十二条（一）无固定生活来源的未成年人、老年人、残疾人等特定群体"
    ASSISTANCE_RECIPIENT = "art42_assistance", "第四十二条（二）社会救助、司法救助或者优抚对象"
    MIGRANT_WORKER = "art42_migrant", "第四十二条（三）申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员"
    ART42_OTHER = "art42_other", "第四十二条（四）法律、法规、规章规定的其他人员"


class Urgency(models.TextChoices):
    """先行提供法律援助 (法律援助法 art. 44 ¶1): "法律援助机构收到法律援助申请后，发现有下列情形
    之一的，可以决定先行提供法律援助"; the applicant completes the formalities afterwards (¶2)."""

    LIMITATION = "limitation", "第四十四条（一）距法定时效或者期限届满不足七日，需要及时提起诉讼或者申请仲裁、行政复议"
    PRESERVATION = "preservation", "第四十四条（二）需要立即申请财产保全、证据保全或者先予执行"


class LegalAidFile(models.Model):
    """The legal-aid file of one `legal_aid` case (opened by its registration)."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="legal_aid")
    matter = models.CharField("援助事项", max_length=200, blank=True)
    key_groups = models.JSONField("重点对象", default=list, blank=True)
    # 经济困难状况核查: the applicant's household income and assets against the local standard
    # (广西: the county's 最低生活保障 line as the 经济困难标准, an administrator's number).
    monthly_income = models.DecimalField("家庭人均月收入（元）", max_digits=10, decimal_places=2, null=True, blank=True)
    assets = models.DecimalField("家庭财产（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    income_standard = models.DecimalField(
        "当地经济困难标准（元/人·月）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    assets_standard = models.DecimalField("家庭财产限额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    means_checked_at = models.DateTimeField("经济状况核查时间", null=True, blank=True)
    means_eligible = models.BooleanField("符合经济困难标准", null=True, blank=True)
    exemption = models.CharField("免予核查/不受经济困难条件限制", max_length=20, choices=Exemption.choices, blank=True)
    urgency = models.CharField("先行提供情形", max_length=20, choices=Urgency.choices, blank=True)
    provided_first_at = models.DateTimeField("先行提供时间", null=True, blank=True)
    decide_due = models.DateTimeField("审查决定期限")
    granted = models.BooleanField("给予法律援助", null=True, blank=True)
    decision_reason = models.TextField("决定理由", blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decided_late = models.BooleanField("决定超期", default=False)
    assign_due = models.DateTimeField("指派期限", null=True, blank=True)
    lawyer = models.CharField("法律援助人员", max_length=100, blank=True)
    assigned_at = models.DateTimeField("指派时间", null=True, blank=True)
    assigned_late = models.BooleanField("指派超期", default=False)
    result = models.TextField("援助结果", blank=True)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "法律援助档案"
        constraints = [
            # a decision has its time and its reason; an assignment follows a grant or 先行提供
            models.CheckConstraint(
                condition=Q(granted__isnull=True) | (Q(decided_at__isnull=False) & ~Q(decision_reason="")),
                name="legal_aid_decision_complete",
            ),
            models.CheckConstraint(
                condition=Q(assigned_at__isnull=True) | Q(granted=True) | Q(provided_first_at__isnull=False),
                name="legal_aid_assigned_after_grant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} 法律援助"

    @property
    def domestic_violence(self) -> bool:
        return self.exemption == Exemption.ABUSE_VICTIM or KeyGroup.DV_VICTIM in self.key_groups

    def key_group_labels(self) -> list[str]:
        return [KeyGroup(value).label for value in self.key_groups if value in KeyGroup.values]


class OutreachTopic(models.Model):
    """排餐: a talk on the menu, prepared for a season and an audience from the residents' needs
    and what the village's cases show (farmers' land rights in spring, anti-fraud for the
    elderly, minors' protection before the holidays)."""

    class Season(models.TextChoices):
        SPRING = "spring", "春季"
        SUMMER = "summer", "夏季"
        AUTUMN = "autumn", "秋季"
        WINTER = "winter", "冬季"
        ALL_YEAR = "all", "全年"

    title = models.CharField("主题", max_length=100)
    season = models.CharField("季节", max_length=10, choices=Season.choices, default=Season.ALL_YEAR)
    audience = models.CharField("对象", max_length=50)
    summary = models.CharField("内容简介", max_length=300)
    is_active = models.BooleanField("在菜单上", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "普法菜单（排餐）"
        ordering = ["season", "title"]

    def __str__(self) -> str:
        return self.title


class OutreachOrder(models.Model):
    """点餐: a village (its committee or grid chief) orders a talk; the town (judicial office or
    centre) schedules an adviser or an outside expert and a date within its promise
    (services.outreach.SCHEDULE_PROMISE_DAYS); the talk given (送餐, `event`) delivers it."""

    class State(models.TextChoices):
        ORDERED = "ordered", "已点单"
        SCHEDULED = "scheduled", "已安排"
        DELIVERED = "delivered", "已送达"

    village = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）")
    topic = models.CharField("主题", max_length=100)
    wanted_by = models.DateField("希望在此日前")
    ordered_by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")
    ordered_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ORDERED)
    # The town's promise, fixed when the order is placed (a later change of the promise does not
    # move the clock of an order already running).
    schedule_due = models.DateTimeField("安排期限", null=True, blank=True)
    scheduled_at = models.DateTimeField("安排时间", null=True, blank=True)
    scheduled_late = models.BooleanField("安排超期", default=False)
    scheduled_by = models.ForeignKey(
        "org.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    adviser = models.ForeignKey(
        Adviser, null=True, blank=True, on_delete=models.PROTECT, related_name="orders", verbose_name="村法律顾问"
    )
    expert = models.CharField("法律专家", max_length=100, blank=True)
    planned_at = models.DateTimeField("安排宣讲时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = "普法点单（点餐）"
        ordering = ["-ordered_at", "-id"]
        constraints = [
            # a scheduled order names its speaker (an adviser or an outside expert) and its date
            models.CheckConstraint(
                condition=Q(scheduled_at__isnull=True)
                | (Q(planned_at__isnull=False) & (Q(adviser__isnull=False) | ~Q(expert=""))),
                name="outreach_order_schedule_complete",
            ),
        ]
        # the month report counts the orders placed in a month
        indexes = [models.Index(fields=["ordered_at"], name="outreach_order_month")]

    def __str__(self) -> str:
        return f"{self.topic}（{self.village_id}）"

    @property
    def speaker(self) -> str:
        return self.adviser.name if self.adviser_id else self.expert

    @property
    def schedule_overdue(self) -> bool:
        """Past the promise: scheduled late, or still waiting after the due time."""
        if self.scheduled_late:
            return True
        return self.scheduled_at is None and self.schedule_due is not None and timezone.now() > self.schedule_due


class OutreachEvent(models.Model):
    """送餐: the talk given — place, time, speakers — and afterwards its attendance and feedback."""

    topic = models.CharField("主题", max_length=100)
    place = models.CharField("地点", max_length=100)
    at = models.DateTimeField("时间")
    speakers = models.JSONField("宣讲人", default=list)
    order = models.OneToOneField(
        OutreachOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="event", verbose_name="点单"
    )
    # The village the talk was given in (an ordered talk: the order's village).
    village = models.ForeignKey(
        "geo.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="村（社区）"
    )
    recorded_by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")
    attendance = models.PositiveIntegerField("到场人数", null=True, blank=True)
    feedback = models.CharField("群众反馈", max_length=500, blank=True)
    # The residents' average rating of the talk (1–5), from the feedback slips collected.
    rating = models.DecimalField("满意度评分", max_digits=2, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "送法活动（送餐）"
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="outreach_rating_1_to_5"
            )
        ]
        # the month report counts the talks held in a month
        indexes = [models.Index(fields=["at"], name="outreach_event_month")]

    def __str__(self) -> str:
        return f"{self.topic} {self.at:%Y-%m-%d}"


class TrainingSession(models.Model):
    """乡村干部法治培训 and 典型案例宣讲 (才湾镇's seed: "定期开展乡村干部法治培训、典型案例宣讲等活动"):
    a session given by an adviser to the cadres of one or more villages, with who attended and,
    for a case talk, the typical cases used (anonymised by the generator)."""

    class Kind(models.TextChoices):
        TRAINING = "training", "干部法治培训"
        CASE_TALK = "case_talk", "典型案例宣讲"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    topic = models.CharField("主题", max_length=100)
    held_at = models.DateTimeField("时间")
    place = models.CharField("地点", max_length=100)
    speaker = models.ForeignKey(Adviser, on_delete=models.PROTECT, related_name="sessions", verbose_name="主讲")
    villages = models.ManyToManyField("geo.Region", related_name="+", verbose_name="参训村（社区）")
    attendance = models.PositiveIntegerField("参加人数")
    attendees = models.ManyToManyField("org.Membership", related_name="+", blank=True, verbose_name="参训干部")
    recorded_by = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "干部培训与案例宣讲"
        ordering = ["-held_at", "-id"]
        # the adviser's monthly log counts their sessions of a month
        indexes = [models.Index(fields=["speaker", "held_at"], name="training_speaker_month")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.topic}"


class TypicalCase(models.Model):
    """A closed case used in a session, as the generator made it anonymous (anonymise.py); the
    source case is kept for the record, never shown beside the text."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="typical_cases")
    source = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("案例标题", max_length=300)
    description = models.TextField("案情")
    answer = models.TextField("处理结果", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "典型案例"
        ordering = ["session", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "source"], name="typical_case_once_per_session")]

    def __str__(self) -> str:
        return self.title
