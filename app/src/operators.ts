/**
 * The Operators page: each operator's delegated stake and slashing factor
 * per strategy, its commission, and its allocations to AVS operator sets.
 */

import type { Address } from "viem";
import type { Context } from "./context";
import { h, table } from "./dom";
import { percent, short, tokens } from "./format";

/** Renders the page. */
export async function operators(ctx: Context): Promise<HTMLElement> {
  const { keel } = ctx;
  const strategies = await keel.strategies();
  const list = await keel.operators();
  const hasRegistry = Boolean(keel.config.contracts.AvsRegistry);
  const sections = await Promise.all(
    list.map(async (operator) => {
      const [bps] = await keel.read<[bigint, bigint, bigint]>("RewardsCoordinator", "operatorCommission", [operator]).catch(() => [0n]);
      const stake = await Promise.all(
        strategies.map(async (s) => {
          const [delegated, factor] = await keel.read<[bigint, bigint]>("DelegationManager", "operatorStake", [operator, s.token]);
          const magnitudes = hasRegistry
            ? await keel.read<[bigint, bigint, bigint]>("AvsRegistry", "operatorMagnitudes", [operator, s.token])
            : undefined;
          return [s.symbol, tokens(delegated), percent(factor), magnitudes ? percent(magnitudes[1]) : "–"];
        }),
      );
      return h(
        "article",
        { class: "operator card", "data-operator": operator },
        h("h3", {}, h("code", {}, operator)),
        h("p", {}, `Commission ${Number(bps) / 100} %`),
        table(["strategy", "delegated shares", "slashing factor", "allocated to AVSs"], stake, "No strategies."),
        hasRegistry ? await allocations(ctx, operator) : "",
      );
    }),
  );
  return h("section", { id: "operators" }, h("h2", {}, "Operators"), ...(sections.length ? sections : [h("p", { class: "empty" }, "No operators yet.")]));
}

/** The operator's allocations per (AVS, set, strategy), from its allocation events and the live view. */
async function allocations(ctx: Context, operator: Address): Promise<HTMLElement> {
  const { keel } = ctx;
  const updates = await keel.events("AvsRegistry", "AllocationUpdated", { operator });
  const keys = new Map<string, [Address, bigint, Address]>();
  for (const u of updates) keys.set(`${u.avs}/${u.setId}/${u.strategy}`, [u.avs as Address, u.setId as bigint, u.strategy as Address]);
  const rows = await Promise.all(
    [...keys.values()].map(async ([avs, setId, strategy]) => {
      const [current, target, at] = await keel.read<[bigint, bigint, bigint]>("AvsRegistry", "allocation", [operator, avs, setId, strategy]);
      const change = at > 0n && target !== current ? `→ ${percent(target)}` : "";
      return [short(avs), String(setId), short(strategy), percent(current), change];
    }),
  );
  return table(["AVS", "set", "strategy", "allocated", "pending"], rows, "No allocations.");
}
