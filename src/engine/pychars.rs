//! Python's `str.isalpha()`, `str.isdigit()` and `re`'s Unicode `\w` for one character, and the
//! value `int()` reads from a decimal digit, from the tables
//! conformance/inputs/gen_pychars.py generates from Python's Unicode database.

mod tables;

use tables::{ALPHA, DECIMAL_ZEROS, DIGIT, WORD};

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

/// Python's `str.isdigit()` for one character: decimal digits of every script, and digits
/// `int()` cannot read (`²`, `①`).
pub fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        within(DIGIT, c)
    }
}

/// The ASCII digit of a decimal digit of any script (what `int()` and `float()` read it as,
/// `'٣'` → `'3'`); None for any other character.
pub fn decimal_ascii(c: char) -> Option<char> {
    if c.is_ascii_digit() {
        return Some(c);
    }
    let u = c as u32;
    let i = DECIMAL_ZEROS.partition_point(|&z| z <= u).checked_sub(1)?;
    let v = u - DECIMAL_ZEROS[i];
    (v < 10).then(|| char::from(b'0' + v as u8))
}
