//! The chapters of the demo story, in order.

use super::{check, Story, WAD, WITHDRAWAL_DELAY};
use crate::{
    avs::Condition,
    bindings::{avs_registry::IAvsRegistry, IDelegationManager, ILrtVault, IStrategyManager, ITestToken},
    fmt,
    history::History,
    revert::explain,
    rewards::Submission,
    stake::send,
    units::parse,
};
use alloy::primitives::{keccak256, Address, B256, U256};
use anyhow::{ensure, Result};

/// One year, in seconds.
const YEAR: u64 = 365 * 24 * 3_600;
/// The RewardsCoordinator's epoch: streams start and end on its multiples.
const EPOCH: u64 = 3_600;

/// Plays every chapter; with a `history`, records every position after each.
pub async fn run(s: &Story, history: Option<&History>) -> Result<()> {
    let done = |chapter: &'static str| async move {
        if let Some(history) = history {
            history.record(Some(chapter)).await?;
        }
        anyhow::Ok(())
    };
    restake(s).await?;
    done("restake").await?;
    let conditions = avs_onboarding(s).await?;
    done("AVSs onboarded").await?;
    reward_streams(s).await?;
    done("reward streams").await?;
    base_yield(s).await?;
    done("base yield").await?;
    claim_rewards(s).await?;
    done("rewards claimed").await?;
    lrt_deposit(s).await?;
    done("LRT deposit").await?;
    let root = s.keel(&s.leaver).queue_withdrawal(s.token, parse("10")?).await?;
    done("a staker leaves").await?;
    let request = oracle_slash(s, conditions[0], root).await?;
    done("oracle slash").await?;
    lrt_claim(s, request).await?;
    done("LRT claim").await?;
    bridge_veto(s, conditions[1]).await?;
    done("bridge veto").await
}

/// `x` percent as a wad.
fn percent(x: u64) -> u64 {
    x * (WAD / 100)
}

async fn withdrawable(s: &Story, who: Address) -> Result<U256> {
    Ok(IDelegationManager::new(s.dm, s.owner.provider.clone()).withdrawableShares(who, s.token).call().await.map_err(explain)?._0)
}

async fn value_of(s: &Story, shares: U256) -> Result<U256> {
    IStrategyManager::new(s.sm, s.owner.provider.clone()).sharesToUnderlying(s.token, shares).call().await.map_err(explain)
}

/// Chapter 1: Stakers restake through an operator.
async fn restake(s: &Story) -> Result<()> {
    println!("\n== 1. A staker restakes 32 stETH-like tokens through an operator (and a second one 10)");
    s.keel(&s.operator).register_operator(Address::ZERO, "https://operator.keel.example/meta.json".into()).await?;
    for (who, amount) in [(&s.staker, "32"), (&s.leaver, "10")] {
        s.keel(&s.owner).mint(s.token, who.from, parse(amount)?).await?;
        s.keel(who).deposit(s.token, parse(amount)?).await?;
        s.keel(who).delegate(s.operator.from).await?;
    }
    let delegated =
        IDelegationManager::new(s.dm, s.owner.provider.clone()).operatorStake(s.operator.from, s.token).call().await.map_err(explain)?._0;
    check("operator's delegated shares", delegated, parse("42")?)
}

/// Chapter 2: Three AVSs publish their slashing rules; the operator opts in and
/// allocates unique stake to each. Returns the condition ids.
async fn avs_onboarding(s: &Story) -> Result<Vec<u64>> {
    println!("\n== 2. Three AVSs publish slashing rules; the operator opts in and allocates stake");
    let avss = [
        (&s.oracle, "oracle", 10, 0, Address::ZERO, 40),
        (&s.bridge, "bridge", 20, 86_400, s.council.from, 30),
        (&s.da, "data availability layer", 5, 0, Address::ZERO, 20),
    ];
    let operator = s.registry(&s.operator);
    operator.set_allocation_delay(0).await?;
    let registry = IAvsRegistry::new(s.registry, s.owner.provider.clone());
    let configuration_delay = registry.parameters().call().await.map_err(explain)?._1;
    println!(
        "  the operator's allocation delay of 0 takes effect in {:.1} days: longer than any withdrawal delay, so its stakers can leave first",
        configuration_delay as f64 / 86_400.0
    );
    let mut ids = Vec::new();
    for (avs, name, max_percent, veto_window, resolver, _) in avss {
        let registry = s.registry(avs);
        registry.register_avs(&format!("https://{}.avs.example/meta.json", name.replace(' ', "-"))).await?;
        registry.create_set(1, vec![s.token]).await?;
        let condition = Condition {
            set_id: 1,
            max_slash_wad: percent(max_percent),
            slasher: avs.from,
            veto_window,
            resolver,
            redistribution_recipient: Address::ZERO,
            description_uri: format!("https://{}.avs.example/slashing.md", name.replace(' ', "-")),
            evidence_schema_hash: keccak256(name.as_bytes()),
        };
        ids.push(registry.add_condition(&condition).await?);
    }
    s.owner.travel(configuration_delay).await?;
    for ((avs, _, _, _, _, share), id) in avss.iter().zip(&ids) {
        operator.opt_in(avs.from, vec![1], vec![*id]).await?;
        operator.allocate(avs.from, 1, vec![s.token], vec![percent(*share)]).await?;
    }
    s.owner.travel(60).await?;
    let magnitudes = registry.operatorMagnitudes(s.operator.from, s.token).call().await.map_err(explain)?;
    println!(
        "  operator's magnitudes: max {}, allocated {}, free {}",
        fmt::percent(U256::from(magnitudes._0)),
        fmt::percent(U256::from(magnitudes._1)),
        fmt::percent(U256::from(magnitudes._2))
    );
    check("stake allocated to the three AVSs (unique, 40% + 30% + 20%)", U256::from(magnitudes._1), U256::from(percent(90)))?;
    Ok(ids)
}

