//! Python value semantics on top of JSON (`spec/baseplate.md` §2.6, §3.1, §9): the few
//! operations baseplate applies to config and input values — `==`, ordering, `in`, truthiness,
//! `str()`, `+`, `-`, `*` and `int()` — with the exception class Python would raise.
//!
//! JSON maps onto Python as json.load does: null→None, true/false→bool (an int subclass),
//! integers→int, numbers with `.`/exponent→float, strings, lists, dicts (string keys).
//! serde_json reads integers beyond the u64 range as floats, so such numbers behave as floats
//! here (Python would keep them as ints); no real config carries them.

use serde_json::{Map, Value};

use super::PyError;

/// Nesting beyond which lists/dicts are not walked further (`==` says unequal, ordering raises
/// TypeError, `str()` prints `...`). serde_json refuses documents nested deeper than 128, so
/// parsed JSON never reaches it; it only guards hand-built values against stack overflow.
pub(crate) const MAX_DEPTH: usize = 256;

/// A borrowed view of one Python value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum V<'a> {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(&'a str),
    List(&'a [Value]),
    Dict(&'a Map<String, Value>),
}

impl<'a> V<'a> {
    pub(crate) fn of(v: &'a Value) -> V<'a> {
        match v {
            Value::Null => V::Null,
            Value::Bool(b) => V::Bool(*b),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    V::Int(i128::from(i))
                } else if let Some(u) = n.as_u64() {
                    V::Int(i128::from(u))
                } else {
                    V::Float(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => V::Str(s),
            Value::Array(a) => V::List(a),
            Value::Object(m) => V::Dict(m),
        }
    }

    pub(crate) fn is_none(self) -> bool {
        matches!(self, V::Null)
    }

    /// Python type name, for messages.
    pub(crate) fn type_name(self) -> &'static str {
        match self {
            V::Null => "NoneType",
            V::Bool(_) => "bool",
            V::Int(_) => "int",
            V::Float(_) => "float",
            V::Str(_) => "str",
            V::List(_) => "list",
            V::Dict(_) => "dict",
        }
    }

    /// `hash(x)` works (lists and dicts are unhashable).
    pub(crate) fn hashable(self) -> bool {
        !matches!(self, V::List(_) | V::Dict(_))
    }

    /// `len(x)`; TypeError for None, bools and numbers.
    pub(crate) fn len(self) -> Result<usize, PyError> {
        match self {
            V::Str(s) => Ok(s.chars().count()),
            V::List(l) => Ok(l.len()),
            V::Dict(m) => Ok(m.len()),
            _ => Err(PyError::TypeError),
        }
    }
}

/// A Python number: int (bools included) or float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Num {
    I(i128),
    F(f64),
}

impl Num {
    pub(crate) fn of(v: V<'_>) -> Option<Num> {
        match v {
            V::Bool(b) => Some(Num::I(i128::from(b))),
            V::Int(i) => Some(Num::I(i)),
            V::Float(f) => Some(Num::F(f)),
            _ => None,
        }
    }

    pub(crate) fn to_f64(self) -> f64 {
        match self {
            Num::I(i) => i as f64,
            Num::F(f) => f,
        }
    }

    /// The value as a non-negative integer that fits u64, if it is one.
    pub(crate) fn as_u64(self) -> Option<u64> {
        match self {
            Num::I(i) => u64::try_from(i).ok(),
            Num::F(f) if f >= 0.0 && f.fract() == 0.0 && f < 18_446_744_073_709_551_616.0 => {
                Some(f as u64)
            }
            Num::F(_) => None,
        }
    }
}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Num::I(i) => write!(f, "{i}"),
            Num::F(x) => f.write_str(&float_repr(*x)),
        }
    }
}

/// Python truthiness.
pub(crate) fn truthy(v: V<'_>) -> bool {
    match v {
        V::Null => false,
        V::Bool(b) => b,
        V::Int(i) => i != 0,
        V::Float(f) => f != 0.0,
        V::Str(s) => !s.is_empty(),
        V::List(l) => !l.is_empty(),
        V::Dict(m) => !m.is_empty(),
    }
}

