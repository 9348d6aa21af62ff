//! Pure decision logic: no I/O. Commands load what a decision needs into plain structs and call
//! the engine.

pub mod baseplate;
pub mod course;
pub mod dateutil;
pub mod experiment;
pub mod hash;
pub mod lanes;
pub mod names;
pub mod overrides;
pub mod pychars;
pub mod settled;
pub mod stale;
pub mod stats;
pub mod sub_flag;
pub mod trace;
pub mod waffle;
pub mod window;

pub use course::CourseKey;
