-- The PostgreSQL service holds two databases: `dagster` (the instance: runs, events, schedules; POSTGRES_DB) and
-- `warehouse` (the sync: staging, models, plans, journal; WAREHOUSE_DSN).
CREATE DATABASE warehouse;