/// Exact comparison of an int with a float, as Python does (no rounding of the int).
fn cmp_int_float(i: i128, f: f64) -> Option<std::cmp::Ordering> {
    use std::cmp::Ordering;
    if f.is_nan() {
        return None;
    }
    // 2^127 bounds every i128.
    if f >= 1.7014118346046923e38 {
        return Some(Ordering::Less);
    }
    if f < -1.7014118346046923e38 {
        return Some(Ordering::Greater);
    }
    let t = f.trunc();
    let ti = t as i128;
    match i.cmp(&ti) {
        Ordering::Equal => {
            let fr = f - t;
            if fr > 0.0 {
                Some(Ordering::Less)
            } else if fr < 0.0 {
                Some(Ordering::Greater)
            } else {
                Some(Ordering::Equal)
            }
        }
        o => Some(o),
    }
}

/// Ordering of two Python numbers (None only for NaN).
pub(crate) fn cmp_num(a: Num, b: Num) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Num::I(x), Num::I(y)) => Some(x.cmp(&y)),
        (Num::F(x), Num::F(y)) => x.partial_cmp(&y),
        (Num::I(x), Num::F(y)) => cmp_int_float(x, y),
        (Num::F(x), Num::I(y)) => cmp_int_float(y, x).map(std::cmp::Ordering::reverse),
    }
}

/// Python `a == b`.
pub(crate) fn eq(a: V<'_>, b: V<'_>) -> bool {
    eq_d(a, b, 0)
}

fn eq_d(a: V<'_>, b: V<'_>, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    if let (Some(x), Some(y)) = (Num::of(a), Num::of(b)) {
        return cmp_num(x, y) == Some(std::cmp::Ordering::Equal);
    }
    match (a, b) {
        (V::Null, V::Null) => true,
        (V::Str(x), V::Str(y)) => x == y,
        (V::List(x), V::List(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(p, q)| eq_d(V::of(p), V::of(q), depth + 1))
        }
        (V::Dict(x), V::Dict(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, p)| {
                    y.get(k)
                        .is_some_and(|q| eq_d(V::of(p), V::of(q), depth + 1))
                })
        }
        _ => false,
    }
}

/// A rich comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
        }
    }
    fn test(self, o: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Op::Gt => o == Greater,
            Op::Ge => o != Less,
            Op::Lt => o == Less,
            Op::Le => o != Greater,
        }
    }
}

/// Python `a <op> b`: numbers (bools included) with numbers, str with str (code points), list
/// with list (lexicographic, by the first unequal element); anything else raises TypeError.
pub(crate) fn compare(a: V<'_>, b: V<'_>, op: Op) -> Result<bool, PyError> {
    compare_d(a, b, op, 0)
}

fn compare_d(a: V<'_>, b: V<'_>, op: Op, depth: usize) -> Result<bool, PyError> {
    if depth > MAX_DEPTH {
        return Err(PyError::TypeError);
    }
    if let (Some(x), Some(y)) = (Num::of(a), Num::of(b)) {
        return Ok(cmp_num(x, y).is_some_and(|o| op.test(o)));
    }
    match (a, b) {
        (V::Str(x), V::Str(y)) => Ok(op.test(x.cmp(y))),
        (V::List(x), V::List(y)) => {
            for (p, q) in x.iter().zip(y) {
                let (p, q) = (V::of(p), V::of(q));
                if !eq_d(p, q, depth + 1) {
                    return compare_d(p, q, op, depth + 1);
                }
            }
            Ok(op.test(x.len().cmp(&y.len())))
        }
        _ => Err(PyError::TypeError),
    }
}

/// Python `item in container`: list membership by `==`, substring for str (TypeError for a
/// non-str item), key membership for dict (TypeError for an unhashable item); other containers
/// raise TypeError.
pub(crate) fn contains(container: V<'_>, item: V<'_>) -> Result<bool, PyError> {
    match container {
        V::List(l) => Ok(l.iter().any(|e| eq(item, V::of(e)))),
        V::Str(s) => match item {
            V::Str(i) => Ok(s.contains(i)),
            _ => Err(PyError::TypeError),
        },
        V::Dict(m) => match item {
            V::Str(i) => Ok(m.contains_key(i)),
            V::List(_) | V::Dict(_) => Err(PyError::TypeError),
            _ => Ok(false),
        },
        _ => Err(PyError::TypeError),
    }
}

