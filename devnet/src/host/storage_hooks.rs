//! Host functions for storage (through the frame's cache), transient
//! storage and logs.

use super::access::{HostAccess, HostResult};
use super::context_hooks::hook;
use super::{CachedSlot, HostCtx, HostTrap};
use crate::gas::{
    sstore_gas, sstore_refund, COLD_SLOAD_GAS, EVM_API_INK, HOSTIO_INK, LOG_DATA_GAS, LOG_GAS, LOG_TOPIC_GAS, PTR_INK,
    SSTORE_SENTRY_GAS, STORAGE_CACHE_GAS, TRANSIENT_GAS, WARM_ACCESS_GAS,
};
use alloy_primitives::{Bytes, Log, LogData, B256};
use wasmi::{Caller, Error, Linker};

type Ctx<'a> = Caller<'a, HostCtx>;

/// Largest number of topics a log may have.
const MAX_TOPICS: u32 = 4;

fn require_write(caller: &mut Ctx) -> HostResult<()> {
    if caller.frame().msg.is_static {
        return Err(Error::host(HostTrap::WriteProtection));
    }
    Ok(())
}

/// Reads a slot through the frame's cache, charging cold/warm SLOAD on a miss.
fn storage_load(caller: &mut Ctx, key: B256) -> HostResult<B256> {
    if let Some(slot) = caller.frame().cache.get(&key) {
        let value = slot.value;
        caller.charge_gas(STORAGE_CACHE_GAS)?;
        return Ok(value);
    }
    let address = caller.frame().msg.address;
    let machine = caller.machine();
    let cold = machine.state.warm_slot(address, key);
    let value = machine.state.storage(address, key);
    caller.charge_ink(EVM_API_INK)?;
    caller.charge_gas(if cold { COLD_SLOAD_GAS } else { WARM_ACCESS_GAS })?;
    caller.frame().cache.insert(key, CachedSlot { value, dirty: false });
    Ok(value)
}

/// Writes the frame's dirty slots to state at EVM SSTORE prices.
fn flush(caller: &mut Ctx, clear: bool) -> HostResult<()> {
    caller.charge_ink(HOSTIO_INK + EVM_API_INK)?;
    let mut dirty: Vec<(B256, B256)> =
        caller.frame().cache.iter().filter(|(_, slot)| slot.dirty).map(|(key, slot)| (*key, slot.value)).collect();
    dirty.sort();
    if !dirty.is_empty() {
        require_write(caller)?;
    }
    let address = caller.frame().msg.address;
    for (key, value) in dirty {
        let state = &mut caller.machine().state;
        let cold = state.warm_slot(address, key);
        let (original, current) = (state.original_storage(address, key), state.storage(address, key));
        let gas = sstore_gas(original, current, value, cold);
        state.add_refund(sstore_refund(original, current, value));
        state.set_storage(address, key, value);
        caller.charge_gas(gas)?;
        caller.frame().cache.insert(key, CachedSlot { value, dirty: false });
    }
    if clear {
        caller.frame().cache.clear();
    }
    Ok(())
}

fn emit_log(caller: &mut Ctx, ptr: u32, len: u32, topics: u32) -> HostResult<()> {
    require_write(caller)?;
    if topics > MAX_TOPICS || len < topics * 32 {
        return Err(Error::host(HostTrap::BadLog));
    }
    caller.charge_ink(HOSTIO_INK + PTR_INK + EVM_API_INK)?;
    caller.charge_gas(LOG_GAS + u64::from(topics) * LOG_TOPIC_GAS + u64::from(len - topics * 32) * LOG_DATA_GAS)?;
    let bytes = caller.read(ptr, len)?;
    let (topic_bytes, data) = bytes.split_at(topics as usize * 32);
    let topic_list = topic_bytes.chunks(32).map(B256::from_slice).collect();
    let address = caller.frame().msg.address;
    let log = Log { address, data: LogData::new_unchecked(topic_list, Bytes::copy_from_slice(data)) };
    caller.machine().state.push_log(log);
    Ok(())
}

/// Defines the storage and log host functions.
pub(super) fn define(linker: &mut Linker<HostCtx>) {
    hook!(linker, "storage_load_bytes32", |mut c: Ctx, key: u32, dest: u32| -> HostResult<()> {
        c.charge_ink(HOSTIO_INK + 2 * PTR_INK)?;
        let key = c.read_b256(key)?;
        let value = storage_load(&mut c, key)?;
        c.write(dest, value.as_slice())
    });
    hook!(linker, "storage_cache_bytes32", |mut c: Ctx, key: u32, value: u32| -> HostResult<()> {
        c.charge_ink(HOSTIO_INK + 2 * PTR_INK)?;
        c.charge_gas(STORAGE_CACHE_GAS)?;
        if c.gas_left() < SSTORE_SENTRY_GAS {
            return Err(Error::host(HostTrap::OutOfInk));
        }
        let (key, value) = (c.read_b256(key)?, c.read_b256(value)?);
        c.frame().cache.insert(key, CachedSlot { value, dirty: true });
        Ok(())
    });
    hook!(linker, "storage_flush_cache", |mut c: Ctx, clear: u32| flush(&mut c, clear != 0));
    hook!(linker, "emit_log", |mut c: Ctx, ptr: u32, len: u32, topics: u32| emit_log(&mut c, ptr, len, topics));
    hook!(linker, "transient_load_bytes32", |mut c: Ctx, key: u32, dest: u32| -> HostResult<()> {
        c.charge_ink(HOSTIO_INK + 2 * PTR_INK)?;
        c.charge_gas(TRANSIENT_GAS)?;
        let key = c.read_b256(key)?;
        let address = c.frame().msg.address;
        let value = c.machine().state.transient(address, key);
        c.write(dest, value.as_slice())
    });
    hook!(linker, "transient_store_bytes32", |mut c: Ctx, key: u32, value: u32| -> HostResult<()> {
        c.charge_ink(HOSTIO_INK + 2 * PTR_INK)?;
        c.charge_gas(TRANSIENT_GAS)?;
        require_write(&mut c)?;
        let (key, value) = (c.read_b256(key)?, c.read_b256(value)?);
        let address = c.frame().msg.address;
        c.machine().state.set_transient(address, key, value);
        Ok(())
    });
}
