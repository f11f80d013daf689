"""The fault knobs of a stand-in, changed while it runs: validation, and the `/_sim/faults` endpoint.

Each stand-in names its knobs in a pydantic model (`AfasFaults`, `MplusFaults`) that its config extends, so
the flags of `afas-mplus simulate`, this endpoint and the app read one set of names, types and bounds.

    GET    /_sim/faults   the knobs now, as JSON
    PUT    /_sim/faults   {"knob": value, ...}: set the named knobs, the others keep their value (PATCH too)
    DELETE /_sim/faults   back to the values the app was created with (the `simulate` flags included)

A change is validated whole before anything is set: an unknown knob or a bad value is a 400
{"error": "<knob>: <why>"} and changes nothing. Like /_sim/stats, it asks no credentials.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    from starlette.routing import Route


class FaultError(ValueError):
    """A change names an unknown knob or gives a bad value; the message is one line naming the knob."""


def current(config: BaseModel, knobs: type[BaseModel]) -> dict[str, Any]:
    return {name: getattr(config, name) for name in knobs.model_fields}


def one_line(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "body"
        what = "not a knob of this stand-in" if err["type"] == "extra_forbidden" else err["msg"]
        parts.append(f"{where}: {what}")
    return "; ".join(parts)


def apply(config: BaseModel, knobs: type[BaseModel], changes: dict[str, Any]) -> dict[str, Any]:
    """Set `changes` on `config` after validating them together with the other knobs; returns the knobs."""
    if not isinstance(changes, dict):
        raise FaultError("expected a JSON object of knob: value")
    try:
        merged = knobs.model_validate({**current(config, knobs), **changes})
    except ValidationError as exc:
        raise FaultError(one_line(exc)) from None
    for name in changes:
        setattr(config, name, getattr(merged, name))
    return current(config, knobs)


def faults_route(config: BaseModel, knobs: type[BaseModel]) -> Route:
    """`/_sim/faults` over `config`; DELETE restores the knobs as they are now, when the app is created."""
    # Starlette only here: the CLI imports this module for its validation on every start, never the route.
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    initial = copy.deepcopy(current(config, knobs))

    async def endpoint(request: Request) -> Response:
        try:
            if request.method in ("PUT", "PATCH"):
                try:
                    changes = json.loads(await request.body() or b"{}")
                except ValueError as exc:
                    raise FaultError(f"the body is not JSON ({exc})") from None
                return JSONResponse(apply(config, knobs, changes))
            if request.method == "DELETE":
                return JSONResponse(apply(config, knobs, copy.deepcopy(initial)))
        except FaultError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(current(config, knobs))

    return Route("/_sim/faults", endpoint, methods=["GET", "PUT", "PATCH", "DELETE"])
