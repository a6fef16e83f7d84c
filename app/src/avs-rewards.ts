/**
 * The AVS console's reward payment: the connected account pays an amount of
 * a whitelisted reward token to one operator's pool of a strategy, at once
 * (streamed over the coordinator's minimum of a day) or streamed over whole
 * days from the next hour boundary. An approval is sent first if the
 * coordinator's allowance is short. Bad input is refused before anything is
 * sent: not a reward token, not an operator, a token the operator's pool does
 * not take, an amount above the balance.
 */

import { isAddress, type Address } from "viem";
import { abis } from "./abi";
import { contract } from "./config";
import type { Context } from "./context";
import { h } from "./dom";
import { form, label, textField } from "./forms";
import { parseAmount, short, tokens, wholeNumber } from "./format";
import { send } from "./tx";

/** The coordinator's epoch: stream starts and durations are whole multiples. */
const EPOCH = 3_600n;
/** A day in seconds. */
const DAY = 86_400n;

/** The form; `strategies` are the whitelisted strategy tokens. */
export function rewardsForm(ctx: Context, strategies: { token: Address; symbol: string }[]): HTMLElement {
  const operator = textField("reward-operator", "0x… the operator");
  const strategy = h("select", { id: "reward-strategy" }, ...strategies.map((s) => h("option", { value: s.token }, `${s.symbol} (${short(s.token)})`)));
  const token = textField("reward-token-paid", "0x… a whitelisted reward token");
  const amount = textField("reward-amount", "amount in tokens");
  const days = textField("reward-days", "days to stream over (0: at once)");
  const fields = [label("Operator", operator), label("Strategy", strategy), label("Reward token", token), label("Amount", amount), label("Over (days)", days)];
  return form("submit-rewards", "Pay rewards", "Pay", fields, async () => {
    const what = "submit rewards";
    const { keel, wallet, log } = ctx;
    const refuse = (message: string) => log.refuse(what, message);
    const [pool, paid] = [operator.value.trim(), token.value.trim()];
    if (!isAddress(pool) || !isAddress(paid)) return refuse("the operator and the reward token must be addresses");
    let wei: bigint;
    try {
      wei = parseAmount(amount.value);
    } catch (error) {
      return refuse((error as Error).message);
    }
    if (wei === 0n) return refuse("the amount must be above 0");
    const whole = wholeNumber(days.value.trim() === "" ? "0" : days.value);
    if (whole === undefined || whole > 365n) return refuse(`"${days.value}" is not a whole number of days from 0 to 365`);
    if (!(await keel.read<boolean>("RewardsCoordinator", "isRewardToken", [paid]))) return refuse(`${paid} is not a whitelisted reward token`);
    const [registered] = await keel.read<[boolean, Address]>("DelegationManager", "operatorDetails", [pool]);
    if (!registered) return refuse(`${pool} is not a registered operator`);
    const carried = await keel.read<Address[]>("RewardsCoordinator", "poolRewardTokens", [pool, strategy.value]);
    const takes = carried.some((t) => t.toLowerCase() === paid.toLowerCase()) || (await keel.read<boolean>("RewardsCoordinator", "isRewardTokenAccepted", [pool, paid]));
    if (!takes) return refuse(`the operator's pool does not take ${short(paid)}: the operator must accept it first`);
    const balance = await keel.read<bigint>("TestToken", "balanceOf", [wallet!.account], paid);
    if (wei > balance) return refuse(`amount above your balance: you have ${tokens(balance)}, asked ${tokens(wei)}`);
    const coordinator = contract(keel.config, "RewardsCoordinator");
    const allowance = await keel.read<bigint>("TestToken", "allowance", [wallet!.account, coordinator], paid);
    if (allowance < wei) {
      const approve = { address: paid, abi: abis.TestToken, functionName: "approve", args: [coordinator, wei] };
      if (!(await send(keel, wallet!, log, "approve", approve))) return;
    }
    // A stream starts at an hour boundary after the transaction can be mined.
    const start = whole === 0n ? 0n : ((BigInt(await keel.now()) + 60n + EPOCH - 1n) / EPOCH) * EPOCH;
    const args = [[pool], [wei], strategy.value, paid, start, whole * DAY];
    await send(keel, wallet!, log, what, { address: coordinator, abi: abis.RewardsCoordinator, functionName: "submitRewards", args });
  });
}
