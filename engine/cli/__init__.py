"""The `subsidy` command: parse, call a service, render. The only place that prints.

Every :class:`EngineError` is caught in one place (:func:`main`): its message goes to
stderr with the exit code of its branch — 2 for input, 1 for an altered record,
3 for an internal fault —; never a traceback. Nothing is written with an ID number whole or a
raw control character (:mod:`engine.cli.output`). The commands are assembled in
:mod:`engine.cli.parser`, one module per command group.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from ..errors import EngineError, InputError, IntegrityError, InternalError
from ..privacy import mask_id_numbers
from .output import shown_streams
from .parser import build_parser, not_utf8, parser_for

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """The command ``argv`` names (default: this process's command line, which then ends
    with the command); its exit code."""
    with shown_streams():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    process_ends = argv is None
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = parser_for(argv)
    args = parser.parse_args(argv)
    undecodable = not_utf8(parser, args)
    if undecodable is not None:
        print(f"error: {undecodable}", file=sys.stderr)
        return 2
    args.process_ends = process_ends
    try:
        return int(args.func(args))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except IntegrityError as exc:
        print(f"ALTERED: {exc}", file=sys.stderr)
        return exc.exit_code
    except EngineError as exc:
        where = exc.details.get("traceback") if isinstance(exc, InternalError) else None
        if where and os.environ.get("SUBSIDY_DEBUG"):  # a worker's: where it happened, on request
            print(mask_id_numbers(str(where)), file=sys.stderr, end="")
        print(
            f"internal error: {exc}\nthis is a fault of the engine, not of the input; "
            "please report it (set SUBSIDY_DEBUG=1 to see where it happened)",
            file=sys.stderr,
        )
        return 3
    except KeyboardInterrupt:
        print("interrupted; everything recorded so far is kept", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so plainly; the traceback only on request
        if os.environ.get("SUBSIDY_DEBUG"):
            raise
        print(
            f"internal error: {type(exc).__name__}: {mask_id_numbers(str(exc))}\n"
            "this is a fault of the engine, not of the input; "
            "please report it (set SUBSIDY_DEBUG=1 to see where it happened)",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
