-- One row per order. PENDING: known (address kept), nothing booked yet; SCHEDULED; FAILED; CANCELLED (a booked
-- shipment cancelled with the carrier, or a tombstone when cancelled before booking: nothing is booked later).
create table shipments (
    order_id        text        primary key,
    status          text        not null,
    address         text,
    items           text,
    shipment_id     text,
    carrier         text,
    tracking_number text,
    failure         text,
    updated_at      timestamptz not null default now()
);
