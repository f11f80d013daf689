"""The column hints of the `staging.mplus_*` tables (dlt `columns=`), and the child tables each resource fills."""

from __future__ import annotations

from typing import Any

ARTICLE_COLUMNS: dict[str, Any] = {
    "article_number": {"data_type": "bigint", "nullable": False},
    "product_number": {"data_type": "bigint"},
    "product_description": {"data_type": "text"},
    "description": {"data_type": "text"},
    "extra_text": {"data_type": "text"},
    "price_excl": {"data_type": "decimal", "precision": 18, "scale": 2},
    "price_incl": {"data_type": "decimal", "precision": 18, "scale": 2},
    "vat_code": {"data_type": "bigint"},
    "barcode": {"data_type": "text"},
    "brand": {"data_type": "text"},
    "colour": {"data_type": "text"},
    "size": {"data_type": "text"},
    "features": {"data_type": "text"},
    "group_number": {"data_type": "bigint"},
    "active": {"data_type": "bool"},
    "stock_article": {"data_type": "bool"},
    "ext_article_id": {"data_type": "text"},
    "sync_marker": {"data_type": "bigint"},
}
GROUP_COLUMNS: dict[str, Any] = {
    "group_number": {"data_type": "bigint", "nullable": False},
    "parent_group_number": {"data_type": "bigint"},
    "name": {"data_type": "text"},
    "text": {"data_type": "text"},
    "is_deleted": {"data_type": "bool"},
    "sync_marker": {"data_type": "bigint"},
}


RELATION_COLUMNS: dict[str, Any] = {
    "relation_number": {"data_type": "bigint", "nullable": False},
    **{
        c: {"data_type": "text"}
        for c in (
            "ext_relation_id",
            "name",
            "company_name",
            "contact",
            "address",
            "zipcode",
            "city",
            "country",
            "email",
            "vat_number",
            "commerce_number",
        )
    },
    "payment_within_days": {"data_type": "bigint"},
    "default_vat_method": {"data_type": "text"},
    "price_group_number": {"data_type": "bigint"},
    "discount_percentage": {"data_type": "bigint"},
    "active": {"data_type": "bool"},
    "sync_marker": {"data_type": "bigint"},
}
STOCK_COLUMNS: dict[str, Any] = {
    "branch_number": {"data_type": "bigint", "nullable": False},
    "article_number": {"data_type": "bigint", "nullable": False},
    "stock_id": {"data_type": "bigint"},
    **{
        c: {"data_type": "decimal", "precision": 18, "scale": 4}
        for c in ("amount_free", "amount_reserved", "amount_incoming")
    },
}


