"""Async MplusKASSA (MplusQapi SOAP) client: one class, composed of one mixin per entity family (``reference``,
``products``, ``stock``, ``relations``, ``orders``) over the shared call machinery (``session``: connection and
credentials; ``exchange``: one streamed HTTP exchange; ``calls``: retries and typed records).

Credentials: MplusQapi authenticates by ``?ident=..&secret=..`` on every request. They are added by an
inner transport (:class:`.session.CredentialsTransport`) *below* httpx's client, so the request httpx logs
("HTTP Request: POST ...") and attaches to exceptions and responses never carries them; every error this
package raises is built from our own text, redacted, and raised ``from None`` so no chained httpx exception
drags a URL into a traceback.

Retries (``max_retries``, default 4, so 5 attempts; waits from connectors.retry: ``backoff_s`` doubling with
jitter up to ``max_backoff_s``, or the server's Retry-After unless it is over ``max_retry_after_s``, then the
call fails at once): reads (get*/find*) retry Server faults, transport errors and 5xx answers; writes retry
only errors that provably never reached the server (connect errors), unless the request carries an
``idempotencyKey``. Client faults, auth errors, other 4xx and result enums are never retried. The error
after the last attempt says how many were made and that it is temporary (``transient``, see errors.py).

Answers are read as a stream and decoded incrementally (soap.ResponseStream): ``iter_stock`` hands out
getStock's levels in batches while the answer is still arriving, so memory is bounded by a batch. A streamed
call is retried only until its first batch was handed out; a failure after that raises a transient
MplusTransportError (the caller already holds part of the answer).

One bad record never fails an answer: it is left out and reported as an MplusRecordError (operation,
record key, field, value) in the ``errors`` of the returned Batch or page, and logged as a warning.
"""

from .calls import WRITE_OPERATIONS, is_read_operation
from .orders import OrderCalls
from .products import ProductCalls
from .reference import ReferenceCalls
from .relations import RelationCalls
from .stock import STOCK_BATCH, StockCalls


class MplusClient(ReferenceCalls, ProductCalls, StockCalls, RelationCalls, OrderCalls):
    """One MplusKASSA API endpoint. Use as ``async with MplusClient(...) as mplus:``."""


__all__ = ["STOCK_BATCH", "MplusClient", "WRITE_OPERATIONS", "is_read_operation"]
