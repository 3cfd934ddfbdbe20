"""Smart intake on the demo town: the category model trained on the demo year's closed cases and
the early warnings raised over it (yimen.demo's seed_demo calls build_demo)."""

from yimen.smart.services import model_retrain
from yimen.smart.services_warnings import warnings_refresh


def build_demo() -> str:
    model = model_retrain()
    raised = warnings_refresh()
    return (
        f"智能受理：类别建议模型以 {model.cases} 件已办结案件训练（词表 {model.vocabulary}，"
        f"{model.seconds:.1f} 秒；演示文本为生成数据），风险预警 {raised.raised} 条。"
    )
