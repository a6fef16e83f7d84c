//! The AVS registry deployed over the core protocol as the
//! DelegationManager's slasher, and helpers for AVSs and operators.

use crate::*;

/// The AVS registry's published ABI.
#[allow(clippy::too_many_arguments)]
pub mod avs {
    alloy_sol_types::sol!("../../abi/AvsRegistry.sol");
}

pub use avs::IAvsRegistry as IReg;

/// Address of the AVS registry.
pub const REGISTRY: Address = address!("0000000000000000000000000000000000008000");
/// An AVS (an oracle).
pub const ORACLE: Address = address!("00000000000000000000000000000000000000d1");
/// An AVS (a bridge).
pub const BRIDGE: Address = address!("00000000000000000000000000000000000000d2");
/// An AVS (a DA layer).
pub const DA: Address = address!("00000000000000000000000000000000000000d3");
/// A slash resolver.
pub const RESOLVER: Address = address!("00000000000000000000000000000000000000e1");
/// A redistribution recipient.
pub const VICTIMS: Address = address!("00000000000000000000000000000000000000e2");
/// Allocation configuration delay of the test registry (its floor, 17.5 days).
pub const CONFIG_DELAY: u64 = keel_avs_registry::MIN_ALLOCATION_CONFIGURATION_DELAY;
/// Deallocation delay of the test registry (the withdrawal delay).
pub const DEALLOCATION_DELAY: u64 = DELAY;
/// Slasher change delay of the test registry (its floor).
pub const SLASHER_DELAY: u64 = 86_400;

/// [`core`] with the AVS registry deployed at [`REGISTRY`] and set as the
/// DelegationManager's slasher; OPERATOR has allocation delay 0 in effect.
pub fn setup_with_registry() -> World {
    let world = core();
    type Args = (sol_data::Address, sol_data::Address, sol_data::Uint<64>, sol_data::Uint<64>, sol_data::Uint<64>);
    let args = (OWNER, DM, CONFIG_DELAY, DEALLOCATION_DELAY, SLASHER_DELAY);
    world.deploy(REGISTRY, keel_avs_registry::dispatch, OWNER, Some(constructor_calldata::<Args>(&args))).unwrap();
    world.call(OWNER, DM, &IDM::setSlasherCall { slasher: REGISTRY }).unwrap();
    ready_operator(&world, OPERATOR);
    world
}

/// Gives `operator` allocation delay 0 and waits for it to take effect
/// ([`CONFIG_DELAY`], 17.5 days).
pub fn ready_operator(world: &World, operator: Address) {
    ready_operators(world, &[operator]);
}

/// Gives each of `operators` allocation delay 0 and waits once for the
/// changes to take effect.
pub fn ready_operators(world: &World, operators: &[Address]) {
    for &operator in operators {
        world.call(operator, REGISTRY, &IReg::setAllocationDelayCall { delay: 0 }).unwrap();
    }
    world.advance(CONFIG_DELAY);
}

/// Registers `avs` (if needed) and creates its set `set_id` over the test token's strategy.
pub fn create_set(world: &World, avs: Address, set_id: u64) {
    if !world.call(OWNER, REGISTRY, &IReg::isAVSCall { avs }).unwrap() {
        world.call(avs, REGISTRY, &IReg::registerAVSCall { metadataURI: "https://avs.example/meta.json".into() }).unwrap();
    }
    world.call(avs, REGISTRY, &IReg::createOperatorSetCall { setId: set_id, strategies: vec![TOKEN] }).unwrap();
}

/// A condition of `avs`'s set `set_id`: cap `cap` (wad), slasher `avs`
/// itself, veto window `veto` (resolver [`RESOLVER`]), `recipient` (zero: burn).
pub fn add_condition(world: &World, avs: Address, set_id: u64, cap: U256, veto: u64, recipient: Address) -> u64 {
    let call = IReg::addSlashingConditionCall {
        setId: set_id,
        maxSlashWad: cap.to::<u64>(),
        slasher: avs,
        vetoWindow: veto,
        resolver: if veto == 0 { Address::ZERO } else { RESOLVER },
        redistributionRecipient: recipient,
        descriptionURI: "ipfs://condition".into(),
        evidenceSchemaHash: B256::repeat_byte(0x5e),
    };
    world.call(avs, REGISTRY, &call).unwrap()
}

/// `operator` registers for `avs`'s set `set_id`, accepting `conditions`.
pub fn join(world: &World, operator: Address, avs: Address, set_id: u64, conditions: Vec<u64>) -> Result<(), Revert> {
    let call = IReg::registerForOperatorSetsCall { avs, setIds: vec![set_id], acceptedConditionIds: conditions };
    world.call(operator, REGISTRY, &call).map(|_| ())
}

/// `operator` sets its allocation of the token to (`avs`, `set_id`) to `magnitude`.
pub fn allocate(world: &World, operator: Address, avs: Address, set_id: u64, magnitude: u64) -> Result<(), Revert> {
    let call = IReg::modifyAllocationsCall { avs, setId: set_id, strategies: vec![TOKEN], magnitudes: vec![magnitude] };
    world.call(operator, REGISTRY, &call).map(|_| ())
}

/// `operator`'s token allocation to (`avs`, `set_id`): current, target, effective-at.
pub fn allocation(world: &World, operator: Address, avs: Address, set_id: u64) -> (u64, u64, u64) {
    let r = world.call(OWNER, REGISTRY, &IReg::allocationCall { operator, avs, setId: set_id, strategy: TOKEN }).unwrap();
    (r._0, r._1, r._2)
}

/// `operator`'s token magnitudes in the registry: max, encumbered, allocatable.
pub fn magnitudes(world: &World, operator: Address) -> (u64, u64, u64) {
    let r = world.call(OWNER, REGISTRY, &IReg::operatorMagnitudesCall { operator, strategy: TOKEN }).unwrap();
    (r._0, r._1, r._2)
}

/// A fresh evidence hash: `0xee…ee` then a counter, so no two slashes made
/// through these helpers name the same incident.
pub fn fresh_evidence() -> B256 {
    static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut evidence = B256::repeat_byte(0xee);
    evidence[24..].copy_from_slice(&COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed).to_be_bytes());
    evidence
}

/// `slasher` slashes `wad` of `operator`'s token allocation under `condition` (fresh evidence).
pub fn slash(world: &World, slasher: Address, operator: Address, condition: u64, wad: U256) -> Result<u64, Revert> {
    let call = IReg::slashCall {
        operator,
        conditionId: condition,
        strategies: vec![TOKEN],
        wads: vec![wad.to::<u64>()],
        evidenceHash: fresh_evidence(),
    };
    world.call(slasher, REGISTRY, &call)
}

/// `slasher` requests a slash of `wad` of `operator`'s token allocation under `condition` (fresh evidence).
pub fn request_slash(world: &World, slasher: Address, operator: Address, condition: u64, wad: U256) -> Result<u64, Revert> {
    let call = IReg::requestSlashCall {
        operator,
        conditionId: condition,
        strategies: vec![TOKEN],
        wads: vec![wad.to::<u64>()],
        evidenceHash: fresh_evidence(),
    };
    world.call(slasher, REGISTRY, &call)
}

/// 1e16 × `percent`: a magnitude of `percent` % of the whole.
pub fn percent(percent: u64) -> u64 {
    percent * 10u64.pow(16)
}
