//! What each account's position was worth over time, for the web app's chart.
//!
//! A node without archive state (the devnet keeps none) can only answer for
//! its head, so `keel app` records the history as it happens: after each
//! chapter of the demo's story, and whenever the follower ([`History::follow`])
//! sees new blocks. A sample is only kept if the head did not move while it
//! was read, so every point is the exact state of the block it names.
//!
//! Per account and per token, a sample holds what the position is worth in
//! that token: restaked (withdrawable shares after slashing, in tokens),
//! queued withdrawals (what they would pay now), the LRT (kETH at the vault's
//! rate, plus its pending and claimable redemptions) and rewards (claimable
//! plus earned but not yet settled). Marks name what moved it: deposits,
//! withdrawals, slashes, rebases, reward claims and the story's chapters.

use crate::bindings::{IDelegationManager, ILrtVault, ILrtVaultAdmin, IRewardsCoordinator, IStrategyManager, ITestToken};
use crate::client::Client;
use alloy::primitives::{Address, B256, U256};
use alloy::providers::Provider;
use alloy::rpc::types::{BlockNumberOrTag, Filter, Log};
use alloy::sol_types::SolEvent;
use anyhow::{Context, Result};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::time::Duration;

/// How often the follower looks for new blocks.
const POLL: Duration = Duration::from_millis(400);
/// The most samples kept per account (the oldest go first).
const MAX_SAMPLES: usize = 2_000;
/// The most marks kept.
const MAX_MARKS: usize = 2_000;
/// The most blocks one `eth_getLogs` asks for.
const LOG_RANGE: u64 = 5_000;

/// The contracts whose state and events make up a position.
#[derive(Clone, Copy)]
pub struct Contracts {
    /// The StrategyManager.
    pub sm: Address,
    /// The DelegationManager.
    pub dm: Address,
    /// The RewardsCoordinator.
    pub rewards: Address,
    /// The LRT vault, if deployed.
    pub vault: Option<Address>,
    /// The first block to read logs from (the StrategyManager's deployment).
    pub from_block: u64,
}

/// One point of an account's history.
#[derive(Clone, Serialize)]
pub struct Sample {
    /// The block it is the state of.
    pub block: u64,
    /// That block's timestamp (seconds).
    pub time: u64,
    /// Worth per series (`"restaked (stETH)"`, ...), in the token's smallest unit, as decimal text.
    pub values: BTreeMap<String, String>,
}

/// Something that moved positions, shown on the chart's time axis.
#[derive(Clone, Serialize)]
pub struct Mark {
    /// The block it happened in.
    pub block: u64,
    /// That block's timestamp (seconds).
    pub time: u64,
    /// `deposit`, `queue`, `complete`, `slash`, `rebase`, `claim` or `chapter`.
    pub kind: &'static str,
    /// The account it concerns; none for what concerns everyone (a rebase, a slash, a chapter).
    pub account: Option<Address>,
    /// What happened, in words.
    pub text: String,
}

/// The recorded history of every account seen (dev accounts, stakers, LRT holders).
pub struct History {
    client: Client,
    contracts: Contracts,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// The first block whose logs are not read yet.
    next_block: u64,
    accounts: BTreeSet<Address>,
    strategies: Vec<Address>,
    reward_tokens: BTreeSet<Address>,
    symbols: BTreeMap<Address, String>,
    /// Pending withdrawal roots per staker.
    queued: BTreeMap<Address, BTreeSet<B256>>,
    samples: BTreeMap<Address, Vec<Sample>>,
    marks: Vec<Mark>,
}

impl History {
    /// An empty history of `contracts` read through `client`, following `accounts` from the start.
    pub fn new(client: Client, contracts: Contracts, accounts: &[Address]) -> Self {
        let state = State { accounts: accounts.iter().copied().collect(), next_block: contracts.from_block, ..State::default() };
        Self { client, contracts, state: Mutex::new(state) }
    }

    /// Reads new blocks and samples every account until the process ends; a failed round is retried.
    pub async fn follow(&self) {
        loop {
            let _ = self.record(None).await;
            tokio::time::sleep(POLL).await;
        }
    }

