-- The order's deadline (from OrderPlaced): until then an unavailable provider is waited for, not given up on.
alter table payments add column deadline timestamptz;
