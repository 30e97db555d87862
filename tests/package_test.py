#!/usr/bin/env python3
"""The release package, built from this build tree and audited like a release.

    package_test.py SOURCE_DIR BUILD_DIR CHECK

CHECK is one of:
  build           CPack makes the .deb and .tar.gz into BUILD_DIR/package-test (CTest fixture)
  audit_deb       scripts/audit-package passes the .deb
  audit_tgz       scripts/audit-package passes the .tar.gz
  deb_runs        the .deb, extracted with dpkg-deb -x, holds a working omk, its man page and
                  its bash completion
  audit_rejects   doctored copies of the package (a .env file, a tests/ folder, a key file,
                  public/assets, a file outside the allowlist, a planted key in the docs, a file
                  over the size budget; a .deb with a .env) are rejected, each for its reason

The package is built from whatever build this is (the test build is Debug with sanitizers);
`make package` builds the Release one the same way.
"""
import json
import pathlib
import random
import re
import shutil
import string
import subprocess
import sys
import tarfile
import tempfile


def packages(build: pathlib.Path) -> dict:
    out = build / "package-test"
    debs = sorted(out.glob("*.deb"))
    tgzs = sorted(out.glob("*.tar.gz"))
    if len(debs) != 1 or len(tgzs) != 1:
        raise SystemExit(f"expected one .deb and one .tar.gz in {out} (did package.build run?)")
    return {"deb": debs[0], "tgz": tgzs[0]}


def budget_args(build_dir: pathlib.Path) -> list:
    """The release size budget, except for a sanitized build's binary (about 300 MB stripped
    with every layer, most of it UBSan check data and its relocations): the size rule itself is
    checked in audit_rejects with a small budget."""
    version = subprocess.run([str(build_dir / "omk"), "version", "--json"], capture_output=True,
                             text=True, check=True)
    if json.loads(version.stdout).get("sanitized"):
        return ["--max-file-mib", "640", "--max-total-mib", "1024"]
    return []


def audit(source: pathlib.Path, package: pathlib.Path, args: list) -> subprocess.CompletedProcess:
    # Run from a scratch directory: the secret scan must not pick up a project around it.
    with tempfile.TemporaryDirectory() as cwd:
        return subprocess.run([sys.executable, str(source / "scripts" / "audit-package"),
                               str(package), *args], cwd=cwd, capture_output=True, text=True)


def build(source: pathlib.Path, build_dir: pathlib.Path) -> list:
    out = build_dir / "package-test"
    shutil.rmtree(out, ignore_errors=True)
    result = subprocess.run(["cpack", "-G", "DEB;TGZ", "--config",
                             str(build_dir / "CPackConfig.cmake"), "-B", str(out)],
                            cwd=build_dir, capture_output=True, text=True)
    if result.returncode != 0:
        return [f"cpack failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"]
    packages(build_dir)
    # CPack's staging copy is large (an unstripped binary): keep only the packages.
    shutil.rmtree(out / "_CPack_Packages", ignore_errors=True)
    return []


def audit_passes(source: pathlib.Path, build_dir: pathlib.Path, kind: str) -> list:
    result = audit(source, packages(build_dir)[kind], budget_args(build_dir))
    print(result.stdout, result.stderr, sep="")
    if result.returncode != 0 or "audit-package: passed" not in result.stdout:
        return [f"audit of the {kind} failed (exit {result.returncode})"]
    return []


def deb_runs(source: pathlib.Path, build_dir: pathlib.Path) -> list:
    problems = []
    deb = packages(build_dir)["deb"]
    with tempfile.TemporaryDirectory() as scratch:
        root = pathlib.Path(scratch) / "root"
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
        omk = root / "usr" / "bin" / "omk"
        version = subprocess.run([str(omk), "version"], cwd=scratch, capture_output=True,
                                 text=True)
        expected = "omk " + (source / "CMakeLists.txt").read_text().split(
            "project(omk VERSION ", 1)[1].split()[0]
        if version.returncode != 0 or not version.stdout.startswith(expected):
            problems.append(f"packaged omk version: exit {version.returncode}, "
                            f"{version.stdout!r} {version.stderr!r} (expected {expected!r})")
        help_text = subprocess.run([str(omk), "image", "--help"], cwd=scratch,
                                   capture_output=True, text=True)
        if help_text.returncode != 0 or "generate" not in help_text.stdout:
            problems.append("packaged omk image --help does not work")
        for path in ["usr/share/man/man1/omk.1.gz", "usr/share/bash-completion/completions/omk",
                     "usr/share/doc/omk/README.md", "usr/share/doc/omk/SECURITY.md",
                     "usr/share/doc/omk/docs/images.md", "usr/share/doc/omk/docs/releasing.md",
                     "usr/share/omk/schemas/omk.image.v1.json"]:
            if not (root / path).is_file():
                problems.append(f"the .deb has no {path}")
        info = subprocess.run(["dpkg-deb", "-f", str(deb), "Package", "Version"],
                              capture_output=True, text=True, check=True).stdout
        if "Package: omk" not in info:
            problems.append(f"the .deb's control file: {info!r}")
    return problems


def fake_key() -> str:
    # Made up on every run, so no credential-shaped string is ever committed.
    alphabet = string.ascii_letters + string.digits
    return "ghp_" + "".join(random.SystemRandom().choice(alphabet) for _ in range(36))


