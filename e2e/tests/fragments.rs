//! A Keel contract above 24 KiB compressed, deployed by `keel deploy` as
//! fragments plus a root (ArbOS 60) and driven through the protocol.

use alloy::{primitives::Address, providers::Provider};
use keel_cli::{bindings::delegation_manager::IDelegationManager::StakerDelegated, config::Config, deploy::deploy, units::parse};
use keel_e2e::{wasm_dir, Net};
use keel_testinputs::wasm::{noise, with_padding};
use std::path::{Path, PathBuf};

/// A copy of `make wasm`'s output where the DelegationManager carries 20 kB
/// of incompressible padding: about 44 kB compressed, two fragments (in a
/// directory of its own for `test`).
fn wasm_with_large_delegation_manager(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keel-fragments-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(wasm_dir()).unwrap() {
        let path = entry.unwrap().path();
        let mut wasm = std::fs::read(&path).unwrap();
        if path.file_name().unwrap() == "keel-delegation-manager.wasm" {
            wasm = with_padding(&wasm, &noise(20_000));
            keel_wasm::validate(&wasm).expect("padding keeps the module valid");
        }
        std::fs::write(dir.join(path.file_name().unwrap()), wasm).unwrap();
    }
    dir
}

#[tokio::test(flavor = "multi_thread")]
async fn keel_deploy_splits_a_large_contract_into_fragments_that_run() {
    let dir = wasm_with_large_delegation_manager("run");
    let net = Net::start_from(None, &dir).await.unwrap();

    let root_code = net.owner.provider.get_code_at(net.dm).await.unwrap();
    let root = keel_wasm::parse_root(&root_code).expect("eth_getCode returns the root");
    assert_eq!(root.fragments.len(), 2);
    let wasm_len = std::fs::read(dir.join("keel-delegation-manager.wasm")).unwrap().len();
    assert_eq!(root.decompressed_len as usize, wasm_len);
    for fragment in &root.fragments {
        let code = net.owner.provider.get_code_at(Address::from(*fragment)).await.unwrap();
        assert!(code.starts_with(&keel_wasm::FRAGMENT_PREFIX) && code.len() <= keel_wasm::MAX_DEPLOYED_CODE);
    }

    // The fragmented DelegationManager works with the rest of the protocol.
    let (operator, staker) = (net.account(2).await.unwrap(), net.account(1).await.unwrap());
    net.keel(&operator).register_operator(Address::ZERO, "ipfs://operator".into()).await.unwrap();
    net.keel(&net.owner).mint(net.token, staker.from, parse("5").unwrap()).await.unwrap();
    net.keel(&staker).deposit(net.token, parse("5").unwrap()).await.unwrap();
    net.keel(&staker).delegate(operator.from).await.unwrap();
    let delegated = net.owner.history::<StakerDelegated>(net.dm, None).await.unwrap();
    assert_eq!(delegated.last().map(|e| (e.staker, e.operator)), Some((staker.from, operator.from)));
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rerun_keeps_a_fragmented_contract_that_holds_the_same_code() {
    let dir = wasm_with_large_delegation_manager("rerun");
    let node = keel_devnet::node::spawn(keel_devnet::node::Config { port: 0, ..Default::default() }).unwrap();
    let owner = keel_cli::client::Client::connect(&node.url(), keel_cli::client::dev_signer(0).unwrap()).await.unwrap();
    let record_dir: &Path = &dir.join("record");
    let first = deploy(&owner, &Config::devnet(), &dir, record_dir).await.unwrap();
    let nonce = owner.provider.get_transaction_count(owner.from).await.unwrap();
    let second = deploy(&owner, &Config::devnet(), &dir, record_dir).await.unwrap();
    assert_eq!(second.address("DelegationManager").unwrap(), first.address("DelegationManager").unwrap());
    assert_eq!(owner.provider.get_transaction_count(owner.from).await.unwrap(), nonce, "nothing redeployed");
    std::fs::remove_dir_all(&dir).ok();
}
