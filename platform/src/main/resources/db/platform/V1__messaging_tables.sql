-- Tables every saga service uses to talk over Kafka without dual writes and without double effects.

-- Transactional outbox: an event is inserted in the same transaction as the state change that causes it;
-- a relay publishes rows in position order and marks them. tx_id lets the relay skip rows of transactions that
-- are still in flight (a later position can commit before an earlier one).
create table outbox (
    position     bigserial   primary key,
    event_id     uuid        not null unique,
    topic        text        not null,
    order_id     text        not null,
    type         text        not null,
    envelope     text        not null,
    traceparent  text,
    tx_id        xid8        not null default pg_current_xact_id(),
    created_at   timestamptz not null default now(),
    published_at timestamptz
);
create index outbox_unpublished on outbox (position) where published_at is null;

-- Inbox: (consumer, event) recorded in the same transaction as the effect; a redelivered event finds its row and
-- changes nothing.
create table inbox (
    consumer     text        not null,
    event_id     uuid        not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, event_id)
);
