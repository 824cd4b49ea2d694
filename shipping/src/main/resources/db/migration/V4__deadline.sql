-- The order's deadline (from OrderPlaced): until then an unavailable carrier is waited for, not given up on.
alter table shipments add column deadline timestamptz;
