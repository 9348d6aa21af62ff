//! `--jobs`: the bulk commands (`bucket --users-file`, `bucket --find`, `variant --users-file`)
//! read their input in large chunks of whole lines, work on the chunks on worker threads and
//! hand the results back in input order, with a bounded number of chunks in flight, so the
//! output is byte for byte that of one thread and memory does not grow with the input.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::{Mutex, mpsc};

use crate::error::Result;

/// Bytes per chunk of input (a chunk ends at a newline; one longer line makes a longer chunk).
pub(crate) const CHUNK: usize = 2 << 20;
/// Chunks in flight per worker: enough to keep every worker busy while results wait for their
/// turn.
const IN_FLIGHT_PER_JOB: usize = 2;

/// Worker threads: `--jobs`, else `$WAFFLECTL_JOBS`, else one per core.
pub(crate) fn count(arg: Option<u16>) -> Result<usize> {
    if let Some(n) = arg {
        return Ok(usize::from(n));
    }
    if let Some(n) = crate::env::jobs()? {
        return Ok(usize::from(n));
    }
    Ok(std::thread::available_parallelism().map_or(1, usize::from))
}

/// An input read a chunk of whole lines at a time.
pub(crate) struct Chunks<R> {
    input: R,
    /// The start of a line the previous read cut.
    carry: Vec<u8>,
    eof: bool,
    /// Bytes read so far (for progress).
    pub(crate) read: u64,
}

impl<R: Read> Chunks<R> {
    pub(crate) fn new(input: R) -> Chunks<R> {
        Chunks {
            input,
            carry: Vec::new(),
            eof: false,
            read: 0,
        }
    }

    /// The next chunk: whole lines, each ending in a newline except perhaps the input's last.
    pub(crate) fn next_chunk(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        let mut buf = std::mem::take(&mut self.carry);
        loop {
            if self.eof {
                return Ok((!buf.is_empty()).then_some(buf));
            }
            let from = buf.len();
            let want = from.max(CHUNK - CHUNK / 8) + CHUNK / 8;
            buf.resize(want, 0);
            let mut len = from;
            while len < want {
                match self.input.read(&mut buf[len..]) {
                    Ok(0) => {
                        self.eof = true;
                        break;
                    }
                    Ok(n) => len += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            buf.truncate(len);
            self.read += (len - from) as u64;
            if self.eof {
                continue;
            }
            if let Some(last) = memchr::memrchr(b'\n', &buf[from..]) {
                self.carry = buf[from + last + 1..].to_vec();
                buf.truncate(from + last + 1);
                return Ok(Some(buf));
            }
        }
    }
}

/// Runs `work` on the items `produce` gives, on `jobs` threads (each with its own state from
/// `init`), and hands each result to `consume` in the order of the items; `consume` answers
/// whether to go on. At most `2 × jobs` items are in flight. With one job everything runs on
/// the calling thread. Returns the workers' states.
pub(crate) fn ordered<S, T, R>(
    jobs: usize,
    init: impl Fn() -> S + Sync,
    mut produce: impl FnMut() -> Result<Option<T>>,
    work: impl Fn(&mut S, T) -> R + Sync,
    mut consume: impl FnMut(R) -> Result<bool>,
) -> Result<Vec<S>>
where
    S: Send,
    T: Send,
    R: Send,
{
    if jobs <= 1 {
        let mut s = init();
        while let Some(t) = produce()? {
            if !consume(work(&mut s, t))? {
                break;
            }
        }
        return Ok(vec![s]);
    }
    let (job_tx, job_rx) = mpsc::channel::<(u64, T)>();
    let job_rx = Mutex::new(job_rx);
    let (res_tx, res_rx) = mpsc::channel::<(u64, R)>();
    let (init, work) = (&init, &work);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..jobs)
            .map(|_| {
                let res_tx = res_tx.clone();
                let job_rx = &job_rx;
                scope.spawn(move || {
                    let mut s = init();
                    loop {
                        let job = job_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        let Ok((i, t)) = job else { break };
                        if res_tx.send((i, work(&mut s, t))).is_err() {
                            break;
                        }
                    }
                    s
                })
            })
            .collect();
        drop(res_tx);
        let most = (IN_FLIGHT_PER_JOB * jobs) as u64;
        let (mut sent, mut next) = (0u64, 0u64);
        let mut waiting: BTreeMap<u64, R> = BTreeMap::new();
        let mut done = false;
        let mut outcome = Ok(());
        'run: loop {
            while !done && sent - next < most {
                match produce() {
                    Ok(Some(t)) => {
                        if job_tx.send((sent, t)).is_err() {
                            break 'run;
                        }
                        sent += 1;
                    }
                    Ok(None) => done = true,
                    Err(e) => {
                        outcome = Err(e);
                        break 'run;
                    }
                }
            }
            if next == sent {
                break;
            }
            // A closed channel means a worker panicked: its panic is raised below.
            let Ok((i, r)) = res_rx.recv() else { break };
            waiting.insert(i, r);
            while let Some(r) = waiting.remove(&next) {
                next += 1;
                match consume(r) {
                    Ok(true) => {}
                    Ok(false) => break 'run,
                    Err(e) => {
                        outcome = Err(e);
                        break 'run;
                    }
                }
            }
        }
        drop(job_tx);
        drop(res_rx);
        let states = workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect();
        outcome.map(|()| states)
    })
}