    /// Reads the logs of the blocks not read yet, then samples every account
    /// at the head, marking the sample with `chapter` if given. Returns
    /// whether a sample was kept (not if the head moved meanwhile or nothing changed).
    pub async fn record(&self, chapter: Option<&str>) -> Result<bool> {
        let head = self.client.provider.get_block_number().await?;
        let next = self.state.lock().expect("history lock").next_block;
        if head + 1 == next && chapter.is_none() {
            return Ok(false);
        }
        let time = self.block_time(head).await?;
        let mut from = next;
        while from <= head {
            // In ranges a public node's eth_getLogs accepts.
            let to = head.min(from + LOG_RANGE - 1);
            let filter = Filter::new().from_block(from).to_block(to).address(self.addresses());
            let logs = self.client.provider.get_logs(&filter).await?;
            let mut times = BTreeMap::new();
            for log in &logs {
                let block = log.block_number.unwrap_or(to);
                if let std::collections::btree_map::Entry::Vacant(slot) = times.entry(block) {
                    slot.insert(self.block_time(block).await?);
                }
            }
            let mut state = self.state.lock().expect("history lock");
            for log in &logs {
                let block = log.block_number.unwrap_or(to);
                state.ingest(log, block, times[&block], self.contracts.vault);
            }
            state.next_block = to + 1;
            from = to + 1;
        }
        let (accounts, strategies, reward_tokens) = {
            let state = self.state.lock().expect("history lock");
            (state.accounts.clone(), state.strategies.clone(), state.reward_tokens.clone())
        };
        self.learn_symbols(strategies.iter().chain(&reward_tokens)).await;
        // Every account at once: the node answers reads in parallel, and the sooner the round ends the likelier the head stayed.
        let (strategies, reward_tokens) = (&strategies, &reward_tokens);
        let reads =
            accounts.iter().map(|&account| async move { anyhow::Ok((account, self.worth(account, strategies, reward_tokens).await?)) });
        let samples = futures::future::try_join_all(reads).await?;
        if self.client.provider.get_block_number().await? != head {
            return Ok(false);
        }
        let mut state = self.state.lock().expect("history lock");
        if let Some(chapter) = chapter {
            state.push_mark(Mark { block: head, time, kind: "chapter", account: None, text: chapter.to_string() });
        }
        for (account, values) in samples {
            let named =
                values.into_iter().map(|((series, token), v)| (format!("{series} ({})", state.symbol(token)), v.to_string())).collect();
            let list = state.samples.entry(account).or_default();
            if list.last().is_some_and(|last| last.block == head) {
                list.pop();
            }
            list.push(Sample { block: head, time, values: named });
            if list.len() > MAX_SAMPLES {
                list.remove(0);
            }
        }
        Ok(true)
    }

    /// `{ account, samples, marks }` for the app: the account's samples and
    /// the marks that concern it or everyone.
    pub fn json(&self, account: Address) -> serde_json::Value {
        let state = self.state.lock().expect("history lock");
        let marks: Vec<&Mark> = state.marks.iter().filter(|m| m.account.is_none_or(|a| a == account)).collect();
        serde_json::json!({
            "account": account.to_string(),
            "samples": state.samples.get(&account).cloned().unwrap_or_default(),
            "marks": marks,
        })
    }

    fn addresses(&self) -> Vec<Address> {
        let c = self.contracts;
        let mut all = vec![c.sm, c.dm, c.rewards];
        all.extend(c.vault);
        let state = self.state.lock().expect("history lock");
        all.extend(state.strategies.iter().copied());
        all
    }

    async fn block_time(&self, number: u64) -> Result<u64> {
        let block = self.client.provider.get_block_by_number(BlockNumberOrTag::Number(number)).await?;
        Ok(block.context("the node has no such block")?.header.timestamp)
    }

    async fn learn_symbols(&self, tokens: impl Iterator<Item = &Address>) {
        for &token in tokens {
            if self.state.lock().expect("history lock").symbols.contains_key(&token) {
                continue;
            }
            let symbol = ITestToken::new(token, &self.client.provider).symbol().call().await.unwrap_or_else(|_| short(token));
            self.state.lock().expect("history lock").symbols.insert(token, symbol);
        }
    }

