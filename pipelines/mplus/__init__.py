"""MplusKASSA into `staging.mplus_*` with dlt: the target's current state.

columns.py  the column hints of each staging table, and the child tables a resource fills
helpers.py  the reader: pages through the async client, records into rows
source.py   the dlt source: its resources, syncMarker paging, which resources load together
extract.py  one run of it all (extract_mplus), from plain values
"""
