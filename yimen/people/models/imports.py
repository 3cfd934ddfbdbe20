"""Excel import jobs (导入批次): an uploaded workbook, its dry run, its application and the report.

The upload is kept SM4-encrypted (it holds ID numbers and phones in clear) only until the job
is applied or discarded; the per-row report keeps masked values only."""

import secrets

from django.db import models


def new_job_code() -> str:
    return secrets.token_hex(8)


class ImportJob(models.Model):
    class State(models.TextChoices):
        CHECKING = "checking", "校验中"
        CHECKED = "checked", "校验完成，待导入"
        APPLYING = "applying", "导入中"
        APPLIED = "applied", "已导入"
        DISCARDED = "discarded", "已放弃"
        FAILED = "failed", "失败"

    # action -> (allowed source states, target state)
    TRANSITIONS = {
        "check_done": ({State.CHECKING}, State.CHECKED),
        "apply": ({State.CHECKED}, State.APPLYING),
        "apply_done": ({State.APPLYING}, State.APPLIED),
        "discard": ({State.CHECKED, State.FAILED}, State.DISCARDED),
        "fail": ({State.CHECKING, State.APPLYING}, State.FAILED),
    }
    RUNNING = frozenset({State.CHECKING, State.APPLYING})

    code = models.CharField("批次号", max_length=16, unique=True, default=new_job_code)
    member = models.ForeignKey("org.Membership", on_delete=models.PROTECT, related_name="+", verbose_name="导入人")
    filename = models.CharField("文件名", max_length=200)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.CHECKING)
    background = models.BooleanField("后台执行", default=False)
    payload_cipher = models.TextField(blank=True)  # the workbook, SM4-encrypted; emptied when done
    total_rows = models.PositiveIntegerField("总行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理行数", default=0)
    ok_rows = models.PositiveIntegerField("有效行数", default=0)
    error_rows = models.PositiveIntegerField("错误行数", default=0)
    created_rows = models.PositiveIntegerField("新增人数", default=0)
    updated_rows = models.PositiveIntegerField("更新人数", default=0)
    # [[row, household_no, name, id_number_masked, status, [message, ...]], ...] in sheet order
    report = models.JSONField("逐行报告", default=list, blank=True)
    error = models.CharField("失败原因", max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "导入批次"
        indexes = [models.Index(fields=["member", "-created_at"], name="importjob_member")]  # "my recent imports"

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_state_display()}）"

    @property
    def running(self) -> bool:
        return self.state in self.RUNNING

    @property
    def percent(self) -> int:
        return min(100, self.processed_rows * 100 // self.total_rows) if self.total_rows else 0
