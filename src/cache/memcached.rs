//! A minimal memcached client (text protocol over TCP): `delete` and `get`.
//! Kept hand-written: two commands of a stable text protocol; a client crate would add only weight.

use std::io::{self, BufReader, Read, Write};
use std::net::TcpStream;

use super::{bad, read_line};

pub struct Memcached {
    reader: BufReader<TcpStream>,
}

/// What memcached accepts as a key (and Django's `validate_key` lets through): at most 250
/// bytes, no whitespace or control characters. Django refuses to store any other key, so such a
/// key is never in the cache.
pub fn valid_key(key: &str) -> bool {
    key.len() <= 250 && !key.bytes().any(|b| b <= b' ' || b == 0x7f)
}

/// One value as memcached returned it: its client flags and bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub flags: u32,
    pub data: Vec<u8>,
}

impl Memcached {
    pub fn new(stream: TcpStream) -> Memcached {
        Memcached {
            reader: BufReader::new(stream),
        }
    }

    /// Deletes the keys, pipelined by batches (a batch of requests, then its answers, so that
    /// neither side's buffers fill up); how many existed.
    pub fn delete(&mut self, keys: &[String]) -> io::Result<usize> {
        let keys: Vec<&String> = keys.iter().filter(|k| valid_key(k)).collect();
        let mut existed = 0;
        for batch in keys.chunks(256) {
            let mut req = Vec::new();
            for k in batch {
                req.extend_from_slice(format!("delete {k}\r\n").as_bytes());
            }
            let stream = self.reader.get_mut();
            stream.write_all(&req)?;
            stream.flush()?;
            for _ in batch {
                match read_line(&mut self.reader)?.as_str() {
                    "DELETED" => existed += 1,
                    "NOT_FOUND" => {}
                    other => return Err(bad(format!("the server answered: {other}"))),
                }
            }
        }
        Ok(existed)
    }

    /// Each key's value, or None (multi-key `get`s of up to 100 keys).
    pub fn get(&mut self, keys: &[String]) -> io::Result<Vec<Option<Item>>> {
        let mut found: std::collections::HashMap<String, Item> = Default::default();
        let valid: Vec<&String> = keys.iter().filter(|k| valid_key(k)).collect();
        for batch in valid.chunks(100) {
            let mut req = b"get".to_vec();
            for k in batch {
                req.push(b' ');
                req.extend_from_slice(k.as_bytes());
            }
            req.extend_from_slice(b"\r\n");
            let stream = self.reader.get_mut();
            stream.write_all(&req)?;
            stream.flush()?;
            loop {
                let line = read_line(&mut self.reader)?;
                if line == "END" {
                    break;
                }
                let parts: Vec<&str> = line.split(' ').collect();
                match parts.as_slice() {
                    ["VALUE", key, flags, len, ..] => {
                        let flags = flags.parse().map_err(|_| bad(line.clone()))?;
                        let len: usize = len.parse().map_err(|_| bad(line.clone()))?;
                        let mut data = vec![0; len + 2];
                        self.reader.read_exact(&mut data)?;
                        data.truncate(len);
                        found.insert(key.to_string(), Item { flags, data });
                    }
                    _ => return Err(bad(format!("the server answered: {line}"))),
                }
            }
        }
        Ok(keys.iter().map(|k| found.remove(k)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::valid_key;

    #[test]
    fn keys_memcached_refuses() {
        assert!(valid_key(":1:waffle:5.0.0d89193f4bdeaf8b976994c25b7f1a564"));
        assert!(!valid_key("a b"));
        assert!(!valid_key(&"k".repeat(251)));
    }
}
