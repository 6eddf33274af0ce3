"""What `ghstore init` puts into a checkout of the user's repository: the workflow that runs the
processor (`.github/workflows/process_update.yml`, rendered from the packaged template and the
repository's configuration) and, if absent, the configuration itself (`.github/ghstore.yml`);
with `--pages`, the workflow that publishes `ghstore site` to GitHub Pages
(`.github/workflows/publish_site.yml`)."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

from attrs import frozen

from .._source import SOURCE
from .._version import __version__
from ..config import REPOSITORY_CONFIG_PATH, Config
from ..exceptions import ConfigurationError

__all__ = [
    "ACTION_DIR",
    "SITE_ACTION_DIR",
    "SITE_WORKFLOW_PATH",
    "WORKFLOW_PATH",
    "PlannedFile",
    "action_reference",
    "checkout_root",
    "config_text",
    "plan_config",
    "plan_site_workflow",
    "plan_workflow",
    "render_site_workflow",
    "render_workflow",
]

WORKFLOW_PATH = ".github/workflows/process_update.yml"
"""The workflow's path: the name gh-store users know."""
ACTION_DIR = ".github/actions/process-updates"
"""The composite action, inside ghstore's own repository."""
SITE_WORKFLOW_PATH = ".github/workflows/publish_site.yml"
"""The workflow that publishes the site to GitHub Pages."""
SITE_ACTION_DIR = ".github/actions/build-site"
"""The composite action that writes the site, inside ghstore's own repository."""
_SOURCE_SPEC = re.compile(r"^([A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+)@([0-9a-f]{40})$")


@frozen
class PlannedFile:
    """A file init writes: where, what, and what writing it does to the checkout."""

    path: str
    content: str
    status: str
    """"create", "update", "unchanged" or "keep" (the user's own file stays as it is)."""

    @property
    def changes(self) -> bool:
        """Writing it changes the checkout."""
        return self.status in ("create", "update")

    def write(self, root: Path) -> None:
        """Write it under `root` if that changes anything."""
        if self.changes:
            target = root / self.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(self.content, encoding="utf-8")


def action_reference(source: str | None = None, action_dir: str = ACTION_DIR) -> str:
    """`uses:` of an action of ghstore's (by default process-updates):
    OWNER/REPO/ACTION_DIR@COMMIT, from `source` (OWNER/REPO@COMMIT) or the source this build
    was released from."""
    spec = source or SOURCE
    if spec is None:
        raise ConfigurationError(
            "this ghstore was not built by a release, so the commit of its action is not "
            "known: pass --action OWNER/REPO@COMMIT (ghstore's repository, a full commit id)"
        )
    found = _SOURCE_SPEC.match(spec)
    if found is None:
        raise ConfigurationError(
            f"--action {spec!r}: expected OWNER/REPO@COMMIT with a full 40-hex commit id "
            "(a tag or branch can move; a commit cannot)"
        )
    return f"{found[1]}/{action_dir}@{found[2]}"


def _expression_list(values: tuple[str, ...]) -> str:
    """A JSON array inside a single-quoted workflow expression string."""
    return json.dumps(list(values), separators=(",", ":")).replace("'", "''")


def _render(template_name: str, values: dict[str, str]) -> str:
    template = resources.files("ghstore.cli").joinpath("templates", template_name)
    text = template.read_text(encoding="utf-8")
    for placeholder, value in {"@VERSION@": __version__, **values}.items():
        text = text.replace(placeholder, value)
    return text


def render_workflow(config: Config, action: str) -> str:
    """The workflow, for the repository's configuration and the pinned action."""
    authorized = config.store.authorized
    return _render(
        "process_update.yml",
        {
            "@ACTION@": action,
            "@BASE_LABEL@": config.store.base_label.replace("'", "''"),
            "@ASSOCIATIONS@": _expression_list(authorized.associations),
            "@USERS@": _expression_list(authorized.users),
        },
    )


def render_site_workflow(site_action: str) -> str:
    """The workflow that publishes the site, running the pinned build-site action."""
    return _render("publish_site.yml", {"@SITE_ACTION@": site_action})


def config_text(config: Config | None = None) -> str:
    """A configuration file: every key with its value (the defaults unless given)."""
    import yaml  # noqa: PLC0415 - loaded only where a file is written or read

    from ..records import unstructure  # noqa: PLC0415

    plain = json.loads(json.dumps(unstructure(config or Config())))  # tuples -> lists
    body = yaml.safe_dump(plain, sort_keys=False, default_flow_style=False)
    return (
        "# ghstore's configuration (gh-store 0.11's keys and ghstore's own). In a repository,\n"
        f"# {REPOSITORY_CONFIG_PATH} on the default branch is read by every processor run;\n"
        "# after changing store.authorized, run `ghstore init --workflow` again so the\n"
        "# workflow skips the same comments.\n" + body
    )


def checkout_root(start: Path) -> Path:
    """The top of the git checkout `start` is in."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    raise ConfigurationError(
        f"{start} is not inside a git checkout: run `ghstore init --workflow` (or --pages) "
        "in a checkout of the repository that stores the objects"
    )


def _status(path: Path, content: str) -> str:
    if not path.exists():
        return "create"
    return "unchanged" if path.read_text(encoding="utf-8") == content else "update"


def plan_config(root: Path, path: str = REPOSITORY_CONFIG_PATH) -> PlannedFile:
    """The repository's configuration file: written with the defaults only if absent."""
    target = root / path
    if target.exists():
        return PlannedFile(path, target.read_text(encoding="utf-8"), "keep")
    return PlannedFile(path, config_text(), "create")


def plan_workflow(root: Path, config: Config, action: str) -> PlannedFile:
    """The workflow file, rendered for `config`."""
    content = render_workflow(config, action)
    return PlannedFile(WORKFLOW_PATH, content, _status(root / WORKFLOW_PATH, content))


def plan_site_workflow(root: Path, site_action: str) -> PlannedFile:
    """The workflow file that publishes the site to GitHub Pages."""
    content = render_site_workflow(site_action)
    return PlannedFile(SITE_WORKFLOW_PATH, content, _status(root / SITE_WORKFLOW_PATH, content))
