"""Serve the MplusKASSA stand-in over HTTP: ``python -m simulators.mplus --port 18083 --state .data/mplus.pkl``.

Seeds from the demo catalog (or loads ``--state`` when it exists) and writes the state back on shutdown.
Served this way, injected timeouts hang ``hang_s`` instead of raising (``in_process=False``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from simulators.mplus import MplusSimConfig, MplusState, create_app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m simulators.mplus", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=18083)  # the WSDL's own service address port
    parser.add_argument("--state", type=Path, default=None, help="state file (.json or pickle)")
    parser.add_argument("--articles", type=int, default=300, help="catalog size when seeding")
    parser.add_argument("--seed", type=int, default=42, help="catalog seed when seeding")
    parser.add_argument("--ident", default=None)
    parser.add_argument("--secret", default=None)
    args = parser.parse_args(argv)

    state = MplusState.load_or_seed(args.state, n_articles=args.articles, seed=args.seed)
    config = MplusSimConfig(in_process=False)
    if args.ident and args.secret:
        config.credentials = {args.ident: args.secret}
    try:
        uvicorn.run(create_app(state, config), host=args.host, port=args.port, log_level="warning")
    finally:
        if args.state is not None:
            state.save(args.state)


if __name__ == "__main__":
    main()