/// Chapter 2b: The operator waives its commission; each AVS streams a year
/// of rewards to the operator's kstETH pool (42 tokens): 2%, 1.5% and 1%.
async fn reward_streams(s: &Story) -> Result<()> {
    println!("\n== 2b. The AVSs stream a year of rewards to the operator's pool: 2%, 1.5% and 1% of its stake");
    s.rewards(&s.operator).set_commission(0).await?;
    s.rewards(&s.operator).accept_token(s.reward_token).await?;
    s.owner.travel(7 * 86_400 + EPOCH).await?;
    let now = s.owner.now().await?;
    // The next epoch at least ten minutes away: the submissions below take
    // blocks, and a stream may not start in the past.
    let start = (now + 600).div_ceil(EPOCH) * EPOCH;
    for (avs, per_mille) in [(&s.oracle, 20u64), (&s.bridge, 15), (&s.da, 10)] {
        let amount = parse("42")? * U256::from(per_mille) / U256::from(1_000);
        s.keel(&s.owner).mint(s.reward_token, avs.from, amount).await?;
        let submission = Submission {
            operators: vec![s.operator.from],
            amounts: vec![amount],
            strategy: s.token,
            reward_token: s.reward_token,
            start,
            duration: YEAR,
        };
        s.rewards(avs).submit(&submission).await?;
    }
    s.owner.travel(start - now).await
}

/// Chapter 3: A year of the base staking yield (3.5%) through the token's rebase.
async fn base_yield(s: &Story) -> Result<()> {
    println!("\n== 3. A year passes; the staked token's base yield of 3.5% accrues by rebase");
    s.owner.travel(YEAR + EPOCH).await?;
    let factor = U256::from(WAD) + U256::from(WAD) * U256::from(35) / U256::from(1_000);
    send!(ITestToken::new(s.token, s.owner.provider.clone()).rebase(factor), "rebase")?;
    let value = value_of(s, parse("32")?).await?;
    println!("  the staker's 32 restaked tokens are now worth {} (base staking yield)", fmt::amount(value));
    check("value after the base yield", value, parse("33.12")?)
}

/// Chapter 3b: The staker claims its restaking rewards: 4.5% of 32 tokens.
async fn claim_rewards(s: &Story) -> Result<()> {
    println!("\n== 3b. The staker claims a year of restaking rewards");
    let paid = s.rewards(&s.staker).claim(s.staker.from, &[(s.operator.from, s.token)], vec![s.reward_token], s.staker.from).await?;
    check("restaking rewards claimed (4.5% of 32)", paid[0], parse("1.44")?)?;
    let base = value_of(s, parse("32")?).await? - parse("32")?;
    let total = base + paid[0];
    println!(
        "  base staking yield {} + restaking rewards {} = {} on 32 tokens ({}/yr)",
        fmt::amount(base),
        fmt::amount(paid[0]),
        fmt::amount(total),
        fmt::percent(total / U256::from(32))
    );
    println!("  at $3,000 per token that is {}/yr", fmt::usd(total * U256::from(3_000)));
    check("yield in all (8% of 32)", total, parse("2.56")?)
}

