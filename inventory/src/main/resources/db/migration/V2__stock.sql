-- received = initial stock + every restock, so that conservation is checkable at any time:
-- received = available + reserved + sold.
create table products (
    sku        text           primary key,
    name       text           not null,
    price      numeric(12, 2) not null check (price >= 0),
    available  integer        not null check (available >= 0),
    reserved   integer        not null default 0 check (reserved >= 0),
    sold       integer        not null default 0 check (sold >= 0),
    received   integer        not null,
    updated_at timestamptz    not null default now()
);

-- One row per order this service heard of: NONE (being decided), RESERVED, REJECTED, SOLD, RELEASED, or CANCELLED
-- (cancelled before anything was reserved: a tombstone so that nothing is reserved later).
create table reservations (
    order_id   text        primary key,
    status     text        not null,
    lines      text        not null default '[]',
    updated_at timestamptz not null default now()
);