    /// What `account`'s position is worth now, per (series, token).
    async fn worth(
        &self,
        account: Address,
        strategies: &[Address],
        reward_tokens: &BTreeSet<Address>,
    ) -> Result<BTreeMap<(&'static str, Address), U256>> {
        let p = &self.client.provider;
        let (sm, dm) = (IStrategyManager::new(self.contracts.sm, p), IDelegationManager::new(self.contracts.dm, p));
        let mut worth = BTreeMap::new();
        let mut add = |series: &'static str, token: Address, amount: U256| {
            if !amount.is_zero() {
                *worth.entry((series, token)).or_insert(U256::ZERO) += amount;
            }
        };
        for &token in strategies {
            let shares = dm.withdrawableShares(account, token).call().await?._0;
            if !shares.is_zero() {
                add("restaked", token, sm.sharesToUnderlying(token, shares).call().await?);
            }
        }
        let roots: Vec<B256> =
            self.state.lock().expect("history lock").queued.get(&account).map(|r| r.iter().copied().collect()).unwrap_or_default();
        for root in roots {
            let queued = dm.queuedWithdrawal(root).call().await?;
            if !queued._3 {
                continue;
            }
            for index in 0..queued._4.to::<u64>() {
                let entry = dm.queuedWithdrawalEntry(root, U256::from(index)).call().await?;
                add("queued", entry._0, sm.sharesToUnderlying(entry._0, entry._2).call().await?);
            }
        }
        if let Some(vault) = self.contracts.vault {
            let asset = *strategies.first().unwrap_or(&Address::ZERO);
            let lrt = ILrtVault::new(vault, p);
            let balance = lrt.balanceOf(account).call().await?;
            if !balance.is_zero() {
                add("LRT", asset, lrt.convertToAssets(balance).call().await?);
            }
            let redeems = ILrtVaultAdmin::new(vault, p).controllerRedeems(account).call().await?;
            add("LRT", asset, redeems._2 + redeems._3);
        }
        let rewards = IRewardsCoordinator::new(self.contracts.rewards, p);
        let operator = dm.delegatedTo(account).call().await?;
        for &token in reward_tokens {
            add("rewards", token, rewards.claimable(account, token).call().await?);
            if !operator.is_zero() {
                for &strategy in strategies {
                    add("rewards", token, rewards.pendingRewards(account, operator, strategy, token).call().await?);
                }
            }
        }
        Ok(worth)
    }
}

impl State {
    /// Learns accounts, strategies, reward tokens and withdrawals from one log, and marks what moved positions.
    fn ingest(&mut self, log: &Log, block: u64, time: u64, vault: Option<Address>) {
        use crate::bindings::{delegation_manager::IDelegationManager as Dm, lrt_vault::ILrtVault as Lrt};
        use crate::bindings::{
            rewards_coordinator::IRewardsCoordinator as Rc, strategy_manager::IStrategyManager as Sm, test_token::ITestToken as Token,
        };
        let inner = &log.inner;
        let mark = |kind, account: Option<Address>, text: String| Mark { block, time, kind, account, text };
        let found = if let Ok(e) = Sm::StrategyAdded::decode_log(inner) {
            if !self.strategies.contains(&e.token) {
                self.strategies.push(e.token);
            }
            None
        } else if let Ok(e) = Sm::Deposit::decode_log(inner) {
            self.accounts.insert(e.staker);
            Some(mark("deposit", Some(e.staker), format!("deposited {} of {}", crate::fmt::amount(e.amount), short(e.token))))
        } else if let Ok(e) = Dm::WithdrawalQueued::decode_log(inner) {
            self.accounts.insert(e.staker);
            self.queued.entry(e.staker).or_default().insert(e.root);
            Some(mark("queue", Some(e.staker), "queued a withdrawal".into()))
        } else if let Ok(e) = Dm::WithdrawalCompleted::decode_log(inner) {
            if let Some(roots) = self.queued.get_mut(&e.staker) {
                roots.remove(&e.root);
            }
            Some(mark("complete", Some(e.staker), "completed a withdrawal".into()))
        } else if let Ok(e) = Dm::OperatorSlashed::decode_log(inner) {
            Some(mark("slash", None, format!("operator {} slashed", short(e.operator))))
        } else if let Ok(e) = Rc::RewardTokenSet::decode_log(inner) {
            if e.whitelisted {
                self.reward_tokens.insert(e.token);
            } else {
                self.reward_tokens.remove(&e.token);
            }
            None
        } else if let Ok(e) = Rc::RewardsClaimed::decode_log(inner) {
            Some(mark("claim", Some(e.earner), format!("claimed {} rewards", crate::fmt::amount(e.amount))))
        } else if let Ok(e) = Lrt::Transfer::decode_log(inner) {
            if Some(log.address()) == vault && !e.to.is_zero() {
                self.accounts.insert(e.to);
            }
            None
        } else if let Ok(e) = Token::Rebased::decode_log(inner) {
            Some(mark("rebase", None, format!("{} rebased to {}", short(log.address()), crate::fmt::amount(e.factorWad))))
        } else {
            None
        };
        if let Some(mark) = found {
            self.push_mark(mark);
        }
    }

    fn push_mark(&mut self, mark: Mark) {
        self.marks.push(mark);
        if self.marks.len() > MAX_MARKS {
            self.marks.remove(0);
        }
    }

    fn symbol(&self, token: Address) -> String {
        self.symbols.get(&token).cloned().unwrap_or_else(|| short(token))
    }
}

/// `0x1234…abcd`.
fn short(address: Address) -> String {
    let text = address.to_string();
    format!("{}…{}", &text[..6], &text[text.len() - 4..])
}