/// Python `a + b` where only its comparability matters afterwards: numbers add; `str + str` and
/// `list + list` concatenate (returned as `None`: the caller's ordering test then raises
/// TypeError); other mixes raise TypeError.
pub(crate) fn add_num(a: V<'_>, b: V<'_>) -> Result<Option<Num>, PyError> {
    match (Num::of(a), Num::of(b)) {
        (Some(x), Some(y)) => Ok(Some(add(x, y))),
        _ => match (a, b) {
            (V::Str(_), V::Str(_)) | (V::List(_), V::List(_)) => Ok(None),
            _ => Err(PyError::TypeError),
        },
    }
}

fn add(x: Num, y: Num) -> Num {
    match (x, y) {
        (Num::I(p), Num::I(q)) => match p.checked_add(q) {
            Some(s) => Num::I(s),
            None => Num::F(p as f64 + q as f64),
        },
        _ => Num::F(x.to_f64() + y.to_f64()),
    }
}

/// Python `a - b` (numbers only, else TypeError).
pub(crate) fn sub(a: V<'_>, b: V<'_>) -> Result<Num, PyError> {
    match (Num::of(a), Num::of(b)) {
        (Some(Num::I(p)), Some(Num::I(q))) => Ok(match p.checked_sub(q) {
            Some(s) => Num::I(s),
            None => Num::F(p as f64 - q as f64),
        }),
        (Some(x), Some(y)) => Ok(Num::F(x.to_f64() - y.to_f64())),
        _ => Err(PyError::TypeError),
    }
}

/// Python `int(x)` of a float: truncation; inf → OverflowError, NaN → ValueError. Results
/// beyond i128 saturate (only their comparison with bucket numbers matters).
pub(crate) fn int_of_float(f: f64) -> Result<i128, PyError> {
    if f.is_nan() {
        Err(PyError::ValueError)
    } else if f.is_infinite() {
        Err(PyError::OverflowError)
    } else {
        Ok(f.trunc() as i128)
    }
}

/// Python `int(a * b)` as the variant sets compute `int(size * num_buckets)`: numbers multiply
/// (int·int exactly, else in f64) and truncate; an int times a str repeats the string, which
/// `int()` then parses; everything else raises TypeError.
pub(crate) fn int_of_mul(a: V<'_>, b: V<'_>) -> Result<i128, PyError> {
    match (Num::of(a), Num::of(b)) {
        (Some(Num::I(p)), Some(Num::I(q))) => Ok(p.saturating_mul(q)),
        (Some(x), Some(y)) => int_of_float(x.to_f64() * y.to_f64()),
        (Some(Num::I(k)), None) => repeat_then_int(b, k),
        (None, Some(Num::I(k))) => repeat_then_int(a, k),
        _ => Err(PyError::TypeError),
    }
}

/// `int(s * k)` for a str (other sequences: TypeError from `int()` of a list).
fn repeat_then_int(seq: V<'_>, k: i128) -> Result<i128, PyError> {
    match seq {
        V::Str(s) => {
            // Python 3.11+ refuses to parse more than 4300 digits (ValueError).
            let total = (s.len() as i128).saturating_mul(k.max(0));
            if total > 5000 {
                return Err(PyError::ValueError);
            }
            parse_int(&s.repeat(k.max(0) as usize))
        }
        V::List(_) => Err(PyError::TypeError),
        _ => Err(PyError::TypeError),
    }
}

/// Python `int(str)`: surrounding whitespace, one sign, ASCII digits with single underscores
/// between them; ValueError otherwise. Saturates beyond i128.
pub(crate) fn parse_int(s: &str) -> Result<i128, PyError> {
    let t = s.trim();
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if body.is_empty() || body.starts_with('_') || body.ends_with('_') || body.contains("__") {
        return Err(PyError::ValueError);
    }
    let mut v: i128 = 0;
    for c in body.chars() {
        if c == '_' {
            continue;
        }
        let d = c.to_digit(10).ok_or(PyError::ValueError)?;
        v = v.saturating_mul(10).saturating_add(i128::from(d));
    }
    Ok(if neg { -v } else { v })
}

