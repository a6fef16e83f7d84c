/** What `keel app` serves at `config.json`: the node and the deployment. */

import { defineChain, getAddress, type Address, type Chain } from "viem";

/** The app's view of one Keel deployment. */
export interface AppConfig {
  /** The JSON-RPC node the app reads from (and, with the dev wallet, sends to). */
  rpcUrl: string;
  /** The chain's id. */
  chainId: number;
  /** Contract addresses by name, from `deployments/<chainId>.json`. */
  contracts: Record<string, Address>;
  /** Accounts the node signs for (devnet only): the built-in dev wallet's choices. */
  devAccounts: Address[];
  /** The dev account the page starts with. */
  defaultDevAccount?: Address;
}

/** Loads and checks `config.json` next to the page. */
export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch("config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const raw = (await response.json()) as AppConfig;
  if (typeof raw.rpcUrl !== "string" || !Number.isInteger(raw.chainId)) {
    throw new Error("config.json: rpcUrl and chainId are required");
  }
  const contracts: Record<string, Address> = {};
  for (const [name, at] of Object.entries(raw.contracts ?? {})) contracts[name] = getAddress(at);
  const devAccounts = (raw.devAccounts ?? []).map((a) => getAddress(a));
  return { ...raw, contracts, devAccounts };
}

/** The contract `name`'s address, or an error naming what is missing. */
export function contract(config: AppConfig, name: string): Address {
  const at = config.contracts[name];
  if (!at) throw new Error(`${name} is not in the deployment record`);
  return at;
}

/** The chain as viem (and a wallet adding it) describes it. */
export function chainOf(config: AppConfig): Chain {
  return defineChain({
    id: config.chainId,
    name: config.chainId === 412346 ? "Keel devnet" : `Keel chain ${config.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
}
