-- One email per order and kind: PLACED when the order is accepted, COMPLETED or CANCELLED when it ends. A sender
-- claims a row for a while (claimed_until) before mailing it and marks it SENT only after the mail server accepted
-- it; a sender that dies in between leaves the claim to expire, and the row is sent again with the same Message-ID.
alter table notifications rename column outcome to kind;
alter table notifications drop constraint notifications_pkey;
alter table notifications add primary key (order_id, kind);
alter table notifications add column claimed_until timestamptz;