MONEY = {"data_type": "decimal", "precision": 18, "scale": 4}
ORDER_COLUMNS: dict[str, Any] = {
    "order_id": {"data_type": "text", "nullable": False},
    **{
        c: {"data_type": "text"}
        for c in (
            "ext_order_id",
            "vat_method",
            "cancel_state",
            "complete_state",
            "invoice_name",
            "invoice_company_name",
            "invoice_address",
            "invoice_zipcode",
            "invoice_city",
            "invoice_country",
        )
    },
    **{
        c: {"data_type": "bigint"}
        for c in ("sync_marker", "relation_number", "entry_branch_number", "order_year", "order_number")
    },
    **{c: {"data_type": "text"} for c in ("delivery_method", "payment_method")},
    "financial_date": {"data_type": "date"},
    "entry_timestamp": {"data_type": "timestamp", "timezone": True},
    "total_incl": MONEY,
    "total_excl": MONEY,
    "fully_paid": {"data_type": "bool"},
}
ORDER_LINE_COLUMNS: dict[str, Any] = {
    "order_id": {"data_type": "text", "nullable": False},
    "line_no": {"data_type": "bigint", "nullable": False},
    "line_id": {"data_type": "text"},
    "article_number": {"data_type": "bigint"},
    "text": {"data_type": "text"},
    **{c: MONEY for c in ("quantity", "price_incl", "price_excl", "total_incl", "total_excl")},
    **{c: {"data_type": "bigint"} for c in ("discount_percentage", "vat_code", "vat_percentage")},
}
ORDER_PAYMENT_COLUMNS: dict[str, Any] = {
    "order_id": {"data_type": "text", "nullable": False},
    "seq": {"data_type": "bigint", "nullable": False},
    "method": {"data_type": "text"},
    "amount": MONEY,
}
# Invoices (till sales are invoices, most without an order): the same shape as orders, with the orders they
# came from (mplus_invoices__orders: one row per orderId), so an invoice of an order already sent is not sent
# again.
INVOICE_COLUMNS: dict[str, Any] = {
    "invoice_id": {"data_type": "text", "nullable": False},
    **{
        c: {"data_type": "text"}
        for c in (
            "ext_invoice_id",
            "invoice_type",
            "state",
            "vat_method",
            "ext_order_ids",
            "relation_name",
            "invoice_name",
            "invoice_company_name",
            "invoice_address",
            "invoice_zipcode",
            "invoice_city",
            "invoice_country",
        )
    },
    **{
        c: {"data_type": "bigint"}
        for c in ("sync_marker", "relation_number", "entry_branch_number", "invoice_year", "invoice_number")
    },
    "financial_date": {"data_type": "date"},
    "entry_timestamp": {"data_type": "timestamp", "timezone": True},
    "total_incl": MONEY,
    "total_excl": MONEY,
    "paid_amount": MONEY,
}
INVOICE_LINE_COLUMNS: dict[str, Any] = {
    "invoice_id": {"data_type": "text", "nullable": False},
    **{k: v for k, v in ORDER_LINE_COLUMNS.items() if k != "order_id"},
}
INVOICE_PAYMENT_COLUMNS: dict[str, Any] = {
    "invoice_id": {"data_type": "text", "nullable": False},
    **{k: v for k, v in ORDER_PAYMENT_COLUMNS.items() if k != "order_id"},
}
INVOICE_ORDER_COLUMNS: dict[str, Any] = {
    "invoice_id": {"data_type": "text", "nullable": False},
    "order_id": {"data_type": "text", "nullable": False},
}


# An article's priceGroupList / a relation's relationArticleDiscountList: one row per entry, plus one placeholder
# row (is_placeholder, entry columns NULL) for an article or relation read with an empty list (see below).
ARTICLE_PRICE_GROUP_COLUMNS: dict[str, Any] = {
    "article_number": {"data_type": "bigint", "nullable": False},
    "is_placeholder": {"data_type": "bool"},
    "price_group_number": {"data_type": "bigint"},
    "minimum_amount": {"data_type": "bigint"},
    "price_incl": {"data_type": "decimal", "precision": 18, "scale": 2},
    "price_excl": {"data_type": "decimal", "precision": 18, "scale": 2},
    "discount_percentage": {"data_type": "bigint"},
}
RELATION_ERROR_COLUMNS: dict[str, Any] = {
    "relation_number": {"data_type": "bigint", "nullable": False},
    "ext_relation_id": {"data_type": "text"},
    "field": {"data_type": "text"},
    "reason": {"data_type": "text"},
    "seen_at": {"data_type": "timestamp"},
}


RELATION_DISCOUNT_COLUMNS: dict[str, Any] = {
    "relation_number": {"data_type": "bigint", "nullable": False},
    "is_placeholder": {"data_type": "bool"},
    "relation_article_discount_id": {"data_type": "bigint"},
    "article_number": {"data_type": "bigint"},
    "article_discount_group_number": {"data_type": "bigint"},
    "minimum_amount": {"data_type": "decimal", "precision": 18, "scale": 4},
    "discount_percentage": {"data_type": "bigint"},
    "price_incl": {"data_type": "decimal", "precision": 18, "scale": 2},
    "price_excl": {"data_type": "decimal", "precision": 18, "scale": 2},
}
PRICE_GROUP_COLUMNS: dict[str, Any] = {
    "price_group_number": {"data_type": "bigint", "nullable": False},
    "description": {"data_type": "text"},
}


# Tables a resource fills besides its own: created empty when the resource had nothing to say yet.
CHILD_TABLES: dict[str, dict[str, dict[str, Any]]] = {
    "mplus_orders": {
        "mplus_orders__lines": ORDER_LINE_COLUMNS,
        "mplus_orders__payments": ORDER_PAYMENT_COLUMNS,
    },
    "mplus_invoices": {
        "mplus_invoices__lines": INVOICE_LINE_COLUMNS,
        "mplus_invoices__payments": INVOICE_PAYMENT_COLUMNS,
        "mplus_invoices__orders": INVOICE_ORDER_COLUMNS,
    },
}
