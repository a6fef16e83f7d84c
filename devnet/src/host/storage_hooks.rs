//! Host functions for storage (through the frame's cache), transient
//! storage and logs.

use super::access::{HostAccess, HostResult};
use super::context_hooks::hook;
use super::{CachedSlot, HostCtx, HostTrap};
use crate::gas::{
    sstore_gas, sstore_refund, COLD_SLOAD_GAS, EVM_API_INK, HOSTIO_INK, LOG_DATA_GAS, LOG_TOPIC_GAS, PTR_INK, SSTORE_SENTRY_GAS,
    TRANSIENT_GAS, WARM_ACCESS_GAS,
};
use crate::meter::hostio::{cache_read_gas, cache_write_gas, read_price, CACHE_ACCESS_GAS, STORAGE_READ_API_GAS};
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

/// Traps unless `gas` is left (nitro's `require_gas`: checked, not charged).
fn require_gas(caller: &mut Ctx, gas: u64) -> HostResult<()> {
    if caller.gas_left() < gas {
        return Err(Error::host(HostTrap::OutOfInk));
    }
    Ok(())
}

/// Reads a slot through the frame's cache (nitro's `get_bytes32`): the
/// frame's read tier, plus cold/warm SLOAD and the request on a miss.
fn storage_load(caller: &mut Ctx, key: B256) -> HostResult<B256> {
    require_gas(caller, COLD_SLOAD_GAS + CACHE_ACCESS_GAS + STORAGE_READ_API_GAS)?;
    let frame = caller.frame();
    frame.cache_reads += 1;
    let tier = cache_read_gas(frame.cache_reads);
    if let Some(slot) = frame.cache.get(&key) {
        let value = slot.value;
        caller.charge_gas(tier)?;
        return Ok(value);
    }
    let address = caller.frame().msg.address;
    let machine = caller.machine();
    let cold = machine.state.warm_slot(address, key);
    let value = machine.state.storage(address, key);
    caller.charge_gas(tier + if cold { COLD_SLOAD_GAS } else { WARM_ACCESS_GAS } + STORAGE_READ_API_GAS)?;
    caller.frame().cache.insert(key, CachedSlot { value, known: Some(value) });
    Ok(value)
}

/// Writes the frame's dirty slots (those whose value differs from the one
/// known to be in state) at EVM SSTORE prices (nitro's `flush_storage_cache`).
fn flush(caller: &mut Ctx, clear: bool) -> HostResult<()> {
    caller.charge_ink(HOSTIO_INK + EVM_API_INK)?;
    require_gas(caller, SSTORE_SENTRY_GAS)?;
    let mut dirty: Vec<(B256, B256)> =
        caller.frame().cache.iter().filter(|(_, slot)| slot.dirty()).map(|(key, slot)| (*key, slot.value)).collect();
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
        caller.frame().cache.insert(key, CachedSlot { value, known: Some(value) });
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
    // nitro: the read, then `pay_for_evm_log` ((1 + topics) * 375 + 8 per data byte).
    caller.charge_ink(HOSTIO_INK + EVM_API_INK + read_price(len as usize))?;
    caller.charge_gas((1 + u64::from(topics)) * LOG_TOPIC_GAS + u64::from(len - topics * 32) * LOG_DATA_GAS)?;
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
        require_gas(&mut c, SSTORE_SENTRY_GAS + CACHE_ACCESS_GAS)?;
        let (key, value) = (c.read_b256(key)?, c.read_b256(value)?);
        let frame = c.frame();
        frame.cache_writes += 1;
        let tier = cache_write_gas(frame.cache_writes);
        frame.cache.entry(key).and_modify(|slot| slot.value = value).or_insert(CachedSlot { value, known: None });
        c.charge_gas(tier)
    });
    hook!(linker, "storage_flush_cache", |mut c: Ctx, clear: u32| flush(&mut c, clear != 0));
    hook!(linker, "emit_log", |mut c: Ctx, ptr: u32, len: u32, topics: u32| emit_log(&mut c, ptr, len, topics));
    hook!(linker, "transient_load_bytes32", |mut c: Ctx, key: u32, dest: u32| -> HostResult<()> {
        c.charge_ink(HOSTIO_INK + 2 * PTR_INK + EVM_API_INK)?;
        c.charge_gas(TRANSIENT_GAS)?;
        let key = c.read_b256(key)?;
        let address = c.frame().msg.address;
        let value = c.machine().state.transient(address, key);
        c.write(dest, value.as_slice())
    });
    hook!(linker, "transient_store_bytes32", |mut c: Ctx, key: u32, value: u32| -> HostResult<()> {
        c.charge_ink(HOSTIO_INK + 2 * PTR_INK + EVM_API_INK)?;
        c.charge_gas(TRANSIENT_GAS)?;
        require_write(&mut c)?;
        let (key, value) = (c.read_b256(key)?, c.read_b256(value)?);
        let address = c.frame().msg.address;
        c.machine().state.set_transient(address, key, value);
        Ok(())
    });
}