/// Chapter 3c: An LRT holder deposits 10 tokens into the kETH vault, which
/// restakes them all (no idle buffer on the devnet) with the same operator.
async fn lrt_deposit(s: &Story) -> Result<()> {
    println!("\n== 3c. An LRT holder deposits 10 tokens into the kETH vault, restaked with the same operator");
    s.lrt(&s.owner).set_restaking_operator(s.operator.from).await?;
    // A little over 10: a balance of the rebased token rounds down.
    s.keel(&s.owner).mint(s.token, s.holder.from, parse("11")?).await?;
    let minted = s.lrt(&s.holder).deposit(parse("10")?).await?;
    let value = ILrtVault::new(s.vault, s.owner.provider.clone()).convertToAssets(minted).call().await.map_err(explain)?;
    check("the holder's kETH is worth its deposit", value, parse("10")?)
}

/// Chapter 4b: The LRT holder's redemption, requested after the slash, is
/// claimable after the withdrawal delay and pays the slashed value.
async fn lrt_claim(s: &Story, request: U256) -> Result<()> {
    println!("\n== 4b. The LRT holder claims its redemption {request} after the withdrawal delay");
    let paid = s.lrt(&s.holder).claim(s.holder.from, None).await?;
    check("redemption paid (10 x 96%)", paid, parse("9.6")?)
}

/// Chapter 4: The oracle slashes 10% of its 40% allocation for a wrong price report:
/// every delegator loses 4% in one transaction, including the staker whose
/// withdrawal was queued just before, and the LRT's rate falls 4% too; the
/// LRT holder then requests a redemption (returned).
async fn oracle_slash(s: &Story, condition: u64, queued: B256) -> Result<U256> {
    println!("\n== 4. The oracle slashes the operator for a wrong price report (10% of its 40% allocation)");
    let before = withdrawable(s, s.staker.from).await?;
    let rate_before = s.lrt(&s.owner).rate().await?;
    let evidence = keccak256(b"round 1234: reported 1,998 USD, median 2,412 USD");
    s.registry(&s.oracle).slash(s.operator.from, condition, vec![s.token], vec![percent(10)], evidence).await?;
    let after = withdrawable(s, s.staker.from).await?;
    println!("  staker's restaked shares: {} -> {}", fmt::amount(before), fmt::amount(after));
    check("staker's shares after the slash (32 x 96%)", after, parse("30.72")?)?;
    let delegated =
        IDelegationManager::new(s.dm, s.owner.provider.clone()).operatorStake(s.operator.from, s.token).call().await.map_err(explain)?;
    check("operator's slashing factor", delegated._1, U256::from(percent(96)))?;
    let rate_after = s.lrt(&s.owner).rate().await?;
    println!("  kETH rate (assets per kETH): {} -> {}", fmt::amount(rate_before), fmt::amount(rate_after));
    check("kETH rate after the slash (x 96%, the delegators' factor)", rate_after, rate_before * U256::from(96) / U256::from(100))?;
    let holder = s.lrt(&s.holder);
    let request = holder.request_redeem(holder.balance(s.holder.from).await?).await?;
    s.owner.travel(WITHDRAWAL_DELAY).await?;
    let token = ITestToken::new(s.token, s.owner.provider.clone());
    let balance = token.balanceOf(s.leaver.from).call().await.map_err(explain)?;
    s.keel(&s.leaver).complete_withdrawal(queued, true).await?;
    let paid = token.balanceOf(s.leaver.from).call().await.map_err(explain)? - balance;
    println!("  the staker who queued 10 shares before the slash received {} tokens", fmt::amount(paid));
    check("queued withdrawal after the slash (10 x 1.035 x 96%)", paid, parse("9.936")?)?;
    Ok(request)
}

/// Chapter 5: The bridge requests a slash; its council vetoes it within the window.
async fn bridge_veto(s: &Story, condition: u64) -> Result<()> {
    println!("\n== 5. The bridge requests a slash; its security council vetoes it");
    let factor = |s: &Story| {
        let dm = IDelegationManager::new(s.dm, s.owner.provider.clone());
        let (operator, token) = (s.operator.from, s.token);
        async move { Ok::<_, anyhow::Error>(dm.operatorStake(operator, token).call().await.map_err(explain)?._1) }
    };
    let before = factor(s).await?;
    let id = s
        .registry(&s.bridge)
        .request_slash(s.operator.from, condition, vec![s.token], vec![percent(20)], keccak256(b"disputed relay"))
        .await?;
    s.registry(&s.council).veto(id).await?;
    s.owner.travel(2 * 86_400).await?;
    let refused = s.registry(&s.owner).execute_slash(id, vec![s.token], vec![percent(20)]).await;
    ensure!(refused.is_err(), "a vetoed slash executed");
    println!("  executing the vetoed slash is refused: {}", refused.unwrap_err());
    check("operator's slashing factor after the veto (unchanged)", factor(s).await?, before)
}
