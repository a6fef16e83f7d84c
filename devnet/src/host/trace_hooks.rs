//! Reporting host calls to the machine's tracer (nitro's stylusTracer
//! hooks): the bytes a call reads from and writes to the program's memory
//! are its arguments and results.

use super::access::HostAccess;
use super::HostCtx;
use crate::trace::HostIo;
use std::cell::RefCell;
use wasmi::Caller;

/// Memory a traced host call read and wrote so far: `(args, outs)`.
pub(crate) type IoRecord = RefCell<Option<(Vec<u8>, Vec<u8>)>>;

/// Starts recording a host call if the machine is traced; returns the ink
/// left at its start.
pub(crate) fn hostio_enter(caller: &mut Caller<'_, HostCtx>) -> Option<u64> {
    let traced = caller.data().machine.as_ref().is_some_and(|machine| machine.tracer.is_some());
    if !traced {
        return None;
    }
    *caller.data().frame.io.borrow_mut() = Some((Vec::new(), Vec::new()));
    Some(caller.ink_left())
}

/// Reports the host call `name` that started with `start_ink` (if traced).
pub(crate) fn hostio_exit(caller: &mut Caller<'_, HostCtx>, name: &'static str, start_ink: Option<u64>) {
    let Some(start_ink) = start_ink else { return };
    let (args, outs) = caller.data().frame.io.borrow_mut().take().unwrap_or_default();
    let end_ink = caller.ink_left();
    if let Some(tracer) = caller.data_mut().machine.as_mut().and_then(|machine| machine.tracer.as_mut()) {
        tracer.hostio(HostIo { name, args, outs, start_ink, end_ink });
    }
}

/// Adds `data` to the traced call's arguments (`read`) or results.
pub(crate) fn record(io: &IoRecord, data: &[u8], read: bool) {
    if let Some((args, outs)) = io.borrow_mut().as_mut() {
        if read { args } else { outs }.extend_from_slice(data);
    }
}
