"""examples/ci: full-depth checkouts, the right commands, and every sitegen command line
in them accepted by sitegen's own argument parser."""

from __future__ import annotations

import re
import shlex

import yaml

from sitegen.cli import build_parser
from tests.support import ROOT

EXAMPLES = ROOT / "examples" / "ci"


def sitegen_commands(scripts: list[str]) -> list[list[str]]:
    out = []
    for script in scripts:
        for line in script.splitlines():
            line = line.strip()
            if line.startswith("sitegen "):
                line = re.sub(r"\$\{\{[^}]*\}\}", "X", line)  # ${{ github.… }}
                line = re.sub(r"\$\{[^}]*\}|\$\w+", "X", line)  # $VAR, ${VAR:-…}
                out.append(shlex.split(line.split(" > ")[0].split(" || ")[0])[1:])
    return out


def parses(args: list[str]) -> None:
    build_parser().parse_args(args)  # exits (SystemExit) on anything it does not accept


def test_gitea_actions():
    flow = yaml.safe_load((EXAMPLES / "gitea-actions.yml").read_text("utf-8"))
    review, publish = flow["jobs"]["review"]["steps"], flow["jobs"]["publish"]["steps"]
    for steps in (review, publish):
        checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
        assert checkout["with"]["fetch-depth"] == 0
    runs = "\n".join(s.get("run", "") for s in review)
    assert "--format github" in runs and "sitegen diff" in runs and "--no-pdf" in runs
    assert "/issues/${{ github.event.pull_request.number }}/comments" in str(review) and "curl" in runs
    assert any(s.get("uses", "").startswith("actions/upload-artifact") for s in review)
    runs = "\n".join(s.get("run", "") for s in publish)
    assert "--published-info" in runs and "sitegen publish output" in runs
    commands = sitegen_commands([s.get("run", "") for s in review + publish])
    assert {c[0] for c in commands} == {"check", "diff", "build", "publish"}
    for c in commands:
        parses(c)


def test_gitlab_ci():
    ci = yaml.safe_load((EXAMPLES / "gitlab-ci.yml").read_text("utf-8"))
    assert ci["variables"]["GIT_DEPTH"] == "0"
    assert ci["check"]["artifacts"]["reports"] == {"codequality": "gl-code-quality.json", "junit": "sitegen-junit.xml"}
    review = "\n".join(ci["review"]["script"])
    assert "sitegen diff" in review and "/merge_requests/$CI_MERGE_REQUEST_IID/notes" in review
    assert "PRIVATE-TOKEN: $SITEGEN_TOKEN" in review and ci["review"]["artifacts"]["paths"] == ["preview/"]
    assert ci["publish"]["resource_group"] == "publish" and "dangwu-web" in ci["publish"]["tags"]
    commands = sitegen_commands([*ci["check"]["script"], *ci["review"]["script"], *ci["publish"]["script"]])
    assert {c[0] for c in commands} == {"check", "diff", "build", "publish"}
    for c in commands:
        parses(c)
