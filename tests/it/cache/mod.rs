//! `--cache`: the keys a write makes stale (`keys`, no server needed) and real Redis and
//! memcached servers (`live`, ignored unless run with `--ignored`).

mod keys;
mod live;
