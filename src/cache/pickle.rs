//! Reads the pickles django-waffle's cache values are (protocols 2 to 5), far enough to compare
//! them with the store: strings, numbers, booleans, None, tuples, lists, dicts, sets, and
//! objects as "callable + arguments + state" (a Django model instance is
//! `model_unpickle(('waffle', 'Flag'))` with its `__dict__` as state; a Decimal is
//! `Decimal('12.5')`). Nothing is imported or executed.
//! Kept hand-written: serde-pickle refuses or drops objects (callable+arguments+state), which this compares.

use std::collections::HashMap;

/// A decoded value. Containers hold indexes into the arena of [`Decoded`], so that a container
/// filled after it was memoised is seen filled wherever it is referred to.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<usize>),
    List(Vec<usize>),
    Dict(Vec<(usize, usize)>),
    Set(Vec<usize>),
    Global(String, String),
    Object {
        callable: usize,
        args: usize,
        state: Option<usize>,
    },
    Mark,
}

/// The values of one pickle and the index of its top value.
pub struct Decoded {
    arena: Vec<Val>,
    pub top: usize,
}

impl Decoded {
    pub fn get(&self, i: usize) -> &Val {
        &self.arena[i]
    }

    /// The text of a `str` value.
    pub fn str(&self, i: usize) -> Option<&str> {
        match self.get(i) {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The state dict of an object as name → value index.
    pub fn state(&self, i: usize) -> HashMap<String, usize> {
        let mut out = HashMap::new();
        if let Val::Object { state: Some(s), .. } = self.get(i)
            && let Val::Dict(items) = self.get(*s)
        {
            for (k, v) in items {
                if let Val::Str(k) = self.get(*k) {
                    out.insert(k.clone(), *v);
                }
            }
        }
        out
    }

    /// The first argument of an object (e.g. the text of `Decimal('12.5')`).
    pub fn first_arg(&self, i: usize) -> Option<usize> {
        match self.get(i) {
            Val::Object { args, .. } => match self.get(*args) {
                Val::Tuple(a) => a.first().copied(),
                _ => None,
            },
            _ => None,
        }
    }

    /// The integers of a set, list or tuple (a flag's user or group ids).
    pub fn ints(&self, i: usize) -> Option<Vec<i64>> {
        let items = match self.get(i) {
            Val::Set(a) | Val::List(a) | Val::Tuple(a) => a,
            _ => return None,
        };
        items
            .iter()
            .map(|x| match self.get(*x) {
                Val::Int(n) => Some(*n),
                _ => None,
            })
            .collect()
    }

    /// The items of a list.
    pub fn list(&self, i: usize) -> Option<&[usize]> {
        match self.get(i) {
            Val::List(a) => Some(a),
            _ => None,
        }
    }
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.data.len());
        let end = end.ok_or("truncated pickle")?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn le(&mut self, n: usize) -> Result<u64, String> {
        let b = self.take(n)?;
        Ok(b.iter().rev().fold(0u64, |acc, x| (acc << 8) | *x as u64))
    }
    fn line(&mut self) -> Result<String, String> {
        let rest = &self.data[self.pos..];
        let n = rest
            .iter()
            .position(|b| *b == b'\n')
            .ok_or("truncated pickle")?;
        let s = String::from_utf8_lossy(&rest[..n]).into_owned();
        self.pos += n + 1;
        Ok(s)
    }
}

/// Decodes a pickle; an opcode outside the subset is an error naming it.
pub fn decode(data: &[u8]) -> Result<Decoded, String> {
    let mut arena: Vec<Val> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut memo: HashMap<u64, usize> = HashMap::new();
    let mut r = Reader { data, pos: 0 };
    let new = |arena: &mut Vec<Val>, v: Val| {
        arena.push(v);
        arena.len() - 1
    };
    let pop = |stack: &mut Vec<usize>| {
        stack
            .pop()
            .ok_or_else(|| "pickle stack underflow".to_string())
    };
    // Pops back to the last mark; returns the items above it.
    let pop_mark = |stack: &mut Vec<usize>, arena: &Vec<Val>| -> Result<Vec<usize>, String> {
        let at = stack
            .iter()
            .rposition(|i| arena[*i] == Val::Mark)
            .ok_or("pickle mark missing")?;
        let items = stack.split_off(at + 1);
        stack.pop();
        Ok(items)
    };
    loop {
        let op = r.u8()?;
        match op {
            0x80 => {
                r.u8()?;
            }
            0x95 => {
                r.le(8)?;
            }
            b'.' => {
                let top = pop(&mut stack)?;
                return Ok(Decoded { arena, top });
            }
            b'(' => stack.push(new(&mut arena, Val::Mark)),
            b'}' => stack.push(new(&mut arena, Val::Dict(Vec::new()))),
            b']' => stack.push(new(&mut arena, Val::List(Vec::new()))),
            b')' => stack.push(new(&mut arena, Val::Tuple(Vec::new()))),
            0x8f => stack.push(new(&mut arena, Val::Set(Vec::new()))),
            b't' => {
                let items = pop_mark(&mut stack, &arena)?;
                stack.push(new(&mut arena, Val::Tuple(items)));
            }
            0x91 => {
                let items = pop_mark(&mut stack, &arena)?;
                stack.push(new(&mut arena, Val::Set(items)));
            }
            0x85..=0x87 => {
                let n = (op - 0x84) as usize;
                if stack.len() < n {
                    return Err("pickle stack underflow".into());
                }
                let items = stack.split_off(stack.len() - n);
                stack.push(new(&mut arena, Val::Tuple(items)));
            }
            0x8c | b'X' | 0x8d => {
                let n = match op {
                    0x8c => r.le(1)?,
                    b'X' => r.le(4)?,
                    _ => r.le(8)?,
                } as usize;
                let s = String::from_utf8_lossy(r.take(n)?).into_owned();
                stack.push(new(&mut arena, Val::Str(s)));
            }
            b'C' | b'B' | 0x8e | 0x96 => {
                let n = match op {
                    b'C' => r.le(1)?,
                    b'B' => r.le(4)?,
                    _ => r.le(8)?,
                } as usize;
                let b = r.take(n)?.to_vec();
                stack.push(new(&mut arena, Val::Bytes(b)));
            }
            b'J' => {
                let v = r.le(4)? as u32 as i32 as i64;
                stack.push(new(&mut arena, Val::Int(v)));
            }
            b'K' => {
                let v = r.le(1)? as i64;
                stack.push(new(&mut arena, Val::Int(v)));
            }
            b'M' => {
                let v = r.le(2)? as i64;
                stack.push(new(&mut arena, Val::Int(v)));
            }
            0x8a | 0x8b => {
                let n = if op == 0x8a { r.le(1)? } else { r.le(4)? } as usize;
                let b = r.take(n)?;
                if n > 8 {
                    return Err("integer too large in pickle".into());
                }
                let mut v: i64 = 0;
                for (i, x) in b.iter().enumerate() {
                    v |= (*x as i64) << (8 * i);
                }
                if n > 0 && n < 8 && b[n - 1] & 0x80 != 0 {
                    v -= 1i64 << (8 * n);
                }
                stack.push(new(&mut arena, Val::Int(v)));
            }
            b'N' => stack.push(new(&mut arena, Val::None)),
            0x88 => stack.push(new(&mut arena, Val::Bool(true))),
            0x89 => stack.push(new(&mut arena, Val::Bool(false))),
            b'G' => {
                let b = r.take(8)?;
                let v = f64::from_be_bytes(b.try_into().map_err(|_| "bad float")?);
                stack.push(new(&mut arena, Val::Float(v)));
            }
            0x94 => {
                let top = *stack.last().ok_or("pickle stack underflow")?;
                memo.insert(memo.len() as u64, top);
            }
            b'q' | b'r' => {
                let k = if op == b'q' { r.le(1)? } else { r.le(4)? };
                let top = *stack.last().ok_or("pickle stack underflow")?;
                memo.insert(k, top);
            }
            b'h' | b'j' => {
                let k = if op == b'h' { r.le(1)? } else { r.le(4)? };
                stack.push(*memo.get(&k).ok_or("pickle memo miss")?);
            }
            b'c' => {
                let module = r.line()?;
                let name = r.line()?;
                stack.push(new(&mut arena, Val::Global(module, name)));
            }
            0x93 => {
                let name = pop(&mut stack)?;
                let module = pop(&mut stack)?;
                let (Val::Str(m), Val::Str(n)) = (&arena[module], &arena[name]) else {
                    return Err("bad STACK_GLOBAL in pickle".into());
                };
                let g = Val::Global(m.clone(), n.clone());
                stack.push(new(&mut arena, g));
            }
            b'R' | 0x81 | 0x92 => {
                if op == 0x92 {
                    // NEWOBJ_EX: its keyword arguments are not kept.
                    pop(&mut stack)?;
                }
                let args = pop(&mut stack)?;
                let callable = pop(&mut stack)?;
                stack.push(new(
                    &mut arena,
                    Val::Object {
                        callable,
                        args,
                        state: None,
                    },
                ));
            }
            b'b' => {
                let st = pop(&mut stack)?;
                let obj = *stack.last().ok_or("pickle stack underflow")?;
                if let Val::Object { state, .. } = &mut arena[obj] {
                    *state = Some(st);
                }
            }
            b's' => {
                let v = pop(&mut stack)?;
                let k = pop(&mut stack)?;
                let d = *stack.last().ok_or("pickle stack underflow")?;
                if let Val::Dict(items) = &mut arena[d] {
                    items.push((k, v));
                }
            }
            b'u' => {
                let items = pop_mark(&mut stack, &arena)?;
                let d = *stack.last().ok_or("pickle stack underflow")?;
                if let Val::Dict(dict) = &mut arena[d] {
                    dict.extend(
                        items
                            .chunks(2)
                            .filter(|c| c.len() == 2)
                            .map(|c| (c[0], c[1])),
                    );
                }
            }
            b'a' => {
                let v = pop(&mut stack)?;
                let l = *stack.last().ok_or("pickle stack underflow")?;
                if let Val::List(items) = &mut arena[l] {
                    items.push(v);
                }
            }
            b'e' | 0x90 => {
                let items = pop_mark(&mut stack, &arena)?;
                let l = *stack.last().ok_or("pickle stack underflow")?;
                if let Val::List(v) | Val::Set(v) = &mut arena[l] {
                    v.extend(items);
                }
            }
            b'0' => {
                pop(&mut stack)?;
            }
            b'1' => {
                pop_mark(&mut stack, &arena)?;
            }
            b'2' => {
                let top = *stack.last().ok_or("pickle stack underflow")?;
                stack.push(top);
            }
            other => return Err(format!("pickle opcode 0x{other:02x} not understood")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_pickled_string_and_set() {
        // pickle.dumps('-', 5)
        let d = decode(b"\x80\x05\x95\x05\x00\x00\x00\x00\x00\x00\x00\x8c\x01-\x94.").unwrap();
        assert_eq!(d.str(d.top), Some("-"));
        // pickle.dumps({3, 300}, 5)
        let d =
            decode(b"\x80\x05\x95\n\x00\x00\x00\x00\x00\x00\x00\x8f\x94(K\x03M,\x01\x90.").unwrap();
        assert_eq!(d.ints(d.top), Some(vec![3, 300]));
    }
}
