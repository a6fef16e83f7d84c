/**
 * The Positions page: the connected account's deposits per strategy, its
 * delegation, its value over time (`history.ts`), what each operator set
 * can slash from it (`exposure.ts`),
 * queued withdrawals (countdown, complete), claimable rewards
 * (claim) and its LRT balance at the vault's rate with its redemptions.
 */

import type { Address } from "viem";
import { abis } from "./abi";
import { contract } from "./config";
import type { Context } from "./context";
import { h, table } from "./dom";
import { stakerExposure } from "./exposure";
import { countdown, short, tokens } from "./format";
import { valueOverTime } from "./history";
import { send } from "./tx";

/** Renders the page for the connected account. */
export async function positions(ctx: Context): Promise<HTMLElement> {
  const { keel, wallet } = ctx;
  if (!wallet) return h("p", { class: "empty" }, "Connect a wallet to see its positions.");
  const account = wallet.account;
  const strategies = await keel.strategies();
  const operator = await keel.read<Address>("DelegationManager", "delegatedTo", [account]);
  const delegated = operator !== "0x0000000000000000000000000000000000000000";
  const rows = await Promise.all(
    strategies.map(async (s) => {
      const balance = await keel.read<bigint>("TestToken", "balanceOf", [account], s.token);
      const deposit = await keel.read<bigint>("StrategyManager", "stakerDepositShares", [account, s.token]);
      const [withdrawable] = await keel.read<[bigint, bigint]>("DelegationManager", "withdrawableShares", [account, s.token]);
      const value = await keel.read<bigint>("StrategyManager", "sharesToUnderlying", [s.token, withdrawable]);
      return [s.symbol, tokens(balance), tokens(deposit), tokens(withdrawable), tokens(value)];
    }),
  );
  const page = h(
    "section",
    { id: "positions" },
    h("h2", {}, "Positions"),
    h("p", {}, "Account ", h("code", { id: "account" }, account), ", delegated to ",
      h("code", { id: "delegated-to" }, delegated ? operator : "nobody")),
    table(["strategy", "in wallet", "deposit shares", "withdrawable after slashing", "worth (tokens)"], rows, "No strategies yet.", "deposits"),
    h("h3", {}, "Value over time"),
    await valueOverTime(account),
    h("h3", {}, "At risk"),
    delegated ? await stakerExposure(ctx, account, operator) : h("p", { class: "empty", id: "exposure" }, "Not delegated: no AVS can slash these shares."),
    h("h3", {}, "Queued withdrawals"),
    await withdrawals(ctx, account, strategies.map((s) => [s.token, s.symbol])),
    h("h3", {}, "Rewards"),
    await rewards(ctx, account, delegated ? operator : undefined, strategies.map((s) => s.token)),
    h("h3", {}, "Liquid restaking (kETH)"),
    await lrt(ctx, account),
  );
  return page;
}

/** The pending withdrawals, each with a live countdown and a complete button. */
async function withdrawals(ctx: Context, account: Address, symbols: [Address, string][]): Promise<HTMLElement> {
  const { keel } = ctx;
  const pending = await keel.pendingWithdrawals(account);
  const chainNow = await keel.now();
  const fetchedAt = Date.now();
  const timers: (() => void)[] = [];
  const rows = pending.map((w) => {
    const clock = h("span", { class: "countdown" }, "");
    const button = h("button", { class: "complete", "data-root": w.root, disabled: true }, "Complete");
    button.addEventListener("click", async () => {
      button.disabled = true;
      const call = { address: keel.config.contracts.DelegationManager, abi: abis.DelegationManager, functionName: "completeQueuedWithdrawal", args: [w.root, true] };
      if (await send(keel, ctx.wallet!, ctx.log, "complete withdrawal", call)) ctx.refresh();
      else button.disabled = false;
    });
    const tick = () => {
      const left = w.completableAt - (chainNow + Math.floor((Date.now() - fetchedAt) / 1000));
      clock.textContent = countdown(left);
      button.disabled = left > 0;
    };
    timers.push(tick);
    tick();
    const what = w.entries.map((e) => `${tokens(e.shares)} ${symbols.find(([t]) => t === e.token)?.[1] ?? "?"} shares`).join(", ");
    return [h("code", { title: w.root }, short(w.root)), what, short(w.operator), clock, button];
  });
  const interval = setInterval(() => timers.forEach((tick) => tick()), 1000);
  ctx.onLeave(() => clearInterval(interval));
  return table(["withdrawal", "pays now", "operator", "completes in", ""], rows, "No queued withdrawals.", "withdrawals");
}

/** Claimable rewards per reward token, and a claim button for the account's pools. */
async function rewards(ctx: Context, account: Address, operator: Address | undefined, strategies: Address[]): Promise<HTMLElement> {
  const { keel } = ctx;
  const listed = await keel.events("RewardsCoordinator", "RewardTokenSet");
  const rewardTokens = [...new Set(listed.filter((e) => e.whitelisted).map((e) => e.token as Address))];
  let total = 0n;
  const rows = await Promise.all(
    rewardTokens.map(async (token) => {
      const claimable = await keel.read<bigint>("RewardsCoordinator", "claimable", [account, token]);
      let pending = 0n;
      if (operator) {
        for (const strategy of strategies) {
          pending += await keel.read<bigint>("RewardsCoordinator", "pendingRewards", [account, operator, strategy, token]);
        }
      }
      total += claimable + pending;
      const symbol = await keel.read<string>("TestToken", "symbol", [], token).catch(() => "?");
      return [symbol, tokens(claimable), tokens(pending)];
    }),
  );
  const box = h("div", {}, table(["reward token", "claimable", "earned, not yet settled"], rows, "No reward tokens yet.", "rewards"));
  if (total > 0n) {
    const pools = operator ? strategies : [];
    const button = h("button", { id: "claim" }, "Claim all");
    button.addEventListener("click", async () => {
      button.disabled = true;
      const call = {
        address: contract(keel.config, "RewardsCoordinator"),
        abi: abis.RewardsCoordinator,
        functionName: "claim",
        args: [account, pools.map(() => operator!), pools, rewardTokens, account],
      };
      if (await send(keel, ctx.wallet!, ctx.log, "claim rewards", call)) ctx.refresh();
      else button.disabled = false;
    });
    box.append(button);
  }
  return box;
}

/** The account's kETH: balance, the vault's rate, what it is worth, and its redemptions pending and claimable. */
async function lrt(ctx: Context, account: Address): Promise<HTMLElement> {
  const { keel } = ctx;
  if (!keel.config.contracts.LrtVault) return h("p", { class: "empty" }, "No LRT vault on this deployment.");
  const balance = await keel.read<bigint>("LrtVault", "balanceOf", [account]);
  const rate = await keel.read<bigint>("LrtVault", "getRate");
  const worth = await keel.read<bigint>("LrtVault", "convertToAssets", [balance]);
  const vault = keel.config.contracts.LrtVault;
  const [pendingShares, claimableShares, pendingAssets, claimableAssets] = await keel.read<[bigint, bigint, bigint, bigint]>("LrtVaultAdmin", "controllerRedeems", [account], vault);
  const row = [tokens(balance), tokens(rate, 6), tokens(worth), `${tokens(pendingShares)} kETH (≈ ${tokens(pendingAssets)})`, `${tokens(claimableShares)} kETH (${tokens(claimableAssets)})`];
  return table(["kETH", "rate (tokens per kETH)", "worth (tokens)", "redemptions pending", "claimable"], [row], "", "lrt");
}
