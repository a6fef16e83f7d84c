//! Host functions that reach other accounts: calls, creates, return data and
//! account queries.

use super::access::{HostAccess, HostResult};
use super::context_hooks::hook;
use super::{HostCtx, HostTrap};
use crate::create::{create_with_base, stylus_create_base_gas};
use crate::exec::{execute, CallKind, Message};
use crate::gas::{CALL_STIPEND, CALL_VALUE_GAS, COLD_ACCOUNT_GAS, EVM_API_INK, HOSTIO_INK, PTR_INK, WARM_ACCESS_GAS};
use crate::meter::hostio::{read_price, write_price, NEW_ACCOUNT_GAS};
use alloy_primitives::{Address, Bytes, B256, U256};
use wasmi::{Caller, Error, Linker};

type Ctx<'a> = Caller<'a, HostCtx>;

/// Status a call hook returns when the callee failed (nitro's value).
const CALL_FAILED: u32 = 2;

/// Charges EIP-2929 account access: cold the first time in a transaction,
/// warm after; nitro first requires the cold price to be left.
fn access_account(caller: &mut Ctx, address: Address) -> HostResult<()> {
    if caller.gas_left() < COLD_ACCOUNT_GAS {
        return Err(Error::host(HostTrap::OutOfInk));
    }
    let cold = caller.machine().state.warm_account(address);
    caller.charge_gas(if cold { COLD_ACCOUNT_GAS } else { WARM_ACCESS_GAS })
}

/// A call a program asked for (`call_contract`, `static_call_contract`,
/// `delegate_call_contract`), its arguments read from memory.
struct OutgoingCall {
    kind: CallKind,
    target: Address,
    input: Bytes,
    value: U256,
    gas: u64,
}

/// Runs a nested frame; writes the return data length to `ret_len` and
/// returns the status. Prices are nitro's: the call's ink and the input read
/// twice (user-host-trait `call_contract`), then `WasmCallCost` (account
/// access, value transfer, new account), then 63/64 of what is left after
/// it, plus the stipend of a value call; the caller pays what the callee used
/// (arbos/programs/api.go `doCall`).
fn call(caller: &mut Ctx, request: OutgoingCall, ret_len: u32) -> HostResult<u32> {
    caller.charge_ink(HOSTIO_INK + 3 * PTR_INK + EVM_API_INK + 2 * read_price(request.input.len()))?;
    let is_static = caller.frame().msg.is_static;
    if is_static && !request.value.is_zero() {
        return Err(Error::host(HostTrap::WriteProtection));
    }
    access_account(caller, request.target)?;
    if !request.value.is_zero() {
        let empty = !caller.machine().state.exists(request.target);
        caller.charge_gas(CALL_VALUE_GAS + if empty { NEW_ACCOUNT_GAS } else { 0 })?;
    }
    let left = caller.gas_left();
    let reserved = request.gas.min(left * 63 / 64);
    caller.charge_gas(reserved)?;
    let passed = reserved + if request.value.is_zero() { 0 } else { CALL_STIPEND };

    let parent = caller.frame().msg.clone();
    let msg = match request.kind {
        CallKind::Delegate => Message {
            kind: CallKind::Delegate,
            caller: parent.caller,
            address: parent.address,
            code_address: request.target,
            value: parent.value,
            input: request.input,
            gas: passed,
            is_static,
        },
        kind => Message {
            kind,
            caller: parent.address,
            address: request.target,
            code_address: request.target,
            value: request.value,
            input: request.input,
            gas: passed,
            is_static: is_static || kind == CallKind::Static,
        },
    };
    let machine = caller.data_mut().machine.take().expect("machine present in a running frame");
    let (machine, outcome) = execute(machine, msg);
    caller.data_mut().machine = Some(machine);

    // The caller pays what the callee used, the stipend included.
    let used = passed - outcome.gas_left.min(passed);
    match used.checked_sub(reserved) {
        Some(extra) => caller.charge_gas(extra)?,
        None => caller.refund_gas(reserved - used),
    }
    let frame = caller.frame();
    // Values cached before the call may have changed under it (re-entry, delegate calls).
    frame.cache.retain(|_, slot| slot.dirty());
    let len = outcome.output.len();
    frame.return_data = outcome.output;
    caller.write_len(ret_len, len)?;
    Ok(if outcome.success { 0 } else { CALL_FAILED })
}

