"""A script that guesses workshop codes, for the join limit's drill.

Usage: .venv/bin/python benchmarks/join_guessing.py URL [--guesses 1000]

It behaves as the worst script the join page expects: every guess from a new
browser (no cookies kept), each loading the form first for its tokens, all from
one address. It stops after `--guesses` tries, whatever it gets back, and
prints one line of JSON: how many guesses, and the status codes it saw. The
point is what people at the same address get meanwhile: a right code must
still get in (tests/workshops/test_join_drill.py).
"""

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Browser, RequestFailed  # noqa: E402

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the portal, e.g. http://127.0.0.1:8000")
    parser.add_argument("--guesses", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    port = urlsplit(args.url).port or 80
    rng = random.Random(args.seed)
    seen = Counter()
    started = time.perf_counter()
    for _ in range(args.guesses):
        code = "".join(rng.choice(ALPHABET) for _ in range(7))
        try:
            status, _headers, _body = Browser(port, timeout=10).post_form(
                "/delta/", {"code": code, "name": "Bot"}
            )
        except RequestFailed as failed:
            seen[failed.kind] += 1
            continue
        seen[str(status)] += 1
    print(
        json.dumps(
            {
                "guesses": args.guesses,
                "seconds": round(time.perf_counter() - started, 1),
                "statuses": dict(seen),
            }
        )
    )


if __name__ == "__main__":
    main()
