//! Reporting host calls to the machine's tracer (nitro's stylusTracer
//! hooks): the bytes a call reads from and writes to the program's memory
//! are its arguments and results.

use super::access::HostAccess;
use super::{HostCtx, HostTrap};
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

/// Reports a host call that is not a host function (the entry and return of
/// a frame, as nitro's `run_main` does), if the machine is traced.
fn capture(ctx: &mut HostCtx, name: &'static str, args: Vec<u8>, outs: Vec<u8>, ink: u64) {
    if let Some(tracer) = ctx.machine.as_mut().and_then(|machine| machine.tracer.as_mut()) {
        tracer.hostio(HostIo { name, args, outs, start_ink: ink, end_ink: ink });
    }
}

/// `user_entrypoint`: the calldata length, big-endian, at the frame's starting ink.
pub(crate) fn entered(ctx: &mut HostCtx, args_len: u32, starting_ink: u64) {
    capture(ctx, "user_entrypoint", args_len.to_be_bytes().to_vec(), Vec::new(), starting_ink);
}

/// `user_returned`: the status, big-endian, when the program returned or
/// exited early (nitro reports the frame's starting ink again).
pub(crate) fn returned(ctx: &mut HostCtx, status: &Result<i32, wasmi::Error>, starting_ink: u64) {
    let status = match status {
        Ok(status) => *status,
        Err(error) => match error.downcast_ref::<HostTrap>() {
            Some(HostTrap::ExitEarly(status)) => *status,
            _ => return,
        },
    };
    capture(ctx, "user_returned", Vec::new(), (status as u32).to_be_bytes().to_vec(), starting_ink);
}

/// Adds `data` to the traced call's arguments (`read`) or results.
pub(crate) fn record(io: &IoRecord, data: &[u8], read: bool) {
    if let Some((args, outs)) = io.borrow_mut().as_mut() {
        if read { args } else { outs }.extend_from_slice(data);
    }
}

/// Defines the function probes of the profiling build (`meter::probes`):
/// each reports the ink left to the tracer and charges nothing.
pub(crate) fn define_probes(linker: &mut wasmi::Linker<HostCtx>) {
    use crate::meter::probes::{ENTER, EXIT, MODULE};
    let enter = |mut caller: Caller<'_, HostCtx>, index: i32| {
        let ink = caller.ink_left();
        if let Some(tracer) = caller.data_mut().machine.as_mut().and_then(|machine| machine.tracer.as_mut()) {
            tracer.function_enter(index as u32, ink);
        }
    };
    let exit = |mut caller: Caller<'_, HostCtx>| {
        let ink = caller.ink_left();
        if let Some(tracer) = caller.data_mut().machine.as_mut().and_then(|machine| machine.tracer.as_mut()) {
            tracer.function_exit(ink);
        }
    };
    linker.func_wrap(MODULE, ENTER, enter).expect("the enter probe is defined once");
    linker.func_wrap(MODULE, EXIT, exit).expect("the exit probe is defined once");
}
