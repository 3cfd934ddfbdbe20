from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "yimen.petitions"
    label = "petitions"
    verbose_name = "信访"

    def ready(self) -> None:
        from yimen.cases import timeline
        from yimen.cases.extensions import register_case_exclusion, register_case_panel, register_intake_check
        from yimen.petitions.rules import hidden_from_accused
        from yimen.petitions.services import petition_intake_check
        from yimen.petitions.views import petition_panel

        register_intake_check(petition_intake_check)
        register_case_exclusion(hidden_from_accused)
        register_case_panel(petition_panel)
        # The written notices and opinions of 信访工作条例.
        timeline.register_labels(
            {
                "petition_notice": "出具信访告知书",
                "petition_opinion": "出具信访意见书",
                "extension_notice": "延期告知",
            }
        )
