"""The API document names each schema once: ninja files every schema under its class name, so
two classes of one name (HouseholdOut of the phone app and of the registry, a NoteIn of an
incident and of a case action) make the document show one shape for both — the case actions'
bodies once lost their required `version` that way. Choices are filed the same way: a field typed
by a model's TextChoices files the enum under its class name, and Unit.Kind and
TrainingSession.Kind are both "Kind" — GET /units once advertised the training kinds."""

from collections import defaultdict
from enum import Enum

from ninja import Schema

from yimen.api import api


def _classes(base: type) -> list[type]:
    found = []
    for cls in base.__subclasses__():
        found += [cls, *_classes(cls)]
    return found


def _shared_names(base: type, documented: set[str]) -> dict[str, list[str]]:
    """The documented names that more than one yimen class of `base` bears."""
    modules = defaultdict(set)
    for cls in _classes(base):
        if cls.__module__.startswith("yimen.") and cls.__name__ in documented:
            modules[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    return {name: sorted(where) for name, where in modules.items() if len(where) > 1}


def test_no_two_schemas_of_the_api_share_a_name():
    documented = set(api.get_openapi_schema()["components"]["schemas"])
    shared = _shared_names(Schema, documented)
    assert shared == {}, f"one name, several schemas (rename one): {shared}"
    assert {"CaseOut", "VisitHouseholdOut", "HouseholdOut"} <= documented  # the walk saw the document


def test_no_choices_of_the_api_share_a_name():
    documented = api.get_openapi_schema()["components"]["schemas"]
    enums = {name for name, shape in documented.items() if "enum" in shape}
    shared = _shared_names(Enum, enums)
    assert shared == {}, f"one name, several choices (type the field by its values, Literal): {shared}"
    assert "KeyGroup" in enums  # the walk saw the document's choices
