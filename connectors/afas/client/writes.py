"""Writing: UpdateConnector inserts, updates, sub-object inserts and deletes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from .. import codec
from ..errors import AfasError
from ..filters import Op, format_value
from .calls import AfasCalls, segment


class WriteCalls(AfasCalls):
    """UpdateConnectors."""

    async def insert(self, connector: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """POST a new record; returns AFAS's `results` (e.g. {"FbSales": {"OrNu": "123"}}) or {}."""
        return await self._write("POST", connector, f"connectors/{segment(connector)}", body)

    async def update(self, connector: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """PUT changed fields (key fields included; "" clears a field)."""
        return await self._write("PUT", connector, f"connectors/{segment(connector)}", body)

    async def insert_sub(self, connector: str, sub_object: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """POST to /connectors/{Conn}/{SubObject}: updates the root and inserts sub-records."""
        path = f"connectors/{segment(connector)}/{segment(sub_object)}"
        return await self._write("POST", connector, path, body)

    async def delete(self, connector: str, object_name: str, keys: Mapping[str, Any]) -> None:
        """DELETE /connectors/{Conn}/{Object}/@K1,@K2/v1,v2."""
        if not keys:
            raise ValueError("delete needs at least one key field")
        names, values = [], []
        for name, value in keys.items():
            text = format_value(value, Op.EQ)
            if "," in text or "," in name:
                raise ValueError(f"a delete key cannot contain ',' (AFAS has no escaping): {name}={text!r}")
            names.append(quote(name if name.startswith("@") else f"@{name}", safe="@"))
            values.append(quote(text, safe=""))
        path = f"connectors/{segment(connector)}/{segment(object_name)}/{','.join(names)}/{','.join(values)}"
        await self._call("DELETE", f"{self.base_url}/{path}", connector=connector)

    async def _write(self, method: str, connector: str, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        # A bare element() result gets the connector as root; FiEntries-style roots are passed as they are.
        payload = {connector: dict(body)} if "Element" in body else body
        content = codec.dumps(payload).encode("utf-8")
        data = await self._call(method, f"{self.base_url}/{path}", connector=connector, content=content)
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise AfasError(
                f"AFAS answered {method} {connector} with unexpected JSON", connector=connector, method=method
            )
        results = data.get("results", data)
        return results if isinstance(results, dict) else {"results": results}
