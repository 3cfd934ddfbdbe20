"""A resident's tag history (issue 15 part 3): each tag added or removed, why, by whom and when.
The tags themselves are Person.tags; this keeps what the current set cannot tell."""

from django.db import models
from django.utils import timezone


class TagChange(models.Model):
    class Action(models.TextChoices):
        ADDED = "added", "添加"
        REMOVED = "removed", "移除"

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="tag_changes")
    tag = models.ForeignKey("people.Tag", on_delete=models.PROTECT, related_name="+", verbose_name="标签")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    reason = models.CharField("事由", max_length=200)
    actor = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    # Copied, as on the resident file: a later change of name or unit must not rewrite who did it.
    actor_name = models.CharField("操作人", max_length=150)
    unit_name = models.CharField("单位", max_length=100)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "标签变更记录"
        indexes = [models.Index(fields=["person", "-at"], name="tag_change_person")]  # the person card

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.tag_id}"
