"""Operation handlers: ``handler(state, request) -> response``, pure functions on the codec's dicts.

``request`` is the dict below the operation element (``{"request": {...}}``, ``{"product": {...}}``,
``{"orderId": "..."}``); the returned dict is the content of the response element. Business outcomes are
result enums in the returned dict; a request that must change raises ``SimFault`` (Client).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulators.mplus.handlers import (
    article_groups,
    invoices,
    meta,
    orders,
    prices,
    products,
    relations,
    stock,
)
from simulators.mplus.store import MplusStore

Handler = Callable[[MplusStore, dict[str, Any]], dict[str, Any]]

HANDLERS: dict[str, Handler] = {
    # meta
    "getApiVersion": meta.get_api_version,
    "getCurrentSyncMarkers": meta.get_current_sync_markers,
    "getBranches": meta.get_branches,
    "getVatGroupList": meta.get_vat_group_list,
    "getPaymentMethods": meta.get_payment_methods,
    "getPaymentMethodsV2": meta.get_payment_methods_v2,
    "getTurnoverGroups": meta.get_turnover_groups,
    "getEmployees": meta.get_employees,
    # products and article groups
    "getProducts": products.get_products,
    "createProduct": products.create_product,
    "updateProduct": products.update_product,
    "getArticleGroups": article_groups.get_article_groups,
    "getArticleGroupChanges": article_groups.get_article_group_changes,
    "newArticleGroup": article_groups.new_article_group,
    "updateArticleGroup": article_groups.update_article_group,
    "addProductsToArticleGroup": article_groups.add_products_to_article_group,
    # stock
    "getStock": stock.get_stock,
    "setStock": stock.set_stock,
    "updateStock": stock.update_stock,
    "getStockHistory": stock.get_stock_history,
    # relations and prices
    "getRelations": relations.get_relations,
    "getRelation": relations.get_relation,
    "findRelation": relations.find_relation,
    "findRelationV2": relations.find_relation_v2,
    "createRelation": relations.create_relation,
    "updateRelation": relations.update_relation,
    "getPriceGroupList": prices.get_price_group_list,
    # orders and invoices
    "getOrders": orders.get_orders,
    "getOrder": orders.get_order,
    "findOrder": orders.find_order,
    "getOrderChanges": orders.get_order_changes,
    "createOrder": orders.create_order,
    "createOrderV3": orders.create_order_v3,
    "payOrder": orders.pay_order,
    "getInvoices": invoices.get_invoices,
    "getInvoice": invoices.get_invoice,
    "findInvoice": invoices.find_invoice,
}
