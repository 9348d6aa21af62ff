//! Open edX experiments: `experiment create|set|show|list|delete` (`edx`), IDs and the one ID
//! space, key-values and per-user data, whitelists.

mod edx;
mod id_space;
mod ids;
mod values;
mod whitelist;