/// Deploys `code` (CREATE or CREATE2); writes the address (zero on failure) and revert data length.
fn create_hook(caller: &mut Ctx, code: (u32, u32), endowment: u32, salt: Option<B256>, out: (u32, u32)) -> HostResult<()> {
    // nitro: CREATE1 has three pointers, CREATE2 four; the code is read twice.
    let pointers = if salt.is_some() { 4 } else { 3 };
    caller.charge_ink(HOSTIO_INK + pointers * PTR_INK + EVM_API_INK + 2 * read_price(code.1 as usize))?;
    if caller.frame().msg.is_static {
        return Err(Error::host(HostTrap::WriteProtection));
    }
    let init_code = caller.read(code.0, code.1)?;
    let value = caller.read_u256(endowment)?;
    // nitro (api.go `create`): the base cost first (too little fails the
    // program with all its gas), then 63/64 of what is left.
    caller.charge_gas(stylus_create_base_gas(init_code.len(), salt.is_some()))?;
    let left = caller.gas_left();
    let passed = left - left / 64;
    caller.charge_gas(passed)?;
    let creator = caller.frame().msg.address;
    let machine = caller.data_mut().machine.take().expect("machine present in a running frame");
    let (machine, outcome) = create_with_base(machine, creator, &init_code, value, salt, passed, 0);
    caller.data_mut().machine = Some(machine);
    caller.refund_gas(outcome.gas_left);
    let address = outcome.address.unwrap_or_default();
    let revert_len = outcome.output.len();
    caller.frame().return_data = outcome.output;
    caller.frame().cache.retain(|_, slot| slot.dirty());
    caller.write(out.0, address.as_slice())?;
    caller.write_len(out.1, revert_len)
}

/// Defines the call, create, return-data and account host functions.
pub(super) fn define(linker: &mut Linker<HostCtx>) {
    hook!(linker, "call_contract", |mut c: Ctx, to: u32, data: u32, len: u32, value: u32, gas: u64, ret_len: u32| -> HostResult<u32> {
        let request = OutgoingCall {
            kind: CallKind::Call,
            target: c.read_address(to)?,
            input: c.read(data, len)?.into(),
            value: c.read_u256(value)?,
            gas,
        };
        call(&mut c, request, ret_len)
    });
    hook!(linker, "static_call_contract", |mut c: Ctx, to: u32, data: u32, len: u32, gas: u64, ret_len: u32| -> HostResult<u32> {
        let request =
            OutgoingCall { kind: CallKind::Static, target: c.read_address(to)?, input: c.read(data, len)?.into(), value: U256::ZERO, gas };
        call(&mut c, request, ret_len)
    });
    hook!(linker, "delegate_call_contract", |mut c: Ctx, to: u32, data: u32, len: u32, gas: u64, ret_len: u32| -> HostResult<u32> {
        let request = OutgoingCall {
            kind: CallKind::Delegate,
            target: c.read_address(to)?,
            input: c.read(data, len)?.into(),
            value: U256::ZERO,
            gas,
        };
        call(&mut c, request, ret_len)
    });
    hook!(linker, "create1", |mut c: Ctx, code: u32, len: u32, endowment: u32, address: u32, revert_len: u32| {
        create_hook(&mut c, (code, len), endowment, None, (address, revert_len))
    });
    hook!(linker, "create2", |mut c: Ctx,
                              code: u32,
                              len: u32,
                              endowment: u32,
                              salt: u32,
                              address: u32,
                              revert_len: u32|
     -> HostResult<()> {
        let salt = c.read_b256(salt)?;
        create_hook(&mut c, (code, len), endowment, Some(salt), (address, revert_len))
    });
    hook!(linker, "return_data_size", |mut c: Ctx| -> HostResult<u32> {
        c.charge_ink(HOSTIO_INK)?;
        Ok(c.frame().return_data.len() as u32)
    });
    hook!(linker, "read_return_data", |mut c: Ctx, dest: u32, offset: u32, size: u32| -> HostResult<u32> {
        let data = c.frame().return_data.clone();
        let start = (offset as usize).min(data.len());
        let end = start.saturating_add(size as usize).min(data.len());
        c.charge_ink(HOSTIO_INK + EVM_API_INK + write_price(end - start))?;
        c.write(dest, &data[start..end])?;
        Ok((end - start) as u32)
    });
    hook!(linker, "account_balance", |mut c: Ctx, address: u32, dest: u32| -> HostResult<()> {
        c.charge_ink(HOSTIO_INK + 2 * PTR_INK + EVM_API_INK)?;
        let address = c.read_address(address)?;
        access_account(&mut c, address)?;
        let balance = c.machine().state.balance(address);
        c.write(dest, &balance.to_be_bytes::<32>())
    });
    hook!(linker, "account_codehash", |mut c: Ctx, address: u32, dest: u32| -> HostResult<()> {
        c.charge_ink(HOSTIO_INK + 2 * PTR_INK + EVM_API_INK)?;
        let address = c.read_address(address)?;
        access_account(&mut c, address)?;
        let hash = c.machine().state.code_hash(address);
        c.write(dest, hash.as_slice())
    });
    hook!(linker, "account_code_size", |mut c: Ctx, address: u32| -> HostResult<u32> {
        c.charge_ink(HOSTIO_INK + EVM_API_INK)?;
        let address = c.read_address(address)?;
        access_account(&mut c, address)?;
        Ok(c.machine().state.code(address).len() as u32)
    });
    hook!(linker, "account_code", |mut c: Ctx, address: u32, offset: u32, size: u32, dest: u32| -> HostResult<u32> {
        c.charge_ink(HOSTIO_INK + EVM_API_INK)?;
        let address = c.read_address(address)?;
        access_account(&mut c, address)?;
        let code = c.machine().state.code(address);
        let start = (offset as usize).min(code.len());
        let end = start.saturating_add(size as usize).min(code.len());
        c.charge_ink(write_price(end - start))?;
        c.write(dest, &code[start..end])?;
        Ok((end - start) as u32)
    });
}
