-- The order's events live in the append-only events table (V1): the event store *is* the outbox (stream_id = the
-- order id, unique(stream_id, version) = optimistic concurrency, the outbox queue feeds the relay).

-- Every participant reply the order consumed, so that the saga decides on all of them whatever order the topics
-- delivered them in (the consumed-message log of the saga).
create table saga_replies (
    event_id    uuid        primary key,
    order_id    text        not null,
    type        text        not null,
    envelope    text        not null,
    received_at timestamptz not null default now()
);
create index saga_replies_order on saga_replies (order_id);

-- Orders not yet terminal, with the instant by which they must be; the sweeper cancels overdue ones.
create table saga_deadlines (
    order_id text        primary key,
    deadline timestamptz not null,
    fired    boolean     not null default false
);
create index saga_deadlines_due on saga_deadlines (deadline) where not fired;

-- Idempotency-Key of POST /orders: the same key and body give the same order.
create table idempotency_keys (
    key          text        primary key,
    request_hash text        not null,
    order_id     text        not null,
    created_at   timestamptz not null default now()
);

-- One customer email per order outcome.
create table notifications (
    order_id   text        primary key,
    outcome    text        not null,
    email      text        not null,
    status     text        not null default 'PENDING',
    created_at timestamptz not null default now(),
    sent_at    timestamptz
);
