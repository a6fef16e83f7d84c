/**
 * The Operators page: each operator's delegated stake and slashing factor
 * per strategy, its commission, and its allocations to AVS operator sets
 * with what a delegator could lose: per incident (the set's largest
 * published cap times the share of stake allocated) and at most in all,
 * and a bar of how its stake is split among the AVSs.
 */

import type { Address } from "viem";
import { splitBar, type Part } from "./chart";
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
          const share = magnitudes && magnitudes[0] > 0n ? percent((magnitudes[1] * WAD) / magnitudes[0]) : "–";
          return [s.symbol, tokens(delegated), percent(factor), share];
        }),
      );
      return h(
        "article",
        { class: "operator card", "data-operator": operator },
        h("h3", {}, h("code", {}, operator)),
        h("p", {}, `Commission ${Number(bps) / 100} %`),
        table(["strategy", "delegated shares", "slashing factor", "at risk in all (allocated / stake)"], stake, "No strategies."),
        hasRegistry ? await allocations(ctx, operator) : "",
      );
    }),
  );
  return h("section", { id: "operators" }, h("h2", {}, "Operators"), ...(sections.length ? sections : [h("p", { class: "empty" }, "No operators yet.")]));
}

/** 1e18: 100 % as a wad. */
const WAD = 10n ** 18n;

/**
 * The operator's allocations per (AVS, set, strategy), from its allocation
 * events and the live views, each with the share of the operator's stake it
 * puts at risk and the most one incident under the set's active conditions
 * could take from a delegator.
 */
async function allocations(ctx: Context, operator: Address): Promise<HTMLElement> {
  const { keel } = ctx;
  const [updates, conditions, retired] = await Promise.all([
    keel.events("AvsRegistry", "AllocationUpdated", { operator }),
    keel.events("AvsRegistry", "SlashingConditionAdded"),
    keel.events("AvsRegistry", "SlashingConditionRetired"),
  ]);
  const keys = new Map<string, [Address, bigint, Address]>();
  for (const u of updates) keys.set(`${u.avs}/${u.setId}/${u.strategy}`, [u.avs as Address, u.setId as bigint, u.strategy as Address]);
  const cap = (avs: Address, setId: bigint) =>
    conditions
      .filter((c) => c.avs === avs && c.setId === setId && !retired.some((r) => r.conditionId === c.conditionId))
      .reduce((most, c) => ((c.maxSlashWad as bigint) > most ? (c.maxSlashWad as bigint) : most), 0n);
  const read = await Promise.all(
    [...keys.values()].map(async ([avs, setId, strategy]) => {
      const [current, target, at] = await keel.read<[bigint, bigint, bigint]>("AvsRegistry", "allocation", [operator, avs, setId, strategy]);
      const [max] = await keel.read<[bigint, bigint, bigint]>("AvsRegistry", "operatorMagnitudes", [operator, strategy]);
      const share = max > 0n ? (current * WAD) / max : 0n;
      const change = at > 0n && target !== current ? `→ ${percent(max > 0n ? (target * WAD) / max : 0n)}` : "";
      const part: Part & { strategy: Address } = { label: `${short(avs)} set ${setId}`, fraction: Number(share) / 1e18, strategy };
      return { part, row: [short(avs), String(setId), short(strategy), percent(share), percent((share * cap(avs, setId)) / WAD), change] };
    }),
  );
  const rows = read.map((r) => r.row);
  const parts = read.map((r) => r.part);
  const box = h("div", {}, table(["AVS", "set", "strategy", "share of stake", "a delegator can lose per incident", "pending"], rows, "No allocations.", undefined, "allocations"));
  for (const strategy of new Set(parts.map((p) => p.strategy))) {
    box.append(h("p", { class: "caption" }, `How ${short(strategy)} stake is allocated`), splitBar(parts.filter((p) => p.strategy === strategy), "not allocated"));
  }
  return box;
}
