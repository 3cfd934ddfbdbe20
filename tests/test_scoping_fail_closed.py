"""Fail-closed scoping (issue 13 item 10, the idea of pretix's django-scopes, checked before
the code runs rather than when a test happens to reach it): app code under yimen/ reads cases
and persons only through `Model.objects.visible_to(member)` (or `hidden_from`, `none`), and
writes through `objects.create/bulk_create/bulk_update`. A read that is not a member's — a
service re-reading the case it was handed after its guards, the nightly sweep, the demo —
names itself `Model.unscoped`, and no view or API module may use it: a page or endpoint that
forgot the scope fails here, before it can show one row it should not."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCOPED = {"Case", "Person"}
SCOPED_ENTRIES = {"visible_to", "hidden_from", "none", "create", "bulk_create", "bulk_update"}


def entry_point(relative: str) -> bool:
    """A module that answers a request: views and API routers, each a module, a package
    (emergency/api/) or a topic module beside the router (people/api_defence.py)."""
    parts = relative.split("/")
    name = parts[-1]
    return name in ("views.py", "api.py") or name.startswith("api_") or not {"views", "api"}.isdisjoint(parts[:-1])


def offences_in(source: str, *, entry: bool) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)):
            continue
        model = node.value.value
        if not (isinstance(model, ast.Name) and model.id in SCOPED):
            continue
        manager = node.value.attr
        if manager == "objects" and node.attr not in SCOPED_ENTRIES:
            found.append(f"{node.lineno}: {model.id}.objects.{node.attr} reads without a scope")
        elif manager == "unscoped" and entry:
            found.append(f"{node.lineno}: {model.id}.unscoped in a view or API module")
    shortcuts = ("get_object_or_404", "get_list_or_404")
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") in shortcuts and node.args):
            continue
        if isinstance(node.args[0], ast.Name) and node.args[0].id in SCOPED:
            found.append(f"{node.lineno}: {node.func.id}({node.args[0].id}, …) reads without a scope")
    return found


def app_modules():
    for path in sorted((ROOT / "yimen").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in relative or "/migrations/" in relative:
            continue
        yield relative, path.read_text()


def test_no_app_code_reads_cases_or_persons_without_a_scope():
    offences = [
        f"{relative}:{found}"
        for relative, source in app_modules()
        for found in offences_in(source, entry=entry_point(relative))
    ]
    assert offences == []


def test_the_rule_sees_each_unscoped_read():
    source = "\n".join(
        [
            "Case.objects.filter(pk=1)",
            "Person.objects.all()",
            "get_object_or_404(Case, code='x')",
            "Case.unscoped.get(pk=1)",
            "Case.objects.visible_to(member).filter(pk=1)",
            "Person.objects.create(name='甲')",
        ]
    )
    assert len(offences_in(source, entry=False)) == 3
    assert sorted(o.split(":")[0] for o in offences_in(source, entry=True)) == ["1", "2", "3", "4"]
    assert entry_point("yimen/cases/views/lists.py") and entry_point("yimen/cases/api.py")
    assert entry_point("yimen/emergency/api/incidents.py") and entry_point("yimen/people/api_defence.py")
    assert not entry_point("yimen/cases/selectors.py")
