"""The after-action report (应急处置总结报告, 突发事件应对法 art. 86) drawn from the incident's own
records: declaration, units, tasks with their outcome and field reports, resources sent,
situation reports, the summary."""

from django.utils import timezone

from yimen.core.documents import Fields, Grid, Heading, Paper, Para
from yimen.emergency.models import Incident, TaskProgress


def _t(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def after_action(incident: Incident) -> Paper:
    tasks = list(incident.tasks.select_related("unit"))
    reports = list(incident.reports.select_related("by__user"))
    allocations = list(incident.allocations.select_related("resource"))
    progress = list(TaskProgress.objects.filter(task__incident=incident).select_related("task", "by__user"))
    return Paper(
        title="应急处置总结报告",
        issuer="才湾镇应急指挥部",
        number=incident.code,
        dated=timezone.localdate(incident.closed_at) if incident.closed_at else None,
        blocks=[
            Fields(
                [
                    ("事件名称", incident.title),
                    ("类别", incident.get_kind_display()),
                    ("级别", f"{incident.level} 级"),
                    ("地点", incident.region.name),
                    ("启动时间", _t(incident.declared_at)),
                    ("终止时间", _t(incident.closed_at)),
                    ("关联案件", incident.case.code if incident.case else "无"),
                ]
            ),
            Heading("任务完成情况"),
            Grid(
                ["单位", "任务", "时限", "完成时间", "情况"],
                [[t.unit.name, t.title, _t(t.due_at), _t(t.done_at), t.note or t.get_state_display()] for t in tasks],
            ),
            Heading("任务进展"),
            *[Para(f"{_t(p.at)} {p.by.user.name}（{p.task.title}）：{p.note}") for p in progress],
            Heading("资源调用"),
            Grid(
                ["资源", "数量", "调用时间", "释放时间"],
                [
                    [a.resource.name, str(a.resource.quantity), _t(a.allocated_at), _t(a.released_at)]
                    for a in allocations
                ],
            ),
            Heading("续报记录"),
            *[Para(f"{_t(r.at)} {r.by.user.name}：{r.text}") for r in reports],
            Heading("总结"),
            Para(incident.summary or "—"),
        ],
    )
