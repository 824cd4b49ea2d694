-- Tables every saga service uses to talk over Kafka without dual writes and without double effects.

-- The service's event log, append-only: an event is inserted in the same transaction as the state change that causes
-- it (transactional outbox), and never changed afterwards. For the order service this is its event store.
--   stream_id, version: the order and the event's place in the order's stream (1, 2, ...) within this service;
--     unique(stream_id, version) is the optimistic concurrency check: of two transactions that decided on the same
--     version, the second fails and is retried against fresh state.
--   position: global, in insertion order. Positions of concurrent transactions may commit out of order, so
--     nothing reads "everything after position p"; the relay works from the outbox queue below instead.
--   metadata: traceparent and whatever else describes the event's context rather than its content.
create table events (
    position       bigserial   primary key,
    stream_id      text        not null,
    version        bigint      not null,
    event_id       uuid        not null unique,
    type           text        not null,
    schema_version int         not null,
    topic          text        not null,
    payload        jsonb       not null,
    metadata       jsonb       not null default '{}',
    recorded_at    timestamptz not null,
    unique (stream_id, version)
);

create function events_are_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'events are append-only (% refused)', tg_op using errcode = '55000';
end $$;
create trigger events_append_only before update or delete or truncate on events
    for each statement execute function events_are_immutable();

-- The relay's queue: positions appended but not yet published. A row is inserted with its event and deleted in the
-- relay's transaction once Kafka acknowledged it, so the event log stays append-only and this table stays small.
-- A late-committing transaction's row simply shows up here later: it is never skipped.
create table outbox (
    position bigint primary key references events (position)
);

-- Inbox: (consumer, event) recorded in the same transaction as the effect; a redelivered event finds its row and
-- changes nothing.
create table inbox (
    consumer     text        not null,
    event_id     uuid        not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, event_id)
);
