//! Staker and operator flows end to end, with the events they log and the
//! contracts' custom errors surfaced to the client by name.

use alloy::sol_types::SolEvent;
use alloy::{
    primitives::{Address, U256},
    providers::Provider,
};
use keel_cli::{
    bindings::{
        delegation_manager::IDelegationManager::{OperatorSharesIncreased, StakerDelegated, WithdrawalCompleted, WithdrawalQueued},
        strategy_manager::IStrategyManager::Deposit,
        IStrategyManager, ITestToken,
    },
    units::parse,
};
use keel_e2e::Net;

#[tokio::test(flavor = "multi_thread")]
async fn deposit_delegate_queue_and_complete() {
    let net = Net::start().await.unwrap();
    let (operator, staker) = (net.account(2).await.unwrap(), net.account(1).await.unwrap());
    net.keel(&operator).register_operator(Address::ZERO, "ipfs://operator".into()).await.unwrap();
    net.keel(&net.owner).mint(net.token, staker.from, parse("40").unwrap()).await.unwrap();
    let keel = net.keel(&staker);
    assert_eq!(keel.deposit(net.token, parse("40").unwrap()).await.unwrap(), parse("40").unwrap());
    keel.delegate(operator.from).await.unwrap();
    let root = keel.queue_withdrawal(net.token, parse("15").unwrap()).await.unwrap();
    let early = keel.complete_withdrawal(root, true).await.unwrap_err().to_string();
    assert!(early.contains("WithdrawalDelayNotElapsed"), "{early}");
    net.owner.travel(3 * 86_400).await.unwrap(); // devnet.toml's withdrawal delay
    keel.complete_withdrawal(root, true).await.unwrap();
    let sm = IStrategyManager::new(net.sm, staker.provider.clone());
    assert_eq!(sm.stakerDepositShares(staker.from, net.token).call().await.unwrap(), parse("25").unwrap());

    let forty = parse("40").unwrap();
    let deposit = net.owner.history::<Deposit>(net.sm, None).await.unwrap();
    assert_eq!(
        deposit.iter().map(|e| (e.staker, e.token, e.amount, e.shares)).collect::<Vec<_>>(),
        [(staker.from, net.token, forty, forty)]
    );
    let delegated = net.owner.history::<StakerDelegated>(net.dm, None).await.unwrap();
    let expected = [(operator.from, operator.from), (staker.from, operator.from)];
    assert_eq!(delegated.iter().map(|e| (e.staker, e.operator)).collect::<Vec<_>>(), expected, "an operator is delegated to itself");
    let moved = net.owner.history::<OperatorSharesIncreased>(net.dm, None).await.unwrap();
    assert_eq!(
        moved.iter().map(|e| (e.operator, e.staker, e.token, e.shares)).collect::<Vec<_>>(),
        [(operator.from, staker.from, net.token, forty)]
    );
    let queued = net.owner.history::<WithdrawalQueued>(net.dm, None).await.unwrap();
    assert_eq!(
        queued.iter().map(|e| (e.root, e.staker, e.operator, e.nonce)).collect::<Vec<_>>(),
        [(root, staker.from, operator.from, U256::ZERO)]
    );
    let completed = net.owner.history::<WithdrawalCompleted>(net.dm, None).await.unwrap();
    assert_eq!(completed.iter().map(|e| (e.root, e.staker, e.receiveAsTokens)).collect::<Vec<_>>(), [(root, staker.from, true)]);
}

#[tokio::test(flavor = "multi_thread")]
async fn refusals_reach_the_client_by_name() {
    let net = Net::start().await.unwrap();
    let staker = net.account(1).await.unwrap();
    let keel = net.keel(&staker);
    let not_registered = keel.delegate(Address::repeat_byte(9)).await.unwrap_err().to_string();
    assert!(not_registered.contains("OperatorNotRegistered"), "{not_registered}");
    // An unfunded deposit is refused before anything is sent.
    let unfunded = keel.deposit(net.token, U256::from(1)).await.unwrap_err().to_string();
    assert!(unfunded.contains("balance 0 kstETH is below"), "{unfunded}");
    let not_owner = net.keel(&staker).mint(net.token, staker.from, U256::from(1)).await.unwrap_err().to_string();
    assert!(
        not_owner.contains("Unauthorized") && not_owner.to_lowercase().contains(&staker.from.to_string().to_lowercase()),
        "{not_owner}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_permit_deposit_takes_one_transaction_and_no_standing_allowance() {
    let net = Net::start().await.unwrap();
    let staker = net.account(1).await.unwrap();
    net.keel(&net.owner).mint(net.token, staker.from, parse("5").unwrap()).await.unwrap();
    let nonce = staker.provider.get_transaction_count(staker.from).await.unwrap();
    assert_eq!(net.keel(&staker).deposit_with_permit(net.token, parse("3").unwrap()).await.unwrap(), parse("3").unwrap());
    assert_eq!(staker.provider.get_transaction_count(staker.from).await.unwrap(), nonce + 1, "one transaction");
    let token = ITestToken::new(net.token, staker.provider.clone());
    assert_eq!(token.allowance(staker.from, net.sm).call().await.unwrap(), U256::ZERO, "the permit covered exactly the deposit");
    assert_eq!(token.balanceOf(staker.from).call().await.unwrap(), parse("2").unwrap());
}

#[tokio::test(flavor = "multi_thread")]
async fn several_withdrawals_complete_in_one_batched_transaction_or_not_at_all() {
    let net = Net::start().await.unwrap();
    let staker = net.account(1).await.unwrap();
    net.keel(&net.owner).mint(net.token, staker.from, parse("30").unwrap()).await.unwrap();
    let keel = net.keel(&staker);
    keel.deposit(net.token, parse("30").unwrap()).await.unwrap();
    let first = keel.queue_withdrawal(net.token, parse("10").unwrap()).await.unwrap();
    let second = keel.queue_withdrawal(net.token, parse("5").unwrap()).await.unwrap();
    net.owner.travel(3 * 86_400).await.unwrap(); // devnet.toml's withdrawal delay
    let token = ITestToken::new(net.token, staker.provider.clone());
    let before = token.balanceOf(staker.from).call().await.unwrap();

    // A batch naming the first root twice fails as a whole, by name.
    let twice = keel.complete_withdrawals(&[first, first], true).await.unwrap_err().to_string();
    assert!(twice.contains("WithdrawalNotQueued"), "{twice}");
    assert_eq!(token.balanceOf(staker.from).call().await.unwrap(), before);

    let receipt = keel.complete_withdrawals(&[first, second], true).await.unwrap();
    let completed = receipt.inner.logs().iter().filter(|log| log.topic0() == Some(&WithdrawalCompleted::SIGNATURE_HASH)).count();
    assert_eq!(completed, 2, "both withdrawals completed in the one transaction");
    assert_eq!(token.balanceOf(staker.from).call().await.unwrap(), before + parse("15").unwrap());
}
