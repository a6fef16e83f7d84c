/** The contracts' ABIs (the repository's generated abi/*.json) and revert decoding. */

import { decodeErrorResult, type Abi, type Hex } from "viem";
import avsRegistry from "../../abi/AvsRegistry.json";
import delegationManager from "../../abi/DelegationManager.json";
import lrtVault from "../../abi/LrtVault.json";
import lrtVaultAdmin from "../../abi/LrtVaultAdmin.json";
import rewardsCoordinator from "../../abi/RewardsCoordinator.json";
import strategyManager from "../../abi/StrategyManager.json";
import testToken from "../../abi/TestToken.json";

/** One `error` entry of an ABI. */
type AbiError = Extract<Abi[number], { type: "error" }>;

/** ABIs by contract name. */
export const abis = {
  AvsRegistry: avsRegistry as Abi,
  DelegationManager: delegationManager as Abi,
  LrtVault: lrtVault as Abi,
  /** The vault's extension: called at the vault's own address. */
  LrtVaultAdmin: lrtVaultAdmin as Abi,
  RewardsCoordinator: rewardsCoordinator as Abi,
  StrategyManager: strategyManager as Abi,
  TestToken: testToken as Abi,
};

/** Every custom error of every contract, once per signature. */
const errors: AbiError[] = (() => {
  const bySignature = new Map<string, AbiError>();
  for (const abi of Object.values(abis)) {
    for (const item of abi) {
      if (item.type !== "error") continue;
      const signature = `${item.name}(${item.inputs.map((input) => input.type).join(",")})`;
      if (!bySignature.has(signature)) bySignature.set(signature, item);
    }
  }
  return [...bySignature.values()];
})();

/** Revert data as `Name(arg, ...)`; a `CallFailed` also shows the callee's reason. */
export function describeRevert(data: Hex): string {
  if (data === "0x") return "reverted without a reason";
  try {
    const decoded = decodeErrorResult({ abi: errors, data });
    const args = (decoded.args ?? []) as readonly unknown[];
    if (decoded.errorName === "CallFailed") {
      return `CallFailed(${String(args[0])}) ← ${describeRevert(args[1] as Hex)}`;
    }
    return `${decoded.errorName}(${args.map(String).join(", ")})`;
  } catch {
    return `unknown revert ${data.slice(0, 10)}`;
  }
}

/** The revert data somewhere in a viem error's chain of causes, if any. */
export function revertData(error: unknown): Hex | undefined {
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && depth < 12; depth++) {
    for (const key of ["raw", "data"]) {
      const value = e[key];
      if (typeof value === "string" && /^0x[0-9a-fA-F]*$/.test(value) && value.length >= 10) return value as Hex;
    }
    e = e.cause as Record<string, unknown> | undefined;
  }
  return undefined;
}
