/**
 * The Stake page: deposit into a strategy (with a permit, or approving first),
 * delegate to an operator, undelegate, queue a withdrawal. Bad input is refused with a
 * message before anything is sent.
 */

import type { Address } from "viem";
import { abis } from "./abi";
import type { Strategy } from "./chain";
import { contract } from "./config";
import type { Context } from "./context";
import { h } from "./dom";
import { form, label } from "./forms";
import { permitDeposit } from "./permit";
import { parseAmount, short, tokens } from "./format";
import { send } from "./tx";

/** The StrategyManager's pause flag for deposits. */
const PAUSED_DEPOSITS = 0;
/** The DelegationManager's pause flag for delegating. */
const PAUSED_DELEGATION = 0;
/** The DelegationManager's pause flag for queueing withdrawals. */
const PAUSED_ENTER_QUEUE = 1;

/** Renders the page. */
export async function stake(ctx: Context): Promise<HTMLElement> {
  if (!ctx.wallet) return h("p", { class: "empty" }, "Connect a wallet to stake.");
  const strategies = (await ctx.keel.strategies()).filter((s) => s.whitelisted);
  const operators = await ctx.keel.operators();
  return h(
    "section",
    { id: "stake" },
    h("h2", {}, "Stake"),
    depositForm(ctx, strategies),
    delegateForm(ctx, operators),
    undelegateForm(ctx),
    queueForm(ctx, strategies),
  );
}

/** A `<select>` of the strategies. */
function strategySelect(id: string, strategies: Strategy[]): HTMLSelectElement {
  return h("select", { id }, ...strategies.map((s) => h("option", { value: s.token }, `${s.symbol} (${short(s.token)})`)));
}

/**
 * Deposit: amount checked against the wallet's balance; the wallet (the
 * browser's, or the devnet's dev keys through `eth_signTypedData_v4`) signs a
 * permit where the token has one, else an approval is sent first if the
 * allowance is short.
 */
function depositForm(ctx: Context, strategies: Strategy[]): HTMLElement {
  const select = strategySelect("deposit-token", strategies);
  const amount = h("input", { id: "deposit-amount", inputmode: "decimal", placeholder: "amount in tokens" });
  return form("deposit", "Deposit", "Deposit", [label("Strategy", select), label("Amount", amount)], async () => {
    const { keel, wallet, log } = ctx;
    const token = select.value as Address;
    let wei: bigint;
    try {
      wei = parseAmount(amount.value);
    } catch (error) {
      return log.refuse("deposit", (error as Error).message);
    }
    if (await keel.isPaused("StrategyManager", PAUSED_DEPOSITS)) return log.refuse("deposit", "deposits are paused");
    const balance = await keel.read<bigint>("TestToken", "balanceOf", [wallet!.account], token);
    if (wei > balance) return log.refuse("deposit", `amount above your balance: you have ${tokens(balance)}, asked ${tokens(wei)}`);
    const manager = contract(keel.config, "StrategyManager");
    const withPermit = await permitDeposit(ctx, token, wei);
    if (withPermit) {
      if (await send(keel, wallet!, log, "deposit", withPermit)) amount.value = "";
      return;
    }
    const allowance = await keel.read<bigint>("TestToken", "allowance", [wallet!.account, manager], token);
    if (allowance < wei) {
      const approve = { address: token, abi: abis.TestToken, functionName: "approve", args: [manager, wei] };
      if (!(await send(keel, wallet!, log, "approve", approve))) return;
    }
    const call = { address: manager, abi: abis.StrategyManager, functionName: "depositIntoStrategy", args: [token, wei] };
    if (await send(keel, wallet!, log, "deposit", call)) amount.value = "";
  });
}

/** Delegate all the account's shares to an open operator. */
function delegateForm(ctx: Context, operators: Address[]): HTMLElement {
  const select = h("select", { id: "delegate-operator" }, ...operators.map((o) => h("option", { value: o }, o)));
  return form("delegate", "Delegate", "Delegate", [label("Operator", select)], async () => {
    const { keel, wallet, log } = ctx;
    if (!select.value) return log.refuse("delegate", "no operator is registered yet");
    if (await keel.isPaused("DelegationManager", PAUSED_DELEGATION)) return log.refuse("delegate", "delegation is paused");
    const zero = `0x${"0".repeat(64)}`;
    const call = { address: contract(keel.config, "DelegationManager"), abi: abis.DelegationManager, functionName: "delegateTo", args: [select.value, 0n, "0x", zero] };
    await send(keel, wallet!, log, "delegate", call);
  });
}

/** Undelegate: every share leaves the operator as one queued withdrawal. */
function undelegateForm(ctx: Context): HTMLElement {
  const note = h("p", { class: "empty" }, "All your shares are queued for withdrawal and wait out the withdrawal delay.");
  return form("undelegate", "Undelegate", "Undelegate", [note], async () => {
    const { keel, wallet, log } = ctx;
    const operator = await keel.read<Address>("DelegationManager", "delegatedTo", [wallet!.account]);
    if (/^0x0+$/.test(operator)) return log.refuse("undelegate", "you are not delegated");
    if (await keel.isPaused("DelegationManager", PAUSED_ENTER_QUEUE)) return log.refuse("undelegate", "queueing withdrawals is paused");
    const call = { address: contract(keel.config, "DelegationManager"), abi: abis.DelegationManager, functionName: "undelegate", args: [wallet!.account] };
    await send(keel, wallet!, log, "undelegate", call);
  });
}

/** Queue a withdrawal of deposit shares, checked against the account's shares. */
function queueForm(ctx: Context, strategies: Strategy[]): HTMLElement {
  const select = strategySelect("queue-token", strategies);
  const amount = h("input", { id: "queue-amount", inputmode: "decimal", placeholder: "deposit shares" });
  return form("queue", "Queue a withdrawal", "Queue", [label("Strategy", select), label("Shares", amount)], async () => {
    const { keel, wallet, log } = ctx;
    const token = select.value as Address;
    let shares: bigint;
    try {
      shares = parseAmount(amount.value);
    } catch (error) {
      return log.refuse("queue withdrawal", (error as Error).message);
    }
    if (await keel.isPaused("DelegationManager", PAUSED_ENTER_QUEUE)) return log.refuse("queue withdrawal", "queueing withdrawals is paused");
    const have = await keel.read<bigint>("StrategyManager", "stakerDepositShares", [wallet!.account, token]);
    if (shares > have) return log.refuse("queue withdrawal", `shares above your deposit: you have ${tokens(have)}, asked ${tokens(shares)}`);
    const call = { address: contract(keel.config, "DelegationManager"), abi: abis.DelegationManager, functionName: "queueWithdrawal", args: [[token], [shares]] };
    if (await send(keel, wallet!, log, "queue withdrawal", call)) amount.value = "";
  });
}
