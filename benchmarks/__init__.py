"""`afas-mplus bench` / `python -m benchmarks`: how fast a full, a no-op and a 1 % change sync are,
against the request-bound limit, dlt's generic `rest_api` source and a naive sync script.

Each measured part runs in a fresh subprocess (so peak memory does not mix between sizes), against the
stand-ins served over real HTTP by uvicorn in a process of their own, with a set latency per call.
"""
