//! django-waffle's objects (flags, switches, samples, users, groups, history) and one-line
//! equivalents of its management commands (`parity`).

mod foundation;
mod parity;
