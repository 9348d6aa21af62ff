//! A minimal Redis client (RESP2 over TCP): AUTH, SELECT, DEL and MGET, which is all that
//! invalidating and inspecting django-waffle's keys needs.

use std::io::{self, BufReader, Write};
use std::net::TcpStream;

use super::{bad, read_line};

/// A reply of the server.
#[derive(Debug, PartialEq)]
enum Reply {
    Status(String),
    Error(String),
    Integer(i64),
    Bulk(Option<Vec<u8>>),
    Array(Option<Vec<Reply>>),
}

pub struct Redis {
    reader: BufReader<TcpStream>,
}

fn command(args: &[&[u8]]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    out
}

impl Redis {
    /// Connects, authenticates when a password is given and selects database `db`.
    pub fn connect(
        stream: TcpStream,
        user: Option<&str>,
        password: Option<&str>,
        db: u32,
    ) -> io::Result<Redis> {
        let mut r = Redis {
            reader: BufReader::new(stream),
        };
        if let Some(p) = password {
            let mut args: Vec<&[u8]> = vec![b"AUTH"];
            if let Some(u) = user {
                args.push(u.as_bytes());
            }
            args.push(p.as_bytes());
            r.ok(&args)?;
        }
        if db != 0 {
            let db = db.to_string();
            r.ok(&[b"SELECT", db.as_bytes()])?;
        }
        Ok(r)
    }

    fn call(&mut self, args: &[&[u8]]) -> io::Result<Reply> {
        let stream = self.reader.get_mut();
        stream.write_all(&command(args))?;
        stream.flush()?;
        self.read()
    }

    fn ok(&mut self, args: &[&[u8]]) -> io::Result<()> {
        match self.call(args)? {
            Reply::Error(e) => Err(bad(format!("the server answered: {e}"))),
            _ => Ok(()),
        }
    }

    fn read(&mut self) -> io::Result<Reply> {
        let line = read_line(&mut self.reader)?;
        let (tag, rest) = line.split_at(line.len().min(1));
        let int = |s: &str| {
            s.parse::<i64>()
                .map_err(|_| bad(format!("bad reply {line:?}")))
        };
        Ok(match tag {
            "+" => Reply::Status(rest.into()),
            "-" => Reply::Error(rest.into()),
            ":" => Reply::Integer(int(rest)?),
            "$" => {
                let n = int(rest)?;
                if n < 0 {
                    Reply::Bulk(None)
                } else {
                    let mut buf = vec![0; n as usize + 2];
                    io::Read::read_exact(&mut self.reader, &mut buf)?;
                    buf.truncate(n as usize);
                    Reply::Bulk(Some(buf))
                }
            }
            "*" => {
                let n = int(rest)?;
                if n < 0 {
                    Reply::Array(None)
                } else {
                    let mut items = Vec::with_capacity(n as usize);
                    for _ in 0..n {
                        items.push(self.read()?);
                    }
                    Reply::Array(Some(items))
                }
            }
            _ => return Err(bad(format!("not a Redis reply: {line:?}"))),
        })
    }

    /// `DEL key...`: how many keys existed.
    pub fn delete(&mut self, keys: &[String]) -> io::Result<usize> {
        if keys.is_empty() {
            return Ok(0);
        }
        let mut args: Vec<&[u8]> = vec![b"DEL"];
        args.extend(keys.iter().map(|k| k.as_bytes()));
        match self.call(&args)? {
            Reply::Integer(n) => Ok(n.max(0) as usize),
            Reply::Error(e) => Err(bad(format!("the server answered: {e}"))),
            other => Err(bad(format!("unexpected reply to DEL: {other:?}"))),
        }
    }

    /// `MGET key...`: each key's value, or None.
    pub fn get(&mut self, keys: &[String]) -> io::Result<Vec<Option<Vec<u8>>>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut args: Vec<&[u8]> = vec![b"MGET"];
        args.extend(keys.iter().map(|k| k.as_bytes()));
        match self.call(&args)? {
            Reply::Array(Some(items)) if items.len() == keys.len() => items
                .into_iter()
                .map(|i| match i {
                    Reply::Bulk(v) => Ok(v),
                    other => Err(bad(format!("unexpected item in MGET reply: {other:?}"))),
                })
                .collect(),
            Reply::Error(e) => Err(bad(format!("the server answered: {e}"))),
            other => Err(bad(format!("unexpected reply to MGET: {other:?}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::command;

    #[test]
    fn encodes_commands_as_resp_arrays() {
        assert_eq!(
            command(&[b"DEL", b":1:flags:all"]),
            b"*2\r\n$3\r\nDEL\r\n$12\r\n:1:flags:all\r\n".to_vec()
        );
    }
}
