#!/usr/bin/env python3
"""Keeps docs true: every config key and env override is documented, and the security model
gives each of DESIGN.md's ten promises an explicit status."""
import json
import pathlib
import re
import subprocess
import sys
import tempfile


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    omk = sys.argv[2]
    problems = []

    with tempfile.TemporaryDirectory() as project:
        shown = subprocess.run([omk, "--project", project, "config", "show", "--json"],
                               capture_output=True, text=True, check=True)
    keys = json.loads(shown.stdout)["keys"]
    configuration = (root / "docs" / "configuration.md").read_text(encoding="utf-8")
    for key in keys:
        if f"`{key['key']}`" not in configuration:
            problems.append(f"docs/configuration.md does not document `{key['key']}`")
        if "env" in key and f"`{key['env']}`" not in configuration:
            problems.append(f"docs/configuration.md does not document `{key['env']}`")

    model = (root / "docs" / "security-model.md").read_text(encoding="utf-8")
    for number in range(1, 11):
        heading = re.search(rf"^## {number}\. .*$", model, re.M)
        if not heading:
            problems.append(f"docs/security-model.md has no section for promise {number}")
            continue
        section = model[heading.end():]
        following = re.search(r"^## ", section, re.M)
        section = section[:following.start()] if following else section
        if not re.search(r"^\*\*(Enforced|Partly enforced|Planned)\b", section.strip()):
            problems.append(f"docs/security-model.md promise {number} has no status line")

    for problem in problems:
        print(problem)
    print(f"docs: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
