-- One row per order. PENDING: the order is known (token kept) but nothing attempted yet; CANCELLED: cancelled before
-- any attempt (a tombstone: nothing will be charged later). CAPTURED, DECLINED, FAILED, REFUNDED as in the API.
create table payments (
    order_id           text           primary key,
    status             text           not null,
    token              text,
    amount             numeric(12, 2),
    captured_amount    numeric(12, 2) not null default 0,
    refunded_amount    numeric(12, 2) not null default 0,
    charge_id          text,
    provider_reference text,
    failure            text,
    updated_at         timestamptz    not null default now()
);
