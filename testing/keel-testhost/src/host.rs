//! The `Host` a contract sees inside one frame of the world.

use crate::world::{execute, CallKind, State};
use alloy_primitives::{address, keccak256, Address, Signature, B256, U256};
use std::{cell::RefCell, rc::Rc};
use stylus_sdk::stylus_core::host::*;

/// The `ecrecover` precompile's address.
pub(crate) const ECRECOVER: Address = address!("0000000000000000000000000000000000000001");

/// `ecrecover` as the precompile computes it: 32-byte address word, or empty on failure.
pub(crate) fn ecrecover(input: &[u8]) -> Vec<u8> {
    let mut padded = [0u8; 128];
    let n = input.len().min(128);
    padded[..n].copy_from_slice(&input[..n]);
    let v = U256::from_be_slice(&padded[32..64]);
    let parity = match v.to::<u64>() {
        27 if v < U256::from(256) => false,
        28 if v < U256::from(256) => true,
        _ => return Vec::new(),
    };
    let r = U256::from_be_slice(&padded[64..96]);
    let s = U256::from_be_slice(&padded[96..128]);
    let sig = Signature::new(r, s, parity);
    match sig.recover_address_from_prehash(&B256::from_slice(&padded[..32])) {
        Ok(addr) => addr.into_word().to_vec(),
        Err(_) => Vec::new(),
    }
}

/// Host of the innermost open frame.
#[derive(Clone)]
pub(crate) struct FrameHost {
    pub state: Rc<RefCell<State>>,
}

impl FrameHost {
    unsafe fn do_call(&self, to: *const u8, data: *const u8, len: usize, value: U256, kind: CallKind, outs_len: &mut usize) -> u8 {
        unsafe {
            let to = Address::from_slice(std::slice::from_raw_parts(to, 20));
            let calldata = std::slice::from_raw_parts(data, len).to_vec();
            let sender = self.state.borrow().frame().address;
            let caller_static = self.state.borrow().frame().is_static;
            if caller_static && !value.is_zero() {
                self.state.borrow_mut().frame_mut().return_data = Vec::new();
                *outs_len = 0;
                return 1;
            }
            let result = execute(&self.state, sender, to, calldata, value, kind);
            let (status, data) = match result {
                Ok(data) => (0, data),
                Err(data) => (1, data),
            };
            *outs_len = data.len();
            self.state.borrow_mut().frame_mut().return_data = data;
            status
        }
    }
}

impl Host for FrameHost {}

impl CryptographyAccess for FrameHost {
    fn native_keccak256(&self, input: &[u8]) -> B256 {
        keccak256(input)
    }
}

impl CalldataAccess for FrameHost {
    fn read_args(&self, _len: usize) -> Vec<u8> {
        self.state.borrow().frame().calldata.clone()
    }

    fn read_return_data(&self, offset: usize, size: Option<usize>) -> Vec<u8> {
        let s = self.state.borrow();
        let data = &s.frame().return_data;
        let start = offset.min(data.len());
        let end = size.map_or(data.len(), |n| (start + n).min(data.len()));
        data[start..end].to_vec()
    }

    fn return_data_size(&self) -> usize {
        self.state.borrow().frame().return_data.len()
    }

    fn write_result(&self, _data: &[u8]) {}
}

unsafe impl UnsafeDeploymentAccess for FrameHost {
    unsafe fn create1(&self, _code: *const u8, _len: usize, _endowment: *const u8, contract: *mut u8, revert_len: *mut usize) {
        unsafe {
            std::ptr::write_bytes(contract, 0, 20);
            *revert_len = 0;
        }
    }

    unsafe fn create2(
        &self,
        _code: *const u8,
        _len: usize,
        _endowment: *const u8,
        _salt: *const u8,
        contract: *mut u8,
        revert_len: *mut usize,
    ) {
        unsafe {
            std::ptr::write_bytes(contract, 0, 20);
            *revert_len = 0;
        }
    }
}

impl StorageAccess for FrameHost {
    fn storage_load_bytes32(&self, key: U256) -> B256 {
        let s = self.state.borrow();
        s.load(s.frame().address, key)
    }

    unsafe fn storage_cache_bytes32(&self, key: U256, value: B256) {
        let mut s = self.state.borrow_mut();
        if s.frame().is_static {
            s.frame_mut().static_write = true;
            return;
        }
        let address = s.frame().address;
        s.store(address, key, value);
    }

