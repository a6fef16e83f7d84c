/**
 * What a position can lose, from the AVS registry's exposure views: the
 * operator sets an operator allocated to (from its allocation events), and
 * for a staker delegated to it, the shares each set can slash from the
 * staker in all and in one incident (`stakerSlashableStake`, rounded up by
 * the registry so it never understates the risk).
 */

import type { Address } from "viem";
import type { Context } from "./context";
import type { Keel } from "./chain";
import { table } from "./dom";
import { short, tokens } from "./format";

/** An operator set an operator allocated to, and the strategy allocated. */
export type AllocationKey = [avs: Address, setId: bigint, strategy: Address];

/** Every (AVS, set, strategy) `operator` ever allocated to, once each. */
export async function allocationKeys(keel: Keel, operator: Address): Promise<AllocationKey[]> {
  const updates = await keel.events("AvsRegistry", "AllocationUpdated", { operator });
  const keys = new Map<string, AllocationKey>();
  for (const u of updates) keys.set(`${u.avs}/${u.setId}/${u.strategy}`, [u.avs as Address, u.setId as bigint, u.strategy as Address]);
  return [...keys.values()];
}

/** The table of what `staker` (delegated to `operator`) can lose per operator set; sets that can slash nothing are left out. */
export async function stakerExposure(ctx: Context, staker: Address, operator: Address): Promise<HTMLElement> {
  const { keel } = ctx;
  const rows = await Promise.all(
    (await allocationKeys(keel, operator)).map(async ([avs, setId, strategy]) => {
      const [inAll, perIncident] = await keel.read<[bigint, bigint]>("AvsRegistry", "stakerSlashableStake", [staker, avs, setId, strategy]);
      return { inAll, row: [short(avs), String(setId), short(strategy), tokens(inAll), tokens(perIncident)] };
    }),
  );
  const atRisk = rows.filter((r) => r.inAll > 0n).map((r) => r.row);
  return table(["AVS", "set", "strategy", "your shares it can slash in all", "in one incident"], atRisk, "No operator set can slash this position.", "exposure");
}
