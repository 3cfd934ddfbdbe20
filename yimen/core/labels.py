"""What a reader sees for an action code: one registry shape for the audit log's actions
(yimen.core.audit) and the case timeline's (yimen.cases.timeline). Each app registers the codes
it records from its AppConfig.ready(), so the lower app never lists a higher app's actions."""

from django.core.exceptions import ImproperlyConfigured


class LabelRegistry(dict[str, str]):
    """Action code → Chinese label. A code keeps the label it was first given: two apps giving
    one code two labels would make one of them lie on every page, so the second is refused at
    start-up rather than silently winning."""

    def __init__(self, name: str, labels: dict[str, str]) -> None:
        super().__init__()
        self.name = name
        self.register(labels)

    def register(self, labels: dict[str, str]) -> None:
        for code, label in labels.items():
            if self.get(code, label) != label:
                raise ImproperlyConfigured(f"{self.name}: {code!r} is labelled both {self[code]!r} and {label!r}")
        self.update(labels)

    def label(self, code: str) -> str:
        """The code's label; an unlabelled code (an old row, a removed app) shows as itself."""
        return self.get(code, code)