def shrink_binary(binary: pathlib.Path, real_omk: pathlib.Path) -> None:
    """Doctored copies carry a small stand-in for bin/omk that runs this build's omk (which the
    audit runs for its secret scan), so each copy packs and audits in a fraction of a second."""
    binary.write_text(f'#!/bin/sh\nexec "{real_omk}" "$@"\n')
    binary.chmod(0o755)


def doctored_tgz(original: pathlib.Path, into: pathlib.Path, name: str, extra: dict,
                 real_omk: pathlib.Path) -> pathlib.Path:
    """A copy of the .tar.gz with `extra` ({path under the top folder: content}) added."""
    staging = into / f"{name}-tree"
    with tarfile.open(original) as archive:
        archive.extractall(staging)
    top = next(staging.iterdir())
    shrink_binary(top / "bin" / "omk", real_omk)
    for relative, content in extra.items():
        target = top / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    doctored = into / f"{name}.tar.gz"
    with tarfile.open(doctored, "w:gz", compresslevel=1) as archive:
        archive.add(top, arcname=top.name)
    return doctored


def doctored_deb(original: pathlib.Path, into: pathlib.Path, extra: dict,
                 real_omk: pathlib.Path) -> pathlib.Path:
    tree = into / "deb-tree"
    subprocess.run(["dpkg-deb", "-R", str(original), str(tree)], check=True)
    shrink_binary(tree / "usr" / "bin" / "omk", real_omk)
    for relative, content in extra.items():
        target = tree / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    doctored = into / "doctored.deb"
    subprocess.run(["dpkg-deb", "-Zgzip", "-z1", "--root-owner-group", "-b", str(tree),
                    str(doctored)], check=True, capture_output=True)
    return doctored


def audit_rejects(source: pathlib.Path, build_dir: pathlib.Path) -> list:
    problems = []
    built = packages(build_dir)
    budget = budget_args(build_dir)
    doc = "share/doc/omk"
    real_omk = build_dir / "omk"
    cases = [
        ("dotenv", {f"{doc}/.env": "OMK_DEBUG=1\n"}, f"{doc}/.env: forbidden file name"),
        ("tests-folder", {f"{doc}/docs/tests/case.md": "# a test\n"},
         f"{doc}/docs/tests/case.md: forbidden folder"),
        ("key-file", {f"{doc}/docs/server.pem": "not really a key\n"},
         f"{doc}/docs/server.pem: forbidden file name"),
        ("public-assets", {f"{doc}/public/assets/logo.svg": "<svg/>\n"},
         f"{doc}/public/assets/logo.svg: public/assets is source-only"),
        ("unlisted", {"lib/omk/plugin.so": "\x7fELF"}, "lib/omk/plugin.so: not in the allowlist"),
        ("planted-key", {f"{doc}/docs/notes.md": f"token: {fake_key()}\n"},
         "omk secrets scan found secrets"),
    ]
    with tempfile.TemporaryDirectory() as scratch:
        scratch = pathlib.Path(scratch)
        for name, extra, expected in cases:
            doctored = doctored_tgz(built["tgz"], scratch, name, extra, real_omk)
            result = audit(source, doctored, budget)
            failures = [line for line in result.stdout.splitlines() if line.startswith("  FAIL ")]
            planted = next(iter(extra))
            if result.returncode != 1 or expected not in result.stdout:
                problems.append(f"{name}: the audit did not reject it for '{expected}' "
                                f"(exit {result.returncode}):\n{result.stdout}{result.stderr}")
            # The doctored copy differs from the passing package by one file: nothing else fails.
            elif any(planted not in line and "secrets scan" not in line for line in failures):
                problems.append(f"{name}: failures beyond the planted file:\n{result.stdout}")
        # The size budget: a 2 MiB page against a 1 MiB budget.
        big = doctored_tgz(built["tgz"], scratch, "big", {f"{doc}/docs/big.md": "omk\n" * 2**19},
                           real_omk)
        result = audit(source, big, ["--max-file-mib", "1"])
        if result.returncode != 1 or not re.search(
                rf"{doc}/docs/big.md: 2097152 bytes is over the 1048576-byte budget",
                result.stdout):
            problems.append(f"big: the size budget was not enforced:\n{result.stdout}")
        deb = doctored_deb(built["deb"], scratch, {f"usr/{doc}/.env": "A=1\n"}, real_omk)
        result = audit(source, deb, budget)
        if result.returncode != 1 or f"{doc}/.env: forbidden file name" not in result.stdout:
            problems.append(f"doctored .deb: not rejected (exit {result.returncode}):\n"
                            f"{result.stdout}{result.stderr}")
    return problems


def main() -> int:
    source, build_dir = pathlib.Path(sys.argv[1]).resolve(), pathlib.Path(sys.argv[2]).resolve()
    check = sys.argv[3]
    checks = {
        "build": lambda: build(source, build_dir),
        "audit_deb": lambda: audit_passes(source, build_dir, "deb"),
        "audit_tgz": lambda: audit_passes(source, build_dir, "tgz"),
        "deb_runs": lambda: deb_runs(source, build_dir),
        "audit_rejects": lambda: audit_rejects(source, build_dir),
    }
    problems = checks[check]()
    for problem in problems:
        print(problem)
    print(f"{check}: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
