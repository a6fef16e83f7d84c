/** Reads of the protocol from views and events (no indexer). */

import { createPublicClient, http, type Abi, type Address, type Hex, type PublicClient } from "viem";
import { abis } from "./abi";
import { chainOf, contract, type AppConfig } from "./config";

/** A read-only view of one Keel deployment. */
export class Keel {
  /** The node's client. */
  readonly client: PublicClient;

  /** Reads the deployment described by `config`. */
  constructor(readonly config: AppConfig) {
    this.client = createPublicClient({ chain: chainOf(config), transport: http(config.rpcUrl) });
  }

  /** Calls view `functionName` of contract `name` (or of a token at `at`). */
  async read<T>(name: keyof typeof abis, functionName: string, args: readonly unknown[] = [], at?: Address): Promise<T> {
    const address = at ?? contract(this.config, name);
    return (await this.client.readContract({ address, abi: abis[name] as Abi, functionName, args })) as T;
  }

  /** The decoded `eventName` logs of contract `name`, filtered on indexed `args`. */
  async events(name: keyof typeof abis, eventName: string, args?: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const logs = await this.client.getContractEvents({
      address: contract(this.config, name),
      abi: abis[name] as Abi,
      eventName,
      args,
      fromBlock: 0n,
    });
    return logs.map((log) => (log as unknown as { args: Record<string, unknown> }).args);
  }

  /** Whether contract `name` has pause flag `flag` set (its `paused()` bitmap). */
  async isPaused(name: keyof typeof abis, flag: number): Promise<boolean> {
    const bits = await this.read<bigint>(name, "paused");
    return (bits & (1n << BigInt(flag))) !== 0n;
  }

  /** The chain's time: the latest block's timestamp (seconds). */
  async now(): Promise<number> {
    return Number((await this.client.getBlock()).timestamp);
  }

  /** Every strategy ever added, with its token's symbol and whether it takes deposits. */
  async strategies(): Promise<Strategy[]> {
    const tokens = [...new Set((await this.events("StrategyManager", "StrategyAdded")).map((e) => e.token as Address))];
    return Promise.all(
      tokens.map(async (token) => {
        const info = await this.read<[boolean, boolean, bigint, bigint]>("StrategyManager", "strategyInfo", [token]);
        const symbol = await this.read<string>("TestToken", "symbol", [], token).catch(() => "?");
        return { token, symbol, whitelisted: info[1] };
      }),
    );
  }

  /** Every registered operator. */
  async operators(): Promise<Address[]> {
    return [...new Set((await this.events("DelegationManager", "OperatorRegistered")).map((e) => e.operator as Address))];
  }

  /** `account`'s queued withdrawals that are still pending. */
  async pendingWithdrawals(account: Address): Promise<Withdrawal[]> {
    const queued = await this.events("DelegationManager", "WithdrawalQueued", { staker: account });
    const out: Withdrawal[] = [];
    for (const event of queued) {
      const root = event.root as Hex;
      const [, operator, completableAt, pending, count] = await this.read<[Address, Address, bigint, boolean, bigint]>(
        "DelegationManager",
        "queuedWithdrawal",
        [root],
      );
      if (!pending) continue;
      const entries = [];
      for (let i = 0n; i < count; i++) {
        const [token, , shares] = await this.read<[Address, bigint, bigint]>("DelegationManager", "queuedWithdrawalEntry", [root, i]);
        entries.push({ token, shares });
      }
      out.push({ root, operator, completableAt: Number(completableAt), entries });
    }
    return out;
  }
}

/** A strategy: one token. */
export interface Strategy {
  /** Its token. */
  token: Address;
  /** The token's symbol. */
  symbol: string;
  /** Whether it accepts deposits. */
  whitelisted: boolean;
}

/** A pending queued withdrawal. */
export interface Withdrawal {
  /** Its root (what completes it). */
  root: Hex;
  /** The operator the shares were delegated to when queued. */
  operator: Address;
  /** The chain time from which it completes (seconds). */
  completableAt: number;
  /** Per token: the shares it would pay now. */
  entries: { token: Address; shares: bigint }[];
}
