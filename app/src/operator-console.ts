/**
 * The operator console: the connected account registers as an operator,
 * sets its commission and its allocation delay, accepts (or refuses) a reward
 * token for its pools, opts in to an AVS's
 * operator set (accepting its slashing conditions) and allocates stake to
 * it. Bad input is refused with a message before anything is sent.
 */

import { isAddress, type Address } from "viem";
import { abis } from "./abi";
import { contract } from "./config";
import type { Context } from "./context";
import { h } from "./dom";
import { form, label, textField } from "./forms";
import { percent, short, wholeNumber } from "./format";
import { send, type Call } from "./tx";

/** 1e18: 100 % as a wad. */
const WAD = 10n ** 18n;

/** Renders the page. */
export async function operatorConsole(ctx: Context): Promise<HTMLElement> {
  if (!ctx.wallet) return h("p", { class: "empty" }, "Connect a wallet to act as an operator.");
  if (!ctx.keel.config.contracts.AvsRegistry) return h("p", { class: "empty" }, "No AVS registry on this deployment.");
  const me = ctx.wallet.account;
  const [registered] = await ctx.keel.read<[boolean, Address]>("DelegationManager", "operatorDetails", [me]);
  const strategies = (await ctx.keel.strategies()).filter((s) => s.whitelisted);
  const stateLine = h("p", { id: "operator-state" }, await operatorState(ctx, me));
  /** Sends `call` under `what`; on success, reads the state line again (the forms stay as typed). */
  const act = async (what: string, call: Call) => {
    if (await send(ctx.keel, ctx.wallet!, ctx.log, what, call)) stateLine.textContent = await operatorState(ctx, me);
  };
  const uri = textField("operator-uri", "https://your-operator.example/meta.json");
  const commission = textField("commission", "percent of rewards, e.g. 10");
  const hours = textField("allocation-delay", "hours before a new allocation is slashable");
  const rewardToken = textField("reward-token", "0x… a whitelisted reward token");
  const acceptance = h("select", { id: "reward-token-accepted" }, h("option", { value: "true" }, "accept"), h("option", { value: "false" }, "refuse"));
  const avs = textField("optin-avs", "0x… the AVS");
  const sets = textField("optin-set", "1");
  const conditions = textField("optin-conditions", "condition ids, e.g. 4 or 4,5");
  const allocAvs = textField("allocate-avs", "0x… the AVS");
  const allocSet = textField("allocate-set", "1");
  const share = textField("allocate-percent", "percent of your stake, e.g. 10");
  const strategy = h("select", { id: "allocate-strategy" }, ...strategies.map((s) => h("option", { value: s.token }, `${s.symbol} (${short(s.token)})`)));
  const mustBeOperator = async (what: string) => {
    const [yes] = await ctx.keel.read<[boolean, Address]>("DelegationManager", "operatorDetails", [me]);
    if (!yes) ctx.log.refuse(what, "register as an operator first");
    return yes;
  };
  return h(
    "section",
    { id: "operator-console" },
    h("h2", {}, "Operator console"),
    stateLine,
    form("register-operator", "Register as an operator", "Register", [label("Metadata URI", uri)], async () => {
      const what = "register operator";
      if (!uri.value.trim()) return ctx.log.refuse(what, "a metadata URI is required");
      if (registered) return ctx.log.refuse(what, "this account is already an operator");
      const operator = await ctx.keel.read<Address>("DelegationManager", "delegatedTo", [me]);
      if (!/^0x0+$/.test(operator)) return ctx.log.refuse(what, `this account is delegated to ${operator}: undelegate first`);
      const call = to(ctx, "DelegationManager", "registerAsOperator", ["0x0000000000000000000000000000000000000000", uri.value.trim()]);
      if (await send(ctx.keel, ctx.wallet!, ctx.log, what, call)) ctx.refresh();
    }),
    form("set-commission", "Commission", "Set", [label("Commission (%)", commission)], async () => {
      const what = "set commission";
      const value = Number(commission.value);
      if (!/^\d+(\.\d{1,2})?$/.test(commission.value.trim()) || value > 100) return ctx.log.refuse(what, "the commission is a percentage from 0 to 100, at most two decimals");
      if (!(await mustBeOperator(what))) return;
      await act(what, to(ctx, "RewardsCoordinator", "setOperatorCommission", [BigInt(Math.round(value * 100))]));
    }),
    form("set-allocation-delay", "Allocation delay", "Set", [label("Delay (h)", hours)], async () => {
      const what = "set allocation delay";
      const seconds = wholeNumber(hours.value);
      if (seconds === undefined) return ctx.log.refuse(what, `"${hours.value}" is not a whole number of hours`);
      if (!(await mustBeOperator(what))) return;
      await act(what, to(ctx, "AvsRegistry", "setAllocationDelay", [seconds * 3600n]));
    }),
    form("accept-reward-token", "Reward tokens", "Set", [label("Token", rewardToken), label("Your pools", acceptance)], async () => {
      const what = "reward token";
      const token = rewardToken.value.trim();
      const accepted = acceptance.value === "true";
      if (!isAddress(token)) return ctx.log.refuse(what, "the token must be an address");
      if (!(await ctx.keel.read<boolean>("RewardsCoordinator", "isRewardToken", [token]))) return ctx.log.refuse(what, `${token} is not a whitelisted reward token`);
      if (!(await mustBeOperator(what))) return;
      if ((await ctx.keel.read<boolean>("RewardsCoordinator", "isRewardTokenAccepted", [me, token])) === accepted) {
        return ctx.log.refuse(what, `your pools already ${accepted ? "accept" : "refuse"} ${short(token)}`);
      }
      await act(what, to(ctx, "RewardsCoordinator", "acceptRewardToken", [token, accepted]));
    }),
    form("opt-in", "Opt in to an operator set", "Opt in", [label("AVS", avs), label("Set id", sets), label("Accept conditions", conditions)], async () => {
      const what = "opt in";
      const setId = wholeNumber(sets.value);
      const ids = conditions.value.split(",").map((c) => wholeNumber(c));
      if (!isAddress(avs.value.trim())) return ctx.log.refuse(what, "the AVS must be an address");
      if (setId === undefined || ids.some((id) => id === undefined)) return ctx.log.refuse(what, "the set and the conditions are whole numbers (conditions comma-separated)");
      if (!(await ctx.keel.read<boolean>("AvsRegistry", "isAVS", [avs.value.trim()]))) return ctx.log.refuse(what, `${avs.value.trim()} is not a registered AVS`);
      if (!(await mustBeOperator(what))) return;
      await act(what, to(ctx, "AvsRegistry", "registerForOperatorSets", [avs.value.trim(), [setId], ids]));
    }),
    form("allocate", "Allocate stake", "Allocate", [label("AVS", allocAvs), label("Set id", allocSet), label("Strategy", strategy), label("Share (%)", share)], async () => {
      const what = "allocate";
      const setId = wholeNumber(allocSet.value);
      const value = Number(share.value);
      if (!isAddress(allocAvs.value.trim())) return ctx.log.refuse(what, "the AVS must be an address");
      if (setId === undefined) return ctx.log.refuse(what, `"${allocSet.value}" is not a set id (a whole number)`);
      if (!/^\d+(\.\d+)?$/.test(share.value.trim()) || value > 100) return ctx.log.refuse(what, "the share is a percentage from 0 to 100");
      if (!(await mustBeOperator(what))) return;
      const wad = (BigInt(Math.round(value * 1e6)) * WAD) / 100_000_000n;
      const [, , free] = await ctx.keel.read<[bigint, bigint, bigint]>("AvsRegistry", "operatorMagnitudes", [me, strategy.value]);
      const [current] = await ctx.keel.read<[bigint, bigint, bigint]>("AvsRegistry", "allocation", [me, allocAvs.value.trim(), setId, strategy.value]);
      if (wad > current + free) return ctx.log.refuse(what, `only ${percent(current + free)} of your stake is free for this set`);
      await act(what, to(ctx, "AvsRegistry", "modifyAllocations", [allocAvs.value.trim(), setId, [strategy.value], [wad]]));
    }),
  );
}

