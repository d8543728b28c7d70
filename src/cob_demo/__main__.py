"""`python -m cob_demo calibrated | scale | hashes`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HASH_LIST = Path("src/cob_analysis/data/demo_exports.sha256")


def hashes(raw_dir: Path, out: Path) -> int:
    """Record the SHA-256 of the demo exports: only these may be pseudonymised with the demo key."""
    from cob_analysis.ingest.pseudonymise import file_sha256

    files = sorted(p for p in raw_dir.iterdir() if p.is_file() and not p.name.startswith("."))
    lines = [
        "# SHA-256 of the synthetic demo exports: only these may be pseudonymised with the demo key."
    ]
    lines += [f"{file_sha256(p)}  {p.name}" for p in files]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(files)} files listed in {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "calibrated":
        from cob_demo import calibrated

        return calibrated.main(argv[1:])
    if argv and argv[0] == "scale":
        from cob_demo import scale

        return scale.main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m cob_demo", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("calibrated", help="the seeded demo exports that reproduce the 2020 report")
    sub.add_parser("scale", help="uncalibrated exports of any size, for benchmarks")
    p = sub.add_parser("hashes", help="record the hashes of the demo exports (after `calibrated`)")
    p.add_argument("--raw-dir", type=Path, default=Path("data/raw"))
    p.add_argument(
        "--out",
        type=Path,
        default=HASH_LIST,
        help=f"the list the demo key is checked against ({HASH_LIST})",
    )
    args = parser.parse_args(argv)
    return hashes(args.raw_dir, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
