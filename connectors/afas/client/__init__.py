"""Async AFAS Profit REST client: GetConnectors (paged, filtered), UpdateConnectors, metainfo.

One class over four layers: `session` (settings, connection, concurrency bounds), `failures` (the error of
each way a call fails), `calls` (retries, parsing), and the operations: `reads` (paging, metainfo), `writes`.

Use one client within one event loop (httpx connections belong to the loop that opened them).

Retries (`max_retries`, default 4, so 5 attempts; waits from connectors.retry: `backoff_s` doubling with
jitter up to `max_backoff_s`, or AFAS's own retry_after / Retry-After when it gives one, unless that is over
`max_retry_after_s`, then the call fails at once):
- every call: 503 (maintenance) and 429, and connect errors (AFAS never saw the request);
- reads (GET: GetConnectors, metainfo) also: 500, 502, 504, timeouts and dropped connections;
- never: 401, 403, other 4xx, and a write that may have reached AFAS (the caller looks it up first).
A 500 that says the page is too large ("Out of memory") or the connector is blocked or unknown is not retried:
the same call would fail the same way.

Concurrency: a client has its own bound (`concurrency`), and all clients of one environment (base URL +
token) in this process share one bound of MAX_CONCURRENCY calls, across threads and event loops
(connectors.shared_bound). A call holds its slots until AFAS answered, even when its caller was cancelled.
"""

from .reads import MAX_QUERY_CHARS, ReadCalls
from .session import MAX_CONCURRENCY, AfasStats
from .writes import WriteCalls


class AfasClient(ReadCalls, WriteCalls):
    """Client for one AFAS environment.

    `base_url` is the full `https://{env}.rest.afas.online/ProfitRestServices` base (any case).
    All calls (reads and writes) of this client share one bound of `concurrency` requests in flight, and all
    clients of the same environment in this process one bound of MAX_CONCURRENCY (`environment_bound`).
    """


__all__ = ["MAX_CONCURRENCY", "MAX_QUERY_CHARS", "AfasClient", "AfasStats"]