    fn flush_cache(&self, _clear: bool) {}
}

unsafe impl UnsafeCallAccess for FrameHost {
    unsafe fn call_contract(&self, to: *const u8, data: *const u8, len: usize, value: *const u8, _gas: u64, outs_len: &mut usize) -> u8 {
        unsafe {
            let value = U256::from_be_slice(std::slice::from_raw_parts(value, 32));
            self.do_call(to, data, len, value, CallKind::Call, outs_len)
        }
    }

    unsafe fn static_call_contract(&self, to: *const u8, data: *const u8, len: usize, _gas: u64, outs_len: &mut usize) -> u8 {
        unsafe { self.do_call(to, data, len, U256::ZERO, CallKind::Static, outs_len) }
    }

    unsafe fn delegate_call_contract(&self, to: *const u8, data: *const u8, len: usize, _gas: u64, outs_len: &mut usize) -> u8 {
        unsafe { self.do_call(to, data, len, U256::ZERO, CallKind::Delegate, outs_len) }
    }
}

impl BlockAccess for FrameHost {
    fn block_basefee(&self) -> U256 {
        U256::ZERO
    }

    fn block_coinbase(&self) -> Address {
        Address::ZERO
    }

    fn block_number(&self) -> u64 {
        self.state.borrow().block_number
    }

    fn block_timestamp(&self) -> u64 {
        self.state.borrow().timestamp
    }

    fn block_gas_limit(&self) -> u64 {
        32_000_000
    }
}

impl ChainAccess for FrameHost {
    fn chain_id(&self) -> u64 {
        self.state.borrow().chain_id
    }
}

impl AccountAccess for FrameHost {
    fn balance(&self, account: Address) -> U256 {
        self.state.borrow().balance(account)
    }

    fn contract_address(&self) -> Address {
        self.state.borrow().frame().address
    }

    fn code(&self, account: Address) -> Vec<u8> {
        if self.state.borrow().routers.contains_key(&account) {
            vec![0xEF, 0xF0, 0x00, 0x00]
        } else {
            Vec::new()
        }
    }

    fn code_size(&self, account: Address) -> usize {
        self.code(account).len()
    }

    fn code_hash(&self, account: Address) -> B256 {
        keccak256(self.code(account))
    }
}

impl MemoryAccess for FrameHost {
    fn pay_for_memory_grow(&self, _pages: u16) {}
}

impl MessageAccess for FrameHost {
    fn msg_sender(&self) -> Address {
        self.state.borrow().frame().sender
    }

    /// As nitro: frames entered by `delegatecall` do not count as the
    /// acting address's frames, so the vault's delegatecall into its
    /// extension is not a re-entry.
    fn msg_reentrant(&self) -> bool {
        let s = self.state.borrow();
        let me = s.frame().address;
        s.frames.iter().filter(|f| f.address == me && !f.delegate).count() > 1
    }

    fn msg_value(&self) -> U256 {
        self.state.borrow().frame().value
    }

    fn tx_origin(&self) -> Address {
        self.state.borrow().origin
    }
}

impl MeteringAccess for FrameHost {
    fn evm_gas_left(&self) -> u64 {
        u64::MAX / 2
    }

    fn evm_ink_left(&self) -> u64 {
        u64::MAX / 2
    }

    fn tx_gas_price(&self) -> U256 {
        U256::ZERO
    }

    fn tx_ink_price(&self) -> u32 {
        10_000
    }
}

impl RawLogAccess for FrameHost {
    fn emit_log(&self, input: &[u8], num_topics: usize) {
        let topics = input[..32 * num_topics].chunks(32).map(B256::from_slice).collect();
        let data = input[32 * num_topics..].to_vec().into();
        self.push_log(topics, data);
    }

    fn raw_log(&self, topics: &[B256], data: &[u8]) -> Result<(), &'static str> {
        if topics.len() > 4 {
            return Err("too many topics");
        }
        self.push_log(topics.to_vec(), data.to_vec().into());
        Ok(())
    }
}

impl FrameHost {
    fn push_log(&self, topics: Vec<B256>, data: alloy_primitives::Bytes) {
        let mut s = self.state.borrow_mut();
        if s.frame().is_static {
            s.frame_mut().static_write = true;
            return;
        }
        let address = s.frame().address;
        s.logs.push(crate::world::Log { address, topics, data });
    }
}
