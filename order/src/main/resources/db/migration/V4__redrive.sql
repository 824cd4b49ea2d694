-- A CANCELLING order whose compensations have not all confirmed in time is re-driven (its cancellation request
-- published again); redriven_at says when it last was, so that it is re-driven once per compensation window.
alter table saga_deadlines add column redriven_at timestamptz;
