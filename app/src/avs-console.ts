/**
 * The AVS console: the connected account registers as an AVS, creates an
 * operator set over a strategy, and publishes a slashing condition (its cap,
 * veto window and resolver, where slashed funds go, its description); then
 * slashes, vetoes, executes and retires (`avs-slashing.ts`) and pays rewards
 * (`avs-rewards.ts`).
 * Bad input is refused with a message before anything is sent.
 */

import { isAddress, keccak256, toHex, type Address } from "viem";
import { abis } from "./abi";
import { contract } from "./config";
import type { Context } from "./context";
import { h } from "./dom";
import { form, label, textField } from "./forms";
import { short, wholeNumber } from "./format";
import { rewardsForm } from "./avs-rewards";
import { slashingForms } from "./avs-slashing";
import { send, type Call } from "./tx";

/** The zero address: no resolver; slashed funds burned. */
const NOBODY = "0x0000000000000000000000000000000000000000";
/** 1e18: 100 % as a wad. */
const WAD = 10n ** 18n;

/** Renders the page. */
export async function avsConsole(ctx: Context): Promise<HTMLElement> {
  if (!ctx.wallet) return h("p", { class: "empty" }, "Connect a wallet to act as an AVS.");
  if (!ctx.keel.config.contracts.AvsRegistry) return h("p", { class: "empty" }, "No AVS registry on this deployment.");
  const registered = await ctx.keel.read<boolean>("AvsRegistry", "isAVS", [ctx.wallet.account]);
  const strategies = (await ctx.keel.strategies()).filter((s) => s.whitelisted);
  const uri = h("input", { id: "avs-uri", placeholder: "https://your-avs.example/meta.json", size: 40 });
  const setId = h("input", { id: "set-id", inputmode: "numeric", placeholder: "1", size: 6 });
  const strategy = h("select", { id: "set-strategy" }, ...strategies.map((s) => h("option", { value: s.token }, `${s.symbol} (${short(s.token)})`)));
  return h(
    "section",
    { id: "avs-console" },
    h("h2", {}, "AVS console"),
    h("p", { id: "avs-registered" }, registered ? "This account is a registered AVS." : "This account is not an AVS yet."),
    form("register-avs", "Register as an AVS", "Register", [label("Metadata URI", uri)], async () => {
      if (!uri.value.trim()) return ctx.log.refuse("register AVS", "a metadata URI is required");
      if (await ctx.keel.read<boolean>("AvsRegistry", "isAVS", [ctx.wallet!.account])) return ctx.log.refuse("register AVS", "this account is already an AVS");
      if (await registry(ctx, "register AVS", "registerAVS", [uri.value.trim()])) ctx.refresh();
    }),
    form("create-set", "Create an operator set", "Create", [label("Set id", setId), label("Strategy", strategy)], async () => {
      const id = wholeNumber(setId.value);
      if (id === undefined) return ctx.log.refuse("create set", `"${setId.value}" is not a set id (a whole number)`);
      if (!(await ctx.keel.read<boolean>("AvsRegistry", "isAVS", [ctx.wallet!.account]))) return ctx.log.refuse("create set", "register as an AVS first");
      await registry(ctx, "create set", "createOperatorSet", [id, [strategy.value as Address]]);
    }),
    conditionForm(ctx),
    ...slashingForms(ctx),
    rewardsForm(ctx, strategies),
  );
}

/** Publish a slashing condition for one of the account's sets, the account its slasher. */
function conditionForm(ctx: Context): HTMLElement {
  const set = textField("condition-set", "1");
  const cap = textField("condition-cap", "percent of an allocation per incident, e.g. 5");
  const veto = textField("condition-veto", "hours (0: slashes at once)");
  const resolver = textField("condition-resolver", "0x… (needed with a veto window)");
  const recipient = textField("condition-recipient", "0x… (empty: slashed funds are burned)");
  const description = textField("condition-description", "https://your-avs.example/slashing.md");
  const fields = [label("Set id", set), label("Cap (%)", cap), label("Veto window (h)", veto), label("Resolver", resolver), label("Recipient", recipient), label("Description", description)];
  return form("publish-condition", "Publish a slashing condition", "Publish", fields, async () => {
    const what = "publish condition";
    const refuse = (message: string) => ctx.log.refuse(what, message);
    const setId = wholeNumber(set.value);
    if (setId === undefined) return refuse(`"${set.value}" is not a set id (a whole number)`);
    const capPercent = Number(cap.value);
    if (!/^\d+(\.\d+)?$/.test(cap.value.trim()) || capPercent <= 0 || capPercent > 100) return refuse("the cap must be above 0 and at most 100 %");
    const hours = veto.value.trim() === "" ? 0 : Number(veto.value);
    if (!Number.isFinite(hours) || hours < 0 || !Number.isInteger(hours * 3600)) return refuse(`"${veto.value}" is not a veto window in hours`);
    const resolverAt = resolver.value.trim() || NOBODY;
    const recipientAt = recipient.value.trim() || NOBODY;
    if (!isAddress(resolverAt) || !isAddress(recipientAt)) return refuse("the resolver and the recipient must be addresses");
    if (hours > 0 && resolverAt === NOBODY) return refuse("a veto window needs a resolver who may veto");
    if (!description.value.trim()) return refuse("a description URI is required: operators accept the condition by what it says");
    const wad = (BigInt(Math.round(capPercent * 1e6)) * WAD) / 100_000_000n;
    const uri = description.value.trim();
    const args = [setId, wad, ctx.wallet!.account, BigInt(hours * 3600), resolverAt, recipientAt, uri, keccak256(toHex(uri))];
    await registry(ctx, what, "addSlashingCondition", args);
  });
}

/** Sends `functionName(args)` to the AVS registry under `label`; true if mined. */
async function registry(ctx: Context, label: string, functionName: string, args: readonly unknown[]): Promise<boolean> {
  const call: Call = { address: contract(ctx.keel.config, "AvsRegistry"), abi: abis.AvsRegistry, functionName, args };
  return Boolean(await send(ctx.keel, ctx.wallet!, ctx.log, label, call));
}
