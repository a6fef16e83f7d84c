//! Helpers host functions share: reading and writing the program's memory,
//! charging ink, reaching the machine and the frame.

use super::{Frame, HostCtx, HostTrap};
use crate::exec::Machine;
use crate::gas::INK_PER_GAS;
use alloy_primitives::{Address, B256, U256};
use wasmi::{Caller, Error};

/// Result type of host functions.
pub(super) type HostResult<T> = Result<T, Error>;

/// Access to the frame behind a host call.
pub(super) trait HostAccess {
    /// Charges `ink`, trapping with [`HostTrap::OutOfInk`] if too little is left.
    fn charge_ink(&mut self, ink: u64) -> HostResult<()>;
    /// Charges `gas` (converted to ink).
    fn charge_gas(&mut self, gas: u64) -> HostResult<()> {
        self.charge_ink(gas.saturating_mul(INK_PER_GAS))
    }
    /// Ink left in the frame.
    fn ink_left(&self) -> u64;
    /// Gas left in the frame.
    fn gas_left(&self) -> u64 {
        self.ink_left() / INK_PER_GAS
    }
    /// Gives `gas` back to the frame (unused gas of a nested call).
    fn refund_gas(&mut self, gas: u64);
    /// Reads `len` bytes at `ptr` of the program's memory.
    fn read(&self, ptr: u32, len: u32) -> HostResult<Vec<u8>>;
    /// Writes `data` at `ptr` of the program's memory.
    fn write(&mut self, ptr: u32, data: &[u8]) -> HostResult<()>;
    /// Reads a 32-byte word.
    fn read_b256(&self, ptr: u32) -> HostResult<B256> {
        Ok(B256::from_slice(&self.read(ptr, 32)?))
    }
    /// Reads a 32-byte big-endian integer.
    fn read_u256(&self, ptr: u32) -> HostResult<U256> {
        Ok(U256::from_be_bytes(self.read_b256(ptr)?.0))
    }
    /// Reads a 20-byte address.
    fn read_address(&self, ptr: u32) -> HostResult<Address> {
        Ok(Address::from_slice(&self.read(ptr, 20)?))
    }
    /// Writes a little-endian u32 (lengths the host returns through pointers).
    fn write_len(&mut self, ptr: u32, len: usize) -> HostResult<()> {
        self.write(ptr, &(len as u32).to_le_bytes())
    }
    /// The frame being executed.
    fn frame(&mut self) -> &mut Frame;
    /// The machine (state and environment).
    fn machine(&mut self) -> &mut Machine;
}

fn memory_trap<E>(_: E) -> Error {
    Error::host(HostTrap::BadMemoryAccess)
}

impl HostAccess for Caller<'_, HostCtx> {
    fn charge_ink(&mut self, ink: u64) -> HostResult<()> {
        let meter = self.data().frame.meter.ok_or_else(|| Error::host(HostTrap::OutOfInk))?;
        match meter.ink_left(&*self) {
            Some(left) if left >= ink => {
                meter.set_ink(&mut *self, left - ink);
                Ok(())
            }
            _ => {
                meter.exhaust(&mut *self);
                Err(Error::host(HostTrap::OutOfInk))
            }
        }
    }

    fn ink_left(&self) -> u64 {
        self.data().frame.meter.and_then(|meter| meter.ink_left(self)).unwrap_or(0)
    }

    fn refund_gas(&mut self, gas: u64) {
        if let Some(meter) = self.data().frame.meter {
            let left = meter.ink_left(&*self).unwrap_or(0);
            meter.set_ink(&mut *self, left.saturating_add(gas.saturating_mul(INK_PER_GAS)));
        }
    }

    fn read(&self, ptr: u32, len: u32) -> HostResult<Vec<u8>> {
        let memory = self.data().frame.memory.ok_or_else(|| memory_trap(()))?;
        let mut buffer = vec![0u8; len as usize];
        memory.read(self, ptr as usize, &mut buffer).map_err(memory_trap)?;
        super::trace_hooks::record(&self.data().frame.io, &buffer, true);
        Ok(buffer)
    }

    fn write(&mut self, ptr: u32, data: &[u8]) -> HostResult<()> {
        let memory = self.data().frame.memory.ok_or_else(|| memory_trap(()))?;
        memory.write(&mut *self, ptr as usize, data).map_err(memory_trap)?;
        super::trace_hooks::record(&self.data().frame.io, data, false);
        Ok(())
    }

    fn frame(&mut self) -> &mut Frame {
        &mut self.data_mut().frame
    }

    fn machine(&mut self) -> &mut Machine {
        self.data_mut().machine.as_mut().expect("the machine is back once a nested call returns")
    }
}
