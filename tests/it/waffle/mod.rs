//! django-waffle's objects (flags, switches, samples, users, groups, history) and one-line
//! equivalents of its management commands (`parity`).

mod flag_lists;
mod foundation;
mod parity;
