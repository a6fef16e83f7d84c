//! Slash escrow: slashed shares wait the escrow delay before anyone can pay
//! them out, a pause of payouts holds them without touching anything else,
//! and only the owner sets the delay, within its bounds.

use alloy_primitives::{Address, U256};
use keel_components::access::{CurrentlyPaused, Unauthorized};
use keel_fixtures::{strategies::*, *};
use keel_strategy_manager::{errors::*, DEFAULT_SLASH_ESCROW_DELAY, MAX_SLASH_ESCROW_DELAY, MIN_SLASH_ESCROW_DELAY, PAUSED_SLASH_PAYOUTS};

fn setup_with_dm() -> World {
    let world = setup_strategy_manager();
    world.call(OWNER, SM, &ISM::setDelegationManagerCall { delegationManager: DM }).unwrap();
    deposit(&world, ALICE, ether(10)).unwrap();
    world
}

fn slash(world: &World, shares: U256) {
    world.call(DM, SM, &ISM::addSlashedSharesCall { token: TOKEN, recipient: BURN, avs: Address::ZERO, shares }).unwrap();
}

fn clear(world: &World) -> Result<U256, Revert> {
    world.call(BOB, SM, &ISM::clearSlashedSharesCall { token: TOKEN, recipient: BURN, avs: Address::ZERO })
}

fn escrow(world: &World) -> (U256, u64) {
    let e = world.call(OWNER, SM, &ISM::slashEscrowCall { token: TOKEN, recipient: BURN, avs: Address::ZERO }).unwrap();
    (e._0, e._1)
}

#[test]
fn slashed_shares_are_paid_only_after_their_escrow() {
    let world = setup_with_dm();
    assert_eq!(world.call(OWNER, SM, &ISM::slashEscrowDelayCall {}).unwrap(), DEFAULT_SLASH_ESCROW_DELAY);
    let slashed_at = world.timestamp();
    slash(&world, ether(3));
    let release = slashed_at + DEFAULT_SLASH_ESCROW_DELAY;
    assert_eq!(escrow(&world), (ether(3), release));
    let added = &world.events::<SlashedSharesAdded>(SM)[0];
    assert_eq!((added.shares, added.releasableAt), (ether(3), release));

    world.advance(DEFAULT_SLASH_ESCROW_DELAY - 1);
    let early = clear(&world).unwrap_err().decode::<SlashEscrowed>().unwrap();
    assert_eq!((early.token, early.recipient, early.releasableAt), (TOKEN, BURN, release));
    assert_eq!(token_balance(&world, TOKEN, BURN), U256::ZERO, "value stays in the strategy while escrowed");
    world.advance(1);
    assert_eq!(clear(&world).unwrap(), ether(3));
    assert_eq!(token_balance(&world, TOKEN, BURN), ether(3));
    assert_eq!(escrow(&world).0, U256::ZERO);
}

#[test]
fn a_later_slash_holds_the_record_until_its_own_escrow_ends() {
    let world = setup_with_dm();
    slash(&world, ether(1));
    world.advance(DEFAULT_SLASH_ESCROW_DELAY - 100);
    slash(&world, ether(2));
    let release = world.timestamp() + DEFAULT_SLASH_ESCROW_DELAY;
    assert_eq!(escrow(&world), (ether(3), release));
    world.advance(100);
    assert!(clear(&world).unwrap_err().is::<SlashEscrowed>());
    world.advance(DEFAULT_SLASH_ESCROW_DELAY);
    assert_eq!(clear(&world).unwrap(), ether(3));
}

