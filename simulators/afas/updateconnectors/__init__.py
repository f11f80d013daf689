"""The UpdateConnectors, one module per entity family; updates.py dispatches to them."""
