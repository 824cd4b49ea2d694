-- Tables every saga service uses to talk over Kafka without dual writes and without double effects.

-- Transactional outbox: an event is inserted in the same transaction as the state change that causes it; the relay
-- publishes rows in position order and marks them. sequence numbers one order's events within this service;
-- unique(order_id, sequence) makes two concurrent writers for one order conflict (one retries) instead of
-- interleaving.
create table outbox (
    position     bigserial   primary key,
    event_id     uuid        not null unique,
    topic        text        not null,
    order_id     text        not null,
    sequence     bigint      not null,
    type         text        not null,
    envelope     text        not null,
    traceparent  text,
    created_at   timestamptz not null default now(),
    published_at timestamptz,
    unique (order_id, sequence)
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
