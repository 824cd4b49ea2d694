-- The read model. Every table is keyed by generation: queries read the LIVE one; a rebuild fills a BUILDING one by
-- replay and swaps it in (one UPDATE) when caught up, while the live projection keeps feeding both.

create table generations (
    id          int         primary key,
    state       text        not null check (state in ('LIVE', 'BUILDING', 'RETIRED', 'FAILED')),
    started_at  timestamptz not null default now(),
    finished_at timestamptz,
    processed   bigint      not null default 0,
    skipped     bigint      not null default 0,
    error       text
);
create unique index one_live_generation on generations (state) where state = 'LIVE';
create unique index one_building_generation on generations (state) where state = 'BUILDING';
insert into generations (id, state, finished_at) values (1, 'LIVE', now());

-- Every event applied, per generation: the document is recomputed from this set, so duplicates (primary key) and
-- out-of-order arrivals change nothing.
create table view_events (
    generation  int         not null,
    event_id    uuid        not null,
    order_id    text        not null,
    service     text        not null,
    sequence    bigint      not null,
    type        text        not null,
    occurred_at timestamptz not null,
    trace_id    text,
    envelope    text        not null,
    primary key (generation, event_id)
);
create index view_events_order on view_events (generation, order_id);

-- One JSON document per order (the Mongo-style collection), GIN-indexed for containment queries.
create table order_documents (
    generation  int         not null,
    order_id    text        not null,
    created_at  timestamptz not null,
    doc         jsonb       not null,
    primary key (generation, order_id)
);
create index order_documents_doc on order_documents using gin (doc jsonb_path_ops);
create index order_documents_recent on order_documents (generation, created_at desc, order_id desc);

-- Summary views, maintained by deltas (new document minus old) in the same transaction as the document.
create table customer_summaries (
    generation  int     not null,
    customer_id text    not null,
    orders      int     not null,
    completed   int     not null,
    cancelled   int     not null,
    spend       numeric not null,
    primary key (generation, customer_id)
);
create table status_counts (
    generation int    not null,
    status     text   not null,
    orders     bigint not null,
    primary key (generation, status)
);
create table product_sales (
    generation int     not null,
    sku        text    not null,
    name       text,
    units      bigint  not null,
    revenue    numeric not null,
    primary key (generation, sku)
);
create table totals (
    generation int     primary key,
    orders     bigint  not null,
    revenue    numeric not null
);
