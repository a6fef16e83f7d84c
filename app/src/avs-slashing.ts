/**
 * The slashing half of the AVS console: slash an operator under one of the
 * account's conditions (a request, when the condition has a veto window),
 * veto a request as its resolver, execute a request once its window has
 * passed, retire a condition. Each is checked against the registry's views
 * first, and refused with a message before anything is sent.
 */

import { isAddress, keccak256, toHex, type Address, type Hex } from "viem";
import { abis } from "./abi";
import { contract } from "./config";
import type { Context } from "./context";
import { h } from "./dom";
import { form, label, textField } from "./forms";
import { percent, wholeNumber } from "./format";
import { send } from "./tx";

/** 1e18: 100 % as a wad. */
const WAD = 10n ** 18n;
/** `slashRequest`'s status of a request still pending. */
const PENDING = 1;

/** A condition as `slashingCondition` reads it. */
type Condition = [Address, bigint, bigint, bigint, Address, Address, boolean];
/** A request as `slashRequest` reads it: operator, condition, status, requested at, evidence, executable at. */
type Request = [Address, bigint, number, bigint, Hex, bigint];

/** The forms, in the order a slash goes through them. */
export function slashingForms(ctx: Context): HTMLElement[] {
  return [slashForm(ctx), requestForm(ctx, "veto"), requestForm(ctx, "execute"), retireForm(ctx)];
}

/** Slash (or request a slash of) an operator under one of the account's conditions. */
function slashForm(ctx: Context): HTMLElement {
  const operator = textField("slash-operator", "0x… the operator");
  const condition = h("input", { id: "slash-condition", placeholder: "condition id", size: 8 });
  const share = h("input", { id: "slash-percent", placeholder: "percent of its allocation", size: 12 });
  const evidence = textField("slash-evidence", "what happened (hashed as evidence)");
  const fields = [label("Operator", operator), label("Condition", condition), label("Slash (%)", share), label("Evidence", evidence)];
  return form("slash", "Slash an operator", "Slash", fields, async () => {
    const { keel, log } = ctx;
    const id = wholeNumber(condition.value);
    const value = Number(share.value);
    if (!isAddress(operator.value.trim())) return log.refuse("slash", "the operator must be an address");
    if (id === undefined) return log.refuse("slash", `"${condition.value}" is not a condition id`);
    if (!/^\d+(\.\d+)?$/.test(share.value.trim()) || value <= 0) return log.refuse("slash", "the slash is a percentage above 0");
    if (!evidence.value.trim()) return log.refuse("slash", "describe the evidence: its hash is recorded and may be used once");
    const [avs, setId, cap, vetoWindow, , , retired] = await keel.read<Condition>("AvsRegistry", "slashingCondition", [id]);
    if (/^0x0+$/.test(avs)) return log.refuse("slash", `condition ${id} does not exist`);
    if (retired) return log.refuse("slash", `condition ${id} is retired`);
    const [slasher] = await keel.read<[Address]>("AvsRegistry", "conditionDetails", [id]);
    if (slasher !== ctx.wallet!.account) return log.refuse("slash", `only condition ${id}'s slasher ${slasher} may slash under it`);
    const wad = (BigInt(Math.round(value * 1e6)) * WAD) / 100_000_000n;
    if (wad > cap) return log.refuse("slash", `${value} % is above the condition's cap of ${percent(cap)}`);
    const strategies = [...(await keel.read<Address[]>("AvsRegistry", "operatorSetStrategies", [avs, setId]))].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    const what = vetoWindow > 0n ? "request slash" : "slash";
    const args = [operator.value.trim(), id, strategies, strategies.map(() => wad), keccak256(toHex(evidence.value.trim()))];
    await send(keel, ctx.wallet!, log, what, { address: contract(keel.config, "AvsRegistry"), abi: abis.AvsRegistry, functionName: vetoWindow > 0n ? "requestSlash" : "slash", args });
  });
}

/** Veto (as the condition's resolver, inside the window) or execute (after it) slash request `id`. */
function requestForm(ctx: Context, action: "veto" | "execute"): HTMLElement {
  const input = h("input", { id: `${action}-request`, placeholder: "request id", size: 8 });
  const title = action === "veto" ? "Veto a slash request (resolver)" : "Execute a slash request";
  return form(`${action}-slash`, title, action === "veto" ? "Veto" : "Execute", [label("Request", input)], async () => {
    const { keel, log } = ctx;
    const what = `${action} slash`;
    const id = wholeNumber(input.value);
    if (id === undefined) return log.refuse(what, `"${input.value}" is not a request id`);
    const [, condition, status, , , executableAt] = await keel.read<Request>("AvsRegistry", "slashRequest", [id]);
    if (Number(status) !== PENDING) return log.refuse(what, `request ${id} is ${["unknown", "pending", "vetoed", "executed"][Number(status)] ?? "not pending"}`);
    const now = BigInt(await keel.now());
    const until = new Date(Number(executableAt) * 1000).toISOString();
    const call = { address: contract(keel.config, "AvsRegistry"), abi: abis.AvsRegistry };
    if (action === "veto") {
      const [, , , , resolver] = await keel.read<Condition>("AvsRegistry", "slashingCondition", [condition]);
      if (resolver !== ctx.wallet!.account) return log.refuse(what, `only the condition's resolver ${resolver} may veto`);
      if (now >= executableAt) return log.refuse(what, `the veto window closed at ${until}`);
      return void (await send(keel, ctx.wallet!, log, what, { ...call, functionName: "vetoSlash", args: [id] }));
    }
    if (now < executableAt) return log.refuse(what, `the veto window is open until ${until}`);
    const entries = await keel.events("AvsRegistry", "SlashRequestEntry", { slashId: id });
    const args = [id, entries.map((e) => e.strategy as Address), entries.map((e) => e.wad as bigint)];
    await send(keel, ctx.wallet!, log, what, { ...call, functionName: "executeSlash", args });
  });
}

/** Retire one of the account's conditions: no new slashes or requests under it. */
function retireForm(ctx: Context): HTMLElement {
  const input = h("input", { id: "retire-condition", placeholder: "condition id", size: 8 });
  return form("retire", "Retire a condition", "Retire", [label("Condition", input)], async () => {
    const { keel, log } = ctx;
    const id = wholeNumber(input.value);
    if (id === undefined) return log.refuse("retire condition", `"${input.value}" is not a condition id`);
    const [avs, , , , , , retired] = await keel.read<Condition>("AvsRegistry", "slashingCondition", [id]);
    if (avs !== ctx.wallet!.account) return log.refuse("retire condition", `condition ${id} is not this AVS's`);
    if (retired) return log.refuse("retire condition", `condition ${id} is already retired`);
    await send(keel, ctx.wallet!, log, "retire condition", { address: contract(keel.config, "AvsRegistry"), abi: abis.AvsRegistry, functionName: "retireSlashingCondition", args: [id] });
  });
}
