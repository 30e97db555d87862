#!/usr/bin/env python3
"""Repository rules that keep releases honest.

    repo_policy_test.py SOURCE_DIR CHECK

CHECK is one of:
  security_docs_agree  SECURITY.md and docs/security-model.md give every promise the same status
  asset_provenance     every file under docs/assets/ has a row in docs/assets/PROVENANCE.md, and
                       nothing from public/assets/ is installed or copied into docs/assets/
"""
import hashlib
import pathlib
import re
import sys


def security_docs_agree(root: pathlib.Path) -> list:
    problems = []
    model = (root / "docs" / "security-model.md").read_text(encoding="utf-8")
    policy = (root / "SECURITY.md").read_text(encoding="utf-8")
    for number in range(1, 11):
        heading = re.search(rf"^## {number}\. .*$", model, re.M)
        section = model[heading.end():] if heading else ""
        status = re.search(r"\*\*(Enforced|Partly enforced|Planned)\b", section)
        claim = re.search(rf"^- Promise {number}, .*?: (Enforced|Partly enforced|Planned)\b",
                          policy, re.M)
        if not status or not claim:
            problems.append(f"promise {number}: status missing "
                            f"({'SECURITY.md' if not claim else 'docs/security-model.md'})")
        elif status.group(1) != claim.group(1):
            problems.append(f"promise {number}: docs/security-model.md says {status.group(1)}, "
                            f"SECURITY.md says {claim.group(1)}")
    # Claims beyond the ten promises: a section "## Name" whose first line is a status in
    # docs/security-model.md, and a line "- Name: Status" in SECURITY.md, in both directions.
    sections = {m.group(1): m.group(2) for m in re.finditer(
        r"^## ([A-Za-z][^\n]*)\n\n\*\*(Enforced|Partly enforced|Planned)\b", model, re.M)}
    claims = {m.group(1): m.group(2) for m in re.finditer(
        r"^- ((?!Promise \d)[A-Z][^:\n]*): (Enforced|Partly enforced|Planned)\b", policy, re.M)}
    for name in sorted(set(sections) | set(claims)):
        if name not in claims:
            problems.append(f"'{name}': docs/security-model.md says {sections[name]}, "
                            f"SECURITY.md has no '- {name}: <status>' line")
        elif name not in sections:
            problems.append(f"'{name}': SECURITY.md says {claims[name]}, docs/security-model.md "
                            f"has no '## {name}' section with a status line")
        elif sections[name] != claims[name]:
            problems.append(f"'{name}': docs/security-model.md says {sections[name]}, "
                            f"SECURITY.md says {claims[name]}")
    return problems


def asset_provenance(root: pathlib.Path) -> list:
    problems = []
    assets = root / "docs" / "assets"
    table = (assets / "PROVENANCE.md").read_text(encoding="utf-8")
    rows = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] not in ("file", "") and not set(cells[0]) <= set("-"):
            rows[cells[0].strip("`")] = cells
    for path in sorted(assets.rglob("*")):
        if path.is_dir() or path.name == "PROVENANCE.md":
            continue
        name = path.relative_to(assets).as_posix()
        cells = rows.get(name)
        if not cells:
            problems.append(f"docs/assets/{name} has no row in docs/assets/PROVENANCE.md")
        elif any(not cell for cell in cells[1:]):
            problems.append(f"docs/assets/{name}: origin, licence, reviewer and date are required")
    public = root / "public" / "assets"
    if public.is_dir():
        public_hashes = {hashlib.sha256(p.read_bytes()).hexdigest(): p
                         for p in public.rglob("*") if p.is_file()}
        for path in assets.rglob("*"):
            if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() in public_hashes \
                    and path.relative_to(assets).as_posix() not in rows:
                problems.append(f"docs/assets/{path.name} is a copy of a public/assets file "
                                f"without provenance")
    for cmake in [root / "CMakeLists.txt", *sorted((root / "cmake").glob("*.cmake"))]:
        if re.search(r"install\([^)]*public", cmake.read_text(encoding="utf-8")):
            problems.append(f"{cmake.name} installs something from public/")
    return problems


def main() -> int:
    root, check = pathlib.Path(sys.argv[1]), sys.argv[2]
    problems = {"security_docs_agree": security_docs_agree,
                "asset_provenance": asset_provenance}[check](root)
    for problem in problems:
        print(problem)
    print(f"{check}: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