/// Python `str(v)` (`spec/baseplate.md` §3.1): strings verbatim, ints in decimal,
/// `True`/`False`/`None`, floats in `repr` form, lists and dicts as Python prints them.
pub(crate) fn pystr(v: V<'_>) -> String {
    match v {
        V::Str(s) => s.to_string(),
        _ => {
            let mut out = String::new();
            write_repr(&mut out, v, 0);
            out
        }
    }
}

fn write_repr(out: &mut String, v: V<'_>, depth: usize) {
    use std::fmt::Write;
    if depth > MAX_DEPTH {
        out.push_str("...");
        return;
    }
    match v {
        V::Null => out.push_str("None"),
        V::Bool(true) => out.push_str("True"),
        V::Bool(false) => out.push_str("False"),
        V::Int(i) => {
            let _ = write!(out, "{i}");
        }
        V::Float(f) => out.push_str(&float_repr(f)),
        V::Str(s) => repr_str(out, s),
        V::List(l) => {
            out.push('[');
            for (i, e) in l.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(out, V::of(e), depth + 1);
            }
            out.push(']');
        }
        V::Dict(m) => {
            out.push('{');
            for (i, (k, e)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                repr_str(out, k);
                out.push_str(": ");
                write_repr(out, V::of(e), depth + 1);
            }
            out.push('}');
        }
    }
}

/// Python `repr(str)`: single quotes unless the text has `'` and no `"`; backslash escapes for
/// the quote, `\\`, `\t`, `\n`, `\r` and non-printable characters. "Non-printable" follows
/// `str.isprintable` for control, format, separator and private-use characters that matter in
/// practice; exotic unassigned code points may differ.
fn repr_str(out: &mut String, s: &str) {
    use std::fmt::Write;
    let q = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(q);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if !printable(c) => {
                let u = c as u32;
                let _ = if u < 0x100 {
                    write!(out, "\\x{u:02x}")
                } else if u < 0x10000 {
                    write!(out, "\\u{u:04x}")
                } else {
                    write!(out, "\\U{u:08x}")
                };
            }
            c => out.push(c),
        }
    }
    out.push(q);
}

fn printable(c: char) -> bool {
    let u = c as u32;
    !(u < 0x20
        || (0x7f..=0xa0).contains(&u)
        || u == 0xad
        || u == 0x1680
        || (0x2000..=0x200f).contains(&u)
        || (0x2028..=0x202f).contains(&u)
        || (0x205f..=0x2064).contains(&u)
        || u == 0x3000
        || u == 0xfeff
        || (0xd800..=0xf8ff).contains(&u)
        || (0xfff9..=0xfffb).contains(&u)
        || u >= 0xf0000)
}

/// Python `repr(float)`: the shortest round-trip digits, fixed notation when the decimal
/// exponent is in -4..16 (always with a fractional part, `100.0`), otherwise scientific with a
/// signed two-digit-minimum exponent (`1e+16`, `1e-05`, `1.5e+16`); `inf`, `-inf`, `nan`.
pub(crate) fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    // Rust's `{:e}` prints the shortest round-trip digits, e.g. "-1.2345e17".
    let s = format!("{f:e}");
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            let e = exp as usize;
            if digits.len() > e + 1 {
                out.push_str(&digits[..=e]);
                out.push('.');
                out.push_str(&digits[e + 1..]);
            } else {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', e + 1 - digits.len()));
                out.push_str(".0");
            }
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let a = exp.unsigned_abs();
        if a < 10 {
            out.push('0');
        }
        out.push_str(&a.to_string());
    }
    out
}

