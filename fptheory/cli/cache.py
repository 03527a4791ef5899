"""``fptheory cache``: where derived results are kept between runs (``info``), and emptying it
(``clear``). See :mod:`fptheory.core.cache` for what is stored and how it is keyed."""

from __future__ import annotations

import argparse
import json

__all__ = ["register"]


def _cmd_cache(args: argparse.Namespace) -> int:
    from fptheory.core import cache as disk

    if args.action == "clear":
        removed = disk.clear()
        if args.json:
            print(json.dumps({"folder": str(disk.cache_dir()), "removed": removed}))
        else:
            print(f"removed {removed} cache entr{'y' if removed == 1 else 'ies'} from "
                  f"{disk.cache_dir()}")
        return 0
    found = disk.info()
    if args.json:
        print(json.dumps(found, indent=2))
        return 0
    print(f"cache folder: {found['folder']} ({'on' if found['enabled'] else 'off'})")
    if not found["namespaces"]:
        print("no entries")
    for name, space in sorted(found["namespaces"].items()):
        print(f"  {name}: {space['entries']} entries, {space['bytes'] / 1024:.1f} KiB")
    print("entries are keyed by a hash of the library source and the sympy, mpmath and "
          "python-flint versions: after an upgrade or an edit, old ones are never used")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    cache = sub.add_parser(
        "cache", help="show or clear the cache of derived results",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Derived base transforms, passed numeric cross-checks and the verdicts of\n"
                    "fptheory check are kept on disk between runs, keyed by the inputs, a hash of\n"
                    "the library source and the library versions. The folder is\n"
                    "$FPTHEORY_CACHE_DIR, else $XDG_CACHE_HOME/fptheory, else ~/.cache/fptheory;\n"
                    "FPTHEORY_NO_CACHE=1 turns the cache off.",
        epilog="examples:\n  fptheory cache info\n  fptheory cache clear")
    cache.add_argument("action", choices=("info", "clear"),
                       help="info: folder and entries; clear: remove every entry")
    cache.add_argument("--json", action="store_true", help="print one JSON object")
    cache.set_defaults(func=_cmd_cache)
