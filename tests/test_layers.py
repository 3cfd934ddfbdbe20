"""Apps talk through each other's public names only (DESIGN §4: "through their public services
and selectors, never their private names"): no module under yimen/ imports a name, or from a
module, starting with "_" out of another app. A helper two apps need is published under a
public name (cases.timeline.record, core.calendar.day_start, core.text.clean_text …)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# (importing file, imported module) → why the exception is needed. Keep it short.
ALLOWED: dict[tuple[str, str], str] = {}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def app_of(dotted: str) -> str:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "yimen" else "yimen"


def private_imports(source: str, module: str) -> list[str]:
    """Each `from yimen.<other app>… import _x` (or through a private module) in `source`,
    the code of `module` (dotted), as "line: module.name"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            targets = [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            targets = [(alias.name, "") for alias in node.names]
        else:
            continue
        for target, name in targets:
            if not target.startswith("yimen.") or app_of(target) == app_of(module):
                continue
            if _private(name) or any(_private(part) for part in target.split(".")):
                found.append(f"{node.lineno}: {target}{'.' + name if name else ''}")
    return found


def test_no_app_imports_another_apps_private_names():
    offences = []
    for path in sorted((ROOT / "yimen").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        module = relative.removesuffix(".py").replace("/", ".")
        for found in private_imports(path.read_text(), module):
            reached = found.split(": ", 1)[1]
            if not any(file == relative and f"{reached}.".startswith(f"{m}.") for file, m in ALLOWED):
                offences.append(f"{relative}:{found}")
    assert offences == []


def test_the_rule_sees_each_way_of_reaching_a_private_name():
    petitions = "yimen.petitions.services"
    source = "\n".join(
        [
            "from yimen.cases.services._base import _event",  # private module and name
            "from yimen.cases.selectors import _day_start",  # private name
            "from yimen.cases.services import _base",  # private module as a name
            "import yimen.cases.services._base",  # plain import of a private module
            "from yimen.cases import timeline",  # public: fine
            "from yimen.petitions.rules import _own",  # its own app: fine
            "from . import _sibling",  # relative, so its own app: fine
        ]
    )
    assert private_imports(source, petitions) == [
        "1: yimen.cases.services._base._event",
        "2: yimen.cases.selectors._day_start",
        "3: yimen.cases.services._base",
        "4: yimen.cases.services._base",
    ]
