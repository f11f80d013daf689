"""Reference data and meta calls: getApiVersion, getCurrentSyncMarkers, getBranches, getVatGroupList,
getPaymentMethods(V2), getTurnoverGroups, getEmployees.

Parameterless calls answer lower-case response elements (``getBranchesResponse``) and the others
PascalCase; that naming lives in the codec's WSDL table, the handlers only return the content.
"""

from __future__ import annotations

from typing import Any

from simulators.mplus.handlers.common import inner, page_limit
from simulators.mplus.store import MplusStore
from simulators.mplus.values import mplus_date, mplus_datetime

API_VERSION = (67, 0, 0)  # the WSDL's service version is 67.x


def get_api_version(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    now = state.now()
    major, minor, revision = API_VERSION
    return {
        "majorNumber": major,
        "minorNumber": minor,
        "revisionNumber": revision,
        "serviceMajorNumber": major,
        "serviceMinorNumber": minor,
        "serviceRevisionNumber": revision,
        "serviceDate": mplus_date(now.date()),
        "serviceDateTime": mplus_datetime(now),
        "serviceHostname": "mplus-stand-in",
        "inDebugMode": False,
        "isSlaveApi": False,
        "slaveApiType": "NO-SLAVE-API",
        "serviceVersionDisplayString": f"{major}.{minor}.{revision} (stand-in)",
    }


def get_current_sync_markers(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    m = state.markers
    return {
        "articleSyncMarker": m["article"],
        "articleGroupSyncMarker": m["articleGroup"],
        "relationSyncMarker": m["relation"],
        "employeeSyncMarker": m["employee"],
        "invoiceSyncMarker": m["invoice"],
        "receiptSyncMarker": m["receipt"],
        "orderSyncMarker": m["order"],
        "stockId": m["stock"],
    }


def get_branches(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    return {"branches": {"branch": [state.branches[n] for n in sorted(state.branches)]}}


def get_vat_group_list(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    groups = []
    for number in sorted(state.branches):
        branch = state.branches[number]
        for code, pct in sorted(state.vat_rates.items()):
            groups.append(
                {
                    "branchNumber": number,
                    "countryCode": branch["countryCode"],
                    "countryIso3": branch["countryIso3"],
                    "vatCode": code,
                    "vatPercentage": pct,
                }
            )
    return {"vatGroup": groups}


def get_payment_methods(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    return {"paymentMethodList": {"paymentMethod": list(state.payment_methods)}}


def get_payment_methods_v2(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    types = set(inner(request).get("paymentMethodTypes") or [])
    methods = [m for m in state.payment_methods if not types or m.get("type") in types]
    return {"paymentMethodList": {"paymentMethod": methods}}


def get_turnover_groups(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    return {"turnoverGroupList": {"turnoverGroup": list(state.turnover_groups)}}


def get_employees(state: MplusStore, request: dict[str, Any]) -> dict[str, Any]:
    req = inner(request)
    numbers = [int(n) for n in req.get("employeeNumbers") or []]
    marker = req.get("syncMarker")
    if marker is not None:
        limit = page_limit(req.get("syncMarkerLimit"))
        employees = [
            state.employees[n]
            for _, n in state.employee_index.scan(int(marker))  # type: ignore[index]
            if not numbers or n in numbers
        ]
        employees = employees[:limit] if limit is not None else employees
    else:
        employees = [state.employees[n] for n in (numbers or sorted(state.employees)) if n in state.employees]
    return {"employeeList": {"employee": employees}}
