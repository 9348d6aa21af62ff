//! Pure decision logic: no I/O. Commands load what a decision needs into plain structs and call
//! the engine.

pub mod course;

pub use course::CourseKey;
