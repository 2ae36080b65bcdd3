"""The apps import only downward, and their relations point only downward.

The order is the one docs/architecture.md draws. A module belongs to the layer of its
longest package prefix, so `secretariat.meetings` importing `secretariat.models` is
upward while `secretariat` importing `secretariat.meetings` is not.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

ROOT = Path(__file__).resolve().parent.parent

# Lowest first.
LAYERS = (
    "alliance",
    "members",
    "themes",
    "themes.proposals",
    "monitoring",
    "secretariat.meetings",
    "secretariat",
)

# The wiring names the apps and so sits above them all: the settings list them and the
# root urlconf mounts their urls. The Celery app and the servers name no app and stay
# checked.
WIRING_MODULES = frozenset({"alliance.settings", "alliance.urls"})

# Django's and guardian's models lie below every layer. So does the user model: a
# relation reaches it through settings.AUTH_USER_MODEL, Django's contract for the
# swappable user, as it would reach auth.User, not through an import of members.
BELOW_ALL_LAYERS = frozenset({"auth", "contenttypes", "guardian"})


def layer_of(dotted_name):
    """Return the layer of a dotted module or attribute name; None outside the apps."""
    matches = [
        layer
        for layer in LAYERS
        if dotted_name == layer or dotted_name.startswith(layer + ".")
    ]
    return max(matches, key=len, default=None)


def rank(layer):
    return LAYERS.index(layer)


def imported_names(tree, module, is_package):
    """Yield (line, dotted name) for every import in the tree, nested ones included.

    `from package import name` yields `package.name`, since the name may be a module of
    its own: `from secretariat import documents` is an import of secretariat.documents.
    """
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module
            for alias in node.names:
                if alias.name == "*":
                    yield node.lineno, source
                else:
                    yield node.lineno, f"{source}.{alias.name}"


def upward_imports(source, module, *, is_package=False):
    """Return one line for each import of `source` that goes to a higher layer."""
    own_layer = layer_of(module)
    problems = []
    tree = ast.parse(source)
    for line, name in sorted(imported_names(tree, module, is_package)):
        target_layer = layer_of(name)
        if target_layer and rank(target_layer) > rank(own_layer):
            problems.append(
                f"{module}:{line} imports {name} ({own_layer} → {target_layer})"
            )
    return problems


def app_modules(root):
    """Yield (dotted name, path, is_package) for every Python module of the apps."""
    for top in sorted({layer.partition(".")[0] for layer in LAYERS}):
        for path in sorted((root / top).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            yield ".".join(parts), path, is_package


def upward_imports_under(root):
    """Return the upward imports of every module of the apps under `root`."""
    problems = []
    for module, path, is_package in app_modules(root):
        if module not in WIRING_MODULES:
            source = path.read_text(encoding="utf-8")
            problems += upward_imports(source, module, is_package=is_package)
    return problems


def test_modules_import_only_from_their_own_or_lower_layers():
    assert len(list(app_modules(ROOT))) > 100, "the walk should find the apps' modules"
    problems = upward_imports_under(ROOT)
    assert not problems, "Upward imports:\n" + "\n".join(problems)


def test_every_wiring_module_exists():
    """A renamed wiring module must leave the exemption list too."""
    for module in WIRING_MODULES:
        assert (ROOT / (module.replace(".", "/") + ".py")).is_file(), module


def upward_relations(model, layer):
    """Return one line for each relation of `model` to a model above `layer`."""
    problems = []
    for field in model._meta.get_fields():
        if field.auto_created or not (
            field.many_to_one or field.one_to_one or field.many_to_many
        ):
            continue
        target = field.related_model
        if target is None or target._meta.app_label in BELOW_ALL_LAYERS:
            continue
        if target is get_user_model():
            continue
        target_layer = layer_of(target._meta.app_config.name)
        if target_layer is None or rank(target_layer) > rank(layer):
            problems.append(
                f"{model._meta.label}.{field.name} → {target._meta.label} "
                f"({layer} → {target_layer or target._meta.app_config.name})"
            )
    return problems


def test_relations_point_to_the_same_or_a_lower_layer():
    problems = []
    models = [
        model
        for config in apps.get_app_configs()
        if config.name in LAYERS
        for model in config.get_models()
    ]
    assert len(models) > 30, "the walk should find the apps' models"
    for model in models:
        problems += upward_relations(model, layer_of(model._meta.app_config.name))
    assert not problems, "Relations to a higher layer:\n" + "\n".join(problems)


def test_checker_reports_a_relation_to_a_higher_layer():
    from secretariat.meetings.models import Attendance

    assert upward_relations(Attendance, "members") == [
        "meetings.Attendance.meeting → meetings.Meeting "
        "(members → secretariat.meetings)"
    ]
    assert upward_relations(Attendance, "secretariat.meetings") == []


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("secretariat.meetings", "secretariat"),
        ("members", "themes"),
        ("themes", "themes.proposals"),
        ("secretariat.meetings.x", "secretariat.y"),
        ("alliance.x", "members.y"),
    ],
)
def test_a_higher_name_is_a_higher_layer(module, name):
    assert rank(layer_of(name)) > rank(layer_of(module))


def test_layer_is_the_longest_package_prefix():
    assert layer_of("secretariat.meetings.models") == "secretariat.meetings"
    assert layer_of("secretariat.models") == "secretariat"
    assert layer_of("secretariat.meetingsx") == "secretariat"
    assert layer_of("themes.proposals.services") == "themes.proposals"
    assert layer_of("django.db.models") is None


def test_checker_reports_a_planted_upward_import(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text(
        "from django.db import models\n"
        "from secretariat.meetings.models import Meeting\n"
        "\n"
        "from secretariat import documents\n"
        "import monitoring.models\n",
        encoding="utf-8",
    )
    problems = upward_imports(
        planted.read_text(encoding="utf-8"), "secretariat.meetings.planted"
    )
    assert problems == [
        "secretariat.meetings.planted:4 imports secretariat.documents "
        "(secretariat.meetings → secretariat)",
    ]

    problems = upward_imports(planted.read_text(encoding="utf-8"), "members.planted")
    assert problems == [
        "members.planted:2 imports secretariat.meetings.models.Meeting "
        "(members → secretariat.meetings)",
        "members.planted:4 imports secretariat.documents (members → secretariat)",
        "members.planted:5 imports monitoring.models (members → monitoring)",
    ]


def test_checker_reports_an_upward_import_inside_a_function():
    source = (
        "def agenda_for(measure):\n"
        "    from secretariat.meetings.selectors import agenda_items\n"
        "    return agenda_items(measure)\n"
    )
    assert upward_imports(source, "themes.views") == [
        "themes.views:2 imports secretariat.meetings.selectors.agenda_items "
        "(themes → secretariat.meetings)",
    ]


def test_checker_resolves_relative_imports():
    def names(source, module, is_package=False):
        tree = ast.parse(source)
        return [name for _, name in imported_names(tree, module, is_package)]

    assert names("from .. import models", "secretariat.meetings.views.agenda") == [
        "secretariat.meetings.models"
    ]
    assert names("from .models import Meeting", "secretariat.meetings.views") == [
        "secretariat.meetings.models.Meeting"
    ]
    assert names("from . import views", "secretariat.meetings", is_package=True) == [
        "secretariat.meetings.views"
    ]
    assert upward_imports(
        "from .. import documents\n", "secretariat.meetings", is_package=True
    ) == [
        "secretariat.meetings:1 imports secretariat.documents "
        "(secretariat.meetings → secretariat)"
    ]
    assert upward_imports("from .meetings import models\n", "secretariat.views") == []


def test_walk_reports_planted_modules_nested_imports_included(tmp_path):
    meetings = tmp_path / "secretariat" / "meetings"
    meetings.mkdir(parents=True)
    (tmp_path / "secretariat" / "__init__.py").write_text("from . import meetings\n")
    (meetings / "__init__.py").write_text("")
    (meetings / "planted.py").write_text(
        "def publish():\n    from ..documents import agenda_pdf\n"
    )
    alliance = tmp_path / "alliance"
    alliance.mkdir()
    (alliance / "urls.py").write_text("import secretariat.urls\n")
    (alliance / "planted.py").write_text("import members.models\n")

    assert upward_imports_under(tmp_path) == [
        "alliance.planted:1 imports members.models (alliance → members)",
        "secretariat.meetings.planted:2 imports secretariat.documents.agenda_pdf "
        "(secretariat.meetings → secretariat)",
    ]