/// A redistribution recipient's record is kept per slashing AVS: another
/// AVS slashing into the same recipient every few seconds (a few wei each)
/// cannot hold what the first AVS's slash owes it. Burns share one record
/// whatever AVS slashes.
#[test]
fn another_avs_cannot_hold_a_recipients_payout() {
    let world = setup_with_dm();
    let (victims, honest, griefer) = (Address::repeat_byte(0x77), Address::repeat_byte(0xa1), Address::repeat_byte(0xa2));
    let add = |avs, shares| world.call(DM, SM, &ISM::addSlashedSharesCall { token: TOKEN, recipient: victims, avs, shares }).unwrap();
    let pay = |avs| world.call(BOB, SM, &ISM::clearSlashedSharesCall { token: TOKEN, recipient: victims, avs });
    add(honest, ether(2));
    for _ in 0..10 {
        world.advance(DEFAULT_SLASH_ESCROW_DELAY / 10);
        add(griefer, U256::from(3));
    }
    assert_eq!(pay(honest).unwrap(), ether(2), "paid at its own release");
    let held = pay(griefer).unwrap_err().decode::<SlashEscrowed>().unwrap();
    assert_eq!((held.recipient, held.avs, held.releasableAt), (victims, griefer, world.timestamp() + DEFAULT_SLASH_ESCROW_DELAY));
    world.advance(DEFAULT_SLASH_ESCROW_DELAY);
    assert_eq!(pay(griefer).unwrap(), U256::from(30));

    world.call(DM, SM, &ISM::addSlashedSharesCall { token: TOKEN, recipient: BURN, avs: honest, shares: ether(1) }).unwrap();
    let burn = world.call(OWNER, SM, &ISM::slashEscrowCall { token: TOKEN, recipient: BURN, avs: griefer }).unwrap();
    assert_eq!(burn._0, ether(1), "burns share one record");
    assert_eq!(world.events::<SlashedSharesAdded>(SM).last().unwrap().avs, Address::ZERO);
}

#[test]
fn pausing_payouts_holds_them_and_nothing_else() {
    let world = setup_with_dm();
    slash(&world, ether(2));
    world.advance(DEFAULT_SLASH_ESCROW_DELAY);
    let bit = U256::from(1u8) << PAUSED_SLASH_PAYOUTS;
    world.call(OWNER, SM, &SmAccess::pauseCall { bits: bit }).unwrap();
    assert_eq!(clear(&world).unwrap_err().decode::<CurrentlyPaused>().unwrap().flag, PAUSED_SLASH_PAYOUTS);
    slash(&world, ether(1));
    deposit(&world, BOB, ether(1)).unwrap();
    world.call(DM, SM, &ISM::withdrawSharesAsTokensCall { recipient: ALICE, token: TOKEN, shares: ether(1) }).unwrap();
    world.advance(MAX_SLASH_ESCROW_DELAY);
    assert!(clear(&world).unwrap_err().is::<CurrentlyPaused>(), "a pause outlasts any escrow");
    world.call(OWNER, SM, &SmAccess::unpauseCall { bits: bit }).unwrap();
    assert_eq!(clear(&world).unwrap(), ether(3));
}

#[test]
fn only_the_owner_sets_the_delay_within_its_bounds() {
    let world = setup_with_dm();
    let set = |who, delay| world.call(who, SM, &ISM::setSlashEscrowDelayCall { delay }).map(|_| ());
    assert!(set(ALICE, MIN_SLASH_ESCROW_DELAY).unwrap_err().is::<Unauthorized>());
    for delay in [0, MIN_SLASH_ESCROW_DELAY - 1, MAX_SLASH_ESCROW_DELAY + 1] {
        let err = set(OWNER, delay).unwrap_err().decode::<SlashEscrowDelayOutOfBounds>().unwrap();
        assert_eq!((err.delay, err.min, err.max), (delay, MIN_SLASH_ESCROW_DELAY, MAX_SLASH_ESCROW_DELAY));
    }
    set(OWNER, MIN_SLASH_ESCROW_DELAY).unwrap();
    assert_eq!(world.events::<SlashEscrowDelaySet>(SM)[0].delay, MIN_SLASH_ESCROW_DELAY);
    slash(&world, ether(1));
    world.advance(MIN_SLASH_ESCROW_DELAY);
    assert_eq!(clear(&world).unwrap(), ether(1), "the new delay applies to slashes from then on");
}

#[test]
fn a_huge_slash_is_recorded_not_refused() {
    let world = setup_with_dm();
    slash(&world, U256::MAX);
    let max = (U256::from(1u8) << 192usize) - U256::from(2u8);
    assert_eq!(escrow(&world).0, max, "saturated at the record's capacity");
    assert_eq!(escrow(&world).1, world.timestamp() + DEFAULT_SLASH_ESCROW_DELAY, "the time is not overwritten");
}
