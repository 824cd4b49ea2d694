-- The latest snapshot of each order: its state after `version` events, so loading reads the snapshot and only the
-- events after it. A cache, never the truth: `format` names the shape of `state`; a snapshot in another format is
-- ignored (full replay) and replaced by the next one.
create table snapshots (
    stream_id text        primary key,
    version   bigint      not null,
    format    int         not null,
    state     jsonb       not null,
    taken_at  timestamptz not null default now()
);
