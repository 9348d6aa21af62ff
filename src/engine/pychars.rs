//! Python's `str.isalpha()` and `re`'s Unicode `\w` for one character, from the tables
//! conformance/inputs/gen_pychars.py generates from Python's Unicode database.

mod tables;

use tables::{ALPHA, WORD};

fn within(table: &[(u32, u32)], c: char) -> bool {
    let u = c as u32;
    table
        .binary_search_by(|&(a, b)| {
            if b < u {
                std::cmp::Ordering::Less
            } else if a > u {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Python's `str.isalpha()` for one character.
pub fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        within(ALPHA, c)
    }
}

/// Python's Unicode `\w` for one character (`isalnum()` or `_`).
pub fn is_word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        within(WORD, c)
    }
}
