"""SOAP 1.1 document/literal codec for MplusQapi, driven only by the generated type table (``xsd_types``).

Both sides use it: the connector encodes requests and decodes responses, the MplusKASSA stand-in decodes
requests and encodes responses. Python values follow the XSD types:

=====================================  =============================================================
xsd:long/int/short/unsigned*           ``int`` (``bool`` refused)
xsd:boolean                            ``bool`` (decode accepts true/false/1/0)
xsd:decimal                            ``Decimal`` (encode also takes ``int``; ``float`` refused)
xsd:string, enums                      ``str`` (encode checks enum values; decode keeps unknown values
                                       because newer servers add them)
xsd:date / xsd:dateTime                ``str`` in the XSD lexical form (encode also takes date/datetime)
SOAP-ENC:base64                        ``bytes``
complex types                          ``dict``
maxOccurs > 1                          ``list`` -- always present on decode, possibly empty
=====================================  =============================================================

An optional element that is absent decodes to an absent key; ``None`` in a dict given to encode means
"leave the element out". Elements are written in XSD sequence order whatever the dict order, and an
unknown key raises :class:`SoapEncodeError` naming the type and key, so typos fail before a request leaves.

Request dicts hold the *content of the operation's input element*, with one convenience: operations whose
input element wraps a single ``request`` element (``getProducts(request: GetProductsRequest)``) take the
content of that ``request``. Everything else mirrors the XSD below the operation element, e.g.
``encode_request("createProduct", {"product": {...}})`` or ``encode_request("getOrder", {"orderId": "..."})``.
Response dicts are the content of the operation's output element (``{"productList": {"product": [...]}}``).

Missing required elements are not invented: encode writes what it is given. Callers must send the
required-but-empty list wrappers themselves (``pluNumbers: {}`` in GetProductsRequest, see the notes).

Large answers are decoded incrementally: :class:`ResponseStream` takes the body in chunks as it arrives and
hands out the answer's *records* (the repeated elements of its list, :func:`record_path`: ``articleStocks``
of getStock, ``relationList/relation`` of getRelations) as soon as each is complete, dropping its XML, so
memory stays bounded by a batch, not by the answer (getStock in sync mode sends every stock level at once).

One bad record does not fail the answer. In tolerant mode (the client's) a record holding a value that does
not parse as its XSD type (``abc`` in an xsd:long) is left out and reported as a
:class:`~connectors.mplus.errors.MplusRecordError` naming the operation, the record (by its key elements as
sent, e.g. ``relationNumber=77``, else its position), the field and the value; the other records decode as
usual. A bad value outside the records (in the answer's own fields) still fails the whole answer with
:class:`SoapDecodeError`, as does everything in strict mode (``decode_response`` without ``record_errors``).

Modules: ``schema`` (the type table as looked up), ``encode``, ``reader`` (an element to its dict),
``decode`` (whole bodies), ``stream`` (incremental), ``errors``.
"""

from .decode import decode_request, decode_response
from .encode import encode_fault, encode_request, encode_response
from .errors import SoapDecodeError, SoapEncodeError, SoapFault
from .schema import NS, operation_for_element, request_wrapper
from .stream import FEED_SLICE, ResponseStream, record_identity, record_path

__all__ = [
    "FEED_SLICE",
    "NS",
    "ResponseStream",
    "SoapDecodeError",
    "SoapEncodeError",
    "SoapFault",
    "decode_request",
    "decode_response",
    "encode_fault",
    "encode_request",
    "encode_response",
    "operation_for_element",
    "record_identity",
    "record_path",
    "request_wrapper",
]
