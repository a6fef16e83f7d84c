//! A world with a test token and a StrategyManager, for the tests in this folder.
#![allow(dead_code)]

use alloy_primitives::{address, Address, U256};
use alloy_sol_types::{sol, SolCall};
use keel_testhost::{router, World};

sol! {
    interface IToken {
        function constructor(string name, string symbol, uint8 decimals, address owner) external;
        function mint(address to, uint256 value) external;
        function approve(address spender, uint256 value) external returns (bool);
        function transfer(address to, uint256 value) external returns (bool);
        function balanceOf(address account) external view returns (uint256);
        function rebase(uint256 factorWad) external;
        function setTransferFee(uint256 bps) external;
        function setTransferHook(address target, bytes data) external;
    }

    interface ISM {
        function constructor(address owner) external;
        function addStrategy(address token, uint256 cap) external;
        function setStrategyWhitelisted(address token, bool whitelisted) external;
        function setDepositCap(address token, uint256 cap) external;
        function setDelegationManager(address dm) external;
        function depositIntoStrategy(address token, uint256 amount) external returns (uint256);
        function depositIntoStrategyWithSignature(address staker, address token, uint256 amount, uint256 expiry, bytes signature) external returns (uint256);
        function clearSlashedShares(address token, address recipient) external returns (uint256);
        function addShares(address staker, address token, uint256 shares) external returns (uint256);
        function removeDepositShares(address staker, address token, uint256 shares) external returns (bool);
        function withdrawSharesAsTokens(address recipient, address token, uint256 shares) external returns (uint256);
        function addSlashedShares(address token, address recipient, uint256 shares) external;
        function stakerDepositShares(address staker, address token) external view returns (uint256);
        function getStakerStrategyList(address staker) external view returns (address[]);
        function totalShares(address token) external view returns (uint256);
        function sharesToUnderlying(address token, uint256 shares) external view returns (uint256);
        function underlyingToShares(address token, uint256 amount) external view returns (uint256);
        function pendingSlashedShares(address token, address recipient) external view returns (uint256);
        function nonces(address staker) external view returns (uint256);
        function domainSeparator() external view returns (bytes32);
        function pause(uint256 bits) external;
        function unpause(uint256 bits) external;
        function setPauser(address account, bool allowed) external;
        function transferOwnership(address newOwner) external;
        function acceptOwnership() external;
        function owner() external view returns (address);
    }
}

pub const OWNER: Address = address!("00000000000000000000000000000000000000a1");
pub const ALICE: Address = address!("00000000000000000000000000000000000000a2");
pub const BOB: Address = address!("00000000000000000000000000000000000000a3");
pub const DM: Address = address!("00000000000000000000000000000000000000d1");
pub const SM: Address = address!("0000000000000000000000000000000000005000");
pub const TOKEN: Address = address!("0000000000000000000000000000000000007000");

/// 1e18 × `n`.
pub fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64.pow(18))
}

/// Constructor calldata: the `stylus_constructor` selector then the arguments.
pub fn constructor_data<C: SolCall>(call: &C) -> Vec<u8> {
    let mut data = vec![0x55, 0x85, 0x25, 0x8d];
    data.extend(call.abi_encode()[4..].iter());
    data
}

/// Deploys a test token at `at`, owned by [`OWNER`].
pub fn deploy_token(world: &World, at: Address, symbol: &str) {
    let ctor = IToken::constructorCall { name: format!("Test {symbol}"), symbol: symbol.into(), decimals: 18, owner: OWNER };
    world.deploy(at, router!(keel_test_token::TestToken), OWNER, Some(constructor_data(&ctor))).unwrap();
}

/// A world with [`TOKEN`] and the StrategyManager at [`SM`], a strategy for
/// the token with an unlimited cap, and 1,000 tokens for ALICE and BOB, approved.
pub fn setup() -> World {
    let world = World::new();
    deploy_token(&world, TOKEN, "stETH");
    world.deploy(SM, router!(keel_strategy_manager::StrategyManager), OWNER, Some(constructor_data(&ISM::constructorCall { owner: OWNER }))).unwrap();
    world.call(OWNER, SM, &ISM::addStrategyCall { token: TOKEN, cap: U256::MAX }).unwrap();
    for who in [ALICE, BOB] {
        fund(&world, TOKEN, who, ether(1_000));
    }
    world
}

/// Mints `amount` of `token` to `who` and approves the StrategyManager.
pub fn fund(world: &World, token: Address, who: Address, amount: U256) {
    world.call(OWNER, token, &IToken::mintCall { to: who, value: amount }).unwrap();
    world.call(who, token, &IToken::approveCall { spender: SM, value: U256::MAX }).unwrap();
}

/// `token` balance of `who`.
pub fn balance(world: &World, token: Address, who: Address) -> U256 {
    world.call(OWNER, token, &IToken::balanceOfCall { account: who }).unwrap()
}

/// `staker`'s deposit shares in `token`'s strategy.
pub fn shares(world: &World, staker: Address, token: Address) -> U256 {
    world.call(OWNER, SM, &ISM::stakerDepositSharesCall { staker, token }).unwrap()
}

/// Deposits `amount` of [`TOKEN`] as `who`.
pub fn deposit(world: &World, who: Address, amount: U256) -> Result<U256, keel_testhost::Revert> {
    world.call(who, SM, &ISM::depositIntoStrategyCall { token: TOKEN, amount })
}
