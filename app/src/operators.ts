/**
 * The Operators page: each operator's delegated stake and slashing factor
 * per strategy, its commission, and its allocations to AVS operator sets
 * with what a delegator could lose per incident and in all (from the AVS
 * registry's exposure views), and a bar of how its stake is split among the AVSs.
 */

import type { Address } from "viem";
import { splitBar, type Part } from "./chart";
import type { Context } from "./context";
import { h, table } from "./dom";
import { allocationKeys } from "./exposure";
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
 * puts at risk, and what the set can slash (the registry's exposure views):
 * the share one incident can take (the largest cap among the set's active
 * conditions the operator accepted, from `largestSlashCap`) and the shares
 * at risk in all and per incident (`slashableStake`).
 */
async function allocations(ctx: Context, operator: Address): Promise<HTMLElement> {
  const { keel } = ctx;
  const read = await Promise.all(
    (await allocationKeys(keel, operator)).map(async ([avs, setId, strategy]) => {
      const [[current, target, at], [max], [, cap], [inAll, perIncident]] = await Promise.all([
        keel.read<[bigint, bigint, bigint]>("AvsRegistry", "allocation", [operator, avs, setId, strategy]),
        keel.read<[bigint, bigint, bigint]>("AvsRegistry", "operatorMagnitudes", [operator, strategy]),
        keel.read<[bigint, bigint]>("AvsRegistry", "largestSlashCap", [operator, avs, setId]),
        keel.read<[bigint, bigint]>("AvsRegistry", "slashableStake", [operator, avs, setId, strategy]),
      ]);
      const share = max > 0n ? (current * WAD) / max : 0n;
      const change = at > 0n && target !== current ? `→ ${percent(max > 0n ? (target * WAD) / max : 0n)}` : "";
      const part: Part & { strategy: Address } = { label: `${short(avs)} set ${setId}`, fraction: Number(share) / 1e18, strategy };
      const row = [short(avs), String(setId), short(strategy), percent(share), percent((share * cap) / WAD), tokens(inAll), tokens(perIncident), change];
      return { part, row };
    }),
  );
  const rows = read.map((r) => r.row);
  const parts = read.map((r) => r.part);
  const head = ["AVS", "set", "strategy", "share of stake", "a delegator can lose per incident", "slashable shares in all", "slashable shares per incident", "pending"];
  const box = h("div", {}, table(head, rows, "No allocations.", undefined, "allocations"));
  for (const strategy of new Set(parts.map((p) => p.strategy))) {
    box.append(h("p", { class: "caption" }, `How ${short(strategy)} stake is allocated`), splitBar(parts.filter((p) => p.strategy === strategy), "not allocated"));
  }
  return box;
}