/// Python `str.lower()` (full Unicode lower-casing, final sigma included).
pub(crate) fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
        std::borrow::Cow::Owned(s.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn s(v: Value) -> String {
        pystr(V::of(&v))
    }

    #[test]
    fn float_forms_match_python_repr() {
        // Values as CPython 3 prints them.
        let cases: [(f64, &str); 16] = [
            (1.5, "1.5"),
            (100.0, "100.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1e15, "1000000000000000.0"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (1e100, "1e+100"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (-0.0, "-0.0"),
            (0.3, "0.3"),
            (2.5e-7, "2.5e-07"),
        ];
        for (f, want) in cases {
            assert_eq!(float_repr(f), want, "{f:?}");
        }
    }

    #[test]
    fn str_of_values() {
        assert_eq!(s(json!(true)), "True");
        assert_eq!(s(json!(false)), "False");
        assert_eq!(s(json!(null)), "None");
        assert_eq!(s(json!(123)), "123");
        assert_eq!(s(json!(1.5)), "1.5");
        assert_eq!(s(json!(100.0)), "100.0");
        assert_eq!(s(json!("t2_1")), "t2_1");
        assert_eq!(s(json!(18446744073709551615u64)), "18446744073709551615");
        assert_eq!(
            s(json!(["a", 1, true, null, 2.0])),
            "['a', 1, True, None, 2.0]"
        );
        assert_eq!(
            s(json!({"k": "it's", "q": "\"x\"\n"})),
            r#"{'k': "it's", 'q': '"x"\n'}"#
        );
    }

    #[test]
    fn equality_and_ordering() {
        let t = |a: Value, b: Value| eq(V::of(&a), V::of(&b));
        assert!(t(json!(true), json!(1)));
        assert!(t(json!(1), json!(1.0)));
        assert!(t(json!(false), json!(0.0)));
        assert!(!t(json!("1"), json!(1)));
        assert!(t(json!([1, "a"]), json!([1.0, "a"])));
        assert!(t(json!({"a": 1, "b": 2}), json!({"b": 2, "a": true})));
        assert!(!t(json!(null), json!(0)));
        assert!(!t(json!(9007199254740993u64), json!(9007199254740992.0)));
        let c = |a: Value, b: Value, op| compare(V::of(&a), V::of(&b), op);
        assert_eq!(c(json!(5), json!(4), Op::Gt), Ok(true));
        assert_eq!(c(json!(true), json!(0.5), Op::Gt), Ok(true));
        assert_eq!(c(json!("b"), json!("a"), Op::Ge), Ok(true));
        assert_eq!(c(json!([1, 2]), json!([1, 3]), Op::Lt), Ok(true));
        assert_eq!(c(json!([1]), json!([1, 0]), Op::Lt), Ok(true));
        assert_eq!(c(json!("7"), json!(5), Op::Gt), Err(PyError::TypeError));
        assert_eq!(c(json!(null), json!(5), Op::Gt), Err(PyError::TypeError));
        assert_eq!(c(json!({}), json!({}), Op::Le), Err(PyError::TypeError));
        assert_eq!(
            c(json!([1, "a"]), json!([1, 2]), Op::Lt),
            Err(PyError::TypeError)
        );
    }

    #[test]
    fn membership_and_ints() {
        let i = |c: Value, x: Value| contains(V::of(&c), V::of(&x));
        assert_eq!(i(json!("USA"), json!("US")), Ok(true));
        assert_eq!(i(json!("USA"), json!(1)), Err(PyError::TypeError));
        assert_eq!(i(json!([true]), json!(1)), Ok(true));
        assert_eq!(i(json!({"a": 1}), json!("a")), Ok(true));
        assert_eq!(i(json!({"a": 1}), json!(["a"])), Err(PyError::TypeError));
        assert_eq!(i(json!(5), json!(5)), Err(PyError::TypeError));
        let m = |a: Value, b: Value| int_of_mul(V::of(&a), V::of(&b));
        assert_eq!(m(json!(0.7), json!(1000)), Ok(700));
        assert_eq!(m(json!(0.29), json!(1000)), Ok(290));
        assert_eq!(m(json!("0"), json!(1000)), Ok(0));
        assert_eq!(m(json!("1"), json!(3)), Ok(111));
        assert_eq!(m(json!("x"), json!(2)), Err(PyError::ValueError));
        assert_eq!(m(json!(1e308), json!(1000)), Err(PyError::OverflowError));
        assert_eq!(m(json!(null), json!(1000)), Err(PyError::TypeError));
        assert_eq!(parse_int(" -1_000 "), Ok(-1000));
        assert_eq!(parse_int("1__0"), Err(PyError::ValueError));
    }
}
