#!/usr/bin/env python3
"""Regenerates abi/<Contract>.sol and abi/<Contract>.json from the contracts.

The Solidity interface comes from each contract's export-abi binary; the
events and argument structs, which export-abi leaves out, are taken from the
`event ...;` and `struct ... { ... }` declarations in the contract's `sol!`
blocks (and the shared access-control events), so the code stays the only
source. The JSON ABI is compiled from the
interface with solc (npm). With --check, nothing is written and the exit
status says whether abi/ matches the code.
"""
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED_EVENT_SOURCES = [ROOT / "crates/keel-components/src/access.rs"]


def contract_name(directory: pathlib.Path) -> str:
    return "".join(part.capitalize() for part in directory.name.split("-"))


def crate_name(directory: pathlib.Path) -> str:
    text = (directory / "Cargo.toml").read_text()
    return re.search(r'^name = "([^"]+)"', text, re.M).group(1)


def events(sources) -> list:
    found = []
    for source in sources:
        for line in source.read_text().splitlines():
            line = line.strip()
            if line.startswith("event ") and line.endswith(";") and line not in found:
                found.append(line)
    return found


def structs(sources, used_in: str) -> list:
    """`struct` declarations from sol! blocks that the interface uses but export-abi omits."""
    found = []
    for source in sources:
        for name, body in re.findall(r"^\s*struct (\w+) \{([^}]*)\}", source.read_text(), re.M):
            fields = " ".join(line.strip() for line in body.strip().splitlines())
            declaration = f"struct {name} {{ {fields} }}"
            if name in used_in and f"struct {name} " not in used_in and declaration not in found:
                found.append(declaration)
    return found


def interface(directory: pathlib.Path) -> str:
    out = subprocess.run(
        ["cargo", "run", "--quiet", "-p", crate_name(directory), "--features", "export-abi", "--", "abi"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    lines = out.splitlines()
    name = contract_name(directory)
    first = next(i for i, l in enumerate(lines) if l.startswith("interface "))
    header, blocks, current = lines[:first], [], []
    for line in lines[first:]:
        current.append(line)
        if line == "}":
            blocks.append(current)
            current = []
    main = next(b for b in blocks if b[0].startswith(f"interface I{name} "))
    sources = sorted((directory / "src").glob("*.rs")) + SHARED_EVENT_SOURCES
    declarations = structs(sources, out)
    main[1:1] = [f"    {d}" for d in declarations] + ([""] if declarations else [])
    main[-1:-1] = [""] + [f"    {e}" for e in events(sources)]
    # solc wants base interfaces declared before the interface that extends them.
    ordered = [b for b in blocks if b is not main] + [main]
    return "\n".join(header + ["\n\n".join("\n".join(b) for b in ordered)]) + "\n"


def json_abi(sol_file: pathlib.Path, name: str) -> str:
    return subprocess.run(
        ["node", str(ROOT / "tools/sol-abi.js"), str(sol_file), f"I{name}"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout


def main() -> int:
    check = "--check" in sys.argv
    abi_dir = ROOT / "abi"
    abi_dir.mkdir(exist_ok=True)
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for directory in sorted(p.parent for p in (ROOT / "contracts").glob("*/Cargo.toml")):
            name = contract_name(directory)
            sol = pathlib.Path(tmp) / f"{name}.sol"
            sol.write_text(interface(directory))
            generated = {f"{name}.sol": sol.read_text(), f"{name}.json": json_abi(sol, name)}
            for file, text in generated.items():
                target = abi_dir / file
                if check:
                    if not target.exists() or target.read_text() != text:
                        stale.append(file)
                else:
                    target.write_text(text)
                    print(f"wrote abi/{file}")
    if stale:
        print("abi/ is out of date with the code (run `make abi`): " + ", ".join(stale), file=sys.stderr)
        return 1
    if check:
        print("abi/ matches the code")
    return 0


if __name__ == "__main__":
    sys.exit(main())
