"""The warehouse: the interface (`base.py`), DuckDB (`warehouse.py`), PostgreSQL (`postgres.py`).

Both implementations are imported here, with the package: `Warehouse(...)` (staging.base) picks one of them, and
the base cannot import the modules that subclass it.
"""

from staging import postgres, warehouse  # noqa: F401 - each registers its implementation of Warehouse
