#!/usr/bin/env python3
"""Fails when a file reaches a layer below its own (DESIGN.md "Architecture").

Checks both the #include lines under src/ and the DEPS of each omk_layer() in CMake.
"""
import pathlib
import re
import sys

ORDER = ["core", "safety", "process", "sandbox", "mcp", "providers", "runs", "routing", "dag",
         "repl", "cli"]
RANK = {name: i for i, name in enumerate(ORDER)}


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    problems = []
    include = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/')
    for path in sorted((root / "src").rglob("*")):
        if path.suffix not in (".h", ".cc", ".in"):
            continue
        layer = path.relative_to(root / "src").parts[0]
        if layer not in RANK:
            problems.append(f"{path}: src/{layer} is not a layer of DESIGN.md")
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = include.match(line)
            if match and match.group(1) in RANK and RANK[match.group(1)] > RANK[layer]:
                problems.append(f"{path}:{number}: layer '{layer}' includes '{match.group(1)}', "
                                f"which is below it")
    layer_call = re.compile(r"omk_layer\((\w+)(.*?)\)", re.S)
    for cmake in sorted((root / "src").rglob("CMakeLists.txt")):
        for match in layer_call.finditer(cmake.read_text(encoding="utf-8")):
            name, body = match.group(1), match.group(2)
            deps = re.search(r"DEPS\s+([\w\s]+?)(?:\s+(?:LIBS|SOURCES)\b|$)", body)
            for dep in (deps.group(1).split() if deps else []):
                if dep not in RANK or RANK[dep] >= RANK[name]:
                    problems.append(f"{cmake}: omk_layer({name}) depends on '{dep}', "
                                    f"which is not above it")
    for problem in problems:
        print(problem)
    print(f"layering: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
