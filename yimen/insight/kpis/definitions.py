"""What each KPI means: numerator, denominator and period rule, in the words shown as the card's
tooltip and in docs/notes-insight.md. One table, so the page, the API and the docs agree."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    numerator: str
    denominator: str  # "" for a count
    period: str
    is_rate: bool = True

    @property
    def definition(self) -> str:
        if not self.is_rate:
            return f"{self.label}：{self.numerator}。{self.period}"
        return f"{self.label} = {self.numerator} ÷ {self.denominator}。{self.period}分母为 0 时不计算（显示“—”）。"


KPIS = [
    Kpi(
        "received",
        "受理登记量",
        "期间内收到（按收到时间）的案件数",
        "",
        "按收到日期（北京时间）计，含起止两日；与案件列表按同一区域、同一收到日期筛选的件数一致。",
        is_rate=False,
    ),
    Kpi(
        "accepted_rate",
        "受理率",
        "其中已受理（有受理时间）的件数",
        "期间内收到的案件数",
        "按收到日期计；尚待受理、不予受理、并单、直接转办的都计入分母。",
    ),
    Kpi(
        "signed_on_time_rate",
        "按时签收率",
        "其中在签收时限内签收的件数",
        "期间内派出的主办交办数（含改派）",
        "按派单日期计；未设签收时限的，签收即算按时。",
    ),
    Kpi(
        "closed_on_time_rate",
        "按期办结率",
        "其中在办结期限（含延期）内办结的件数",
        "期间内办结的案件数",
        "按办结日期计；窗口直接办结、未设期限的算按期。",
    ),
    Kpi(
        "overdue",
        "当前超期",
        "现在已超过受理告知期限或办结期限、仍未办结的案件数",
        "",
        "不按期间，取当前时点。",
        is_rate=False,
    ),
    Kpi(
        "mediation_success_rate",
        "化解成功率",
        "其中结果为达成协议的件数",
        "期间内调解结束（结果为达成协议、部分达成或未达成）的调解数",
        "按调解结束日期计。",
    ),
    Kpi(
        "satisfaction_rate",
        "满意率",
        "其中评为 4 分或 5 分的次数",
        "期间内的评价次数（回访评价与群众自评各算一次，1–5 分）",
        "按评价日期计；满意 = 4 分及以上。",
    ),
    Kpi(
        "repeat_petition_rate",
        "重复信访率",
        "其中登记为重复信访（有前次信访）的件数",
        "期间内收到的信访件数",
        "按收到日期计。",
    ),
    Kpi(
        "village_resolution_rate",
        "村级化解率",
        "其中主办单位为村（社区）的件数",
        "期间内办结的矛盾纠纷数",
        "按办结日期计；“小事不出村”。",
    ),
    Kpi(
        "police_contact_coverage",
        "警民联系覆盖率",
        "截止日已加入警民联系的户数",
        "区域内登记的户数",
        "取截止日时点。",
    ),
    Kpi(
        "informant_activity_rate",
        "信息员活跃率",
        "期间内有上报案件或民情记录的信息员、网格员人数",
        "区域内在岗的信息员、网格员人数",
        "按上报（收到）日期和记录日期计。",
    ),
]
KPI_BY_KEY = {kpi.key: kpi for kpi in KPIS}
