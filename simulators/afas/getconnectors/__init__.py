"""The GetConnector definitions, one module per entity family; connectors.py lists them by id."""