/** The account's operator state: commission and allocation delay, each with any change still to come. */
async function operatorState(ctx: Context, me: Address): Promise<string> {
  const [registered] = await ctx.keel.read<[boolean, Address]>("DelegationManager", "operatorDetails", [me]);
  if (!registered) return "This account is not an operator yet.";
  const [now, latest, from] = await ctx.keel.read<[bigint, bigint, bigint]>("RewardsCoordinator", "operatorCommission", [me]);
  const [delaySet, delay] = await ctx.keel.read<[boolean, bigint]>("AvsRegistry", "allocationDelay", [me]);
  const [next, nextFrom] = await ctx.keel.read<[bigint, bigint]>("AvsRegistry", "pendingAllocationDelay", [me]);
  const time = (at: bigint) => new Date(Number(at) * 1000).toISOString().slice(0, 16).replace("T", " ");
  const chainNow = BigInt(await ctx.keel.now());
  const commission = `commission ${Number(now) / 100} %${latest !== now && from > chainNow ? ` (${Number(latest) / 100} % from ${time(from)})` : ""}`;
  const pending = nextFrom > chainNow ? ` (${Number(next) / 3600} h from ${time(nextFrom)})` : "";
  return `This account is an operator: ${commission}, allocation delay ${delaySet ? `${Number(delay) / 3600} h` : "not set"}${pending}.`;
}

/** A call of `functionName(args)` on contract `name`. */
function to(ctx: Context, name: "DelegationManager" | "RewardsCoordinator" | "AvsRegistry", functionName: string, args: readonly unknown[]): Call {
  return { address: contract(ctx.keel.config, name), abi: abis[name], functionName, args };
}
