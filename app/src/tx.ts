/**
 * Sending a transaction and showing each step: `checking` (a simulated call;
 * a revert there is refused before anything is signed), `signing`,
 * `pending`, then `mined` or `reverted` with the contract's custom error by name.
 */

import { BaseError, type Abi, type Address, type Hash, type TransactionReceipt } from "viem";
import { describeRevert, revertData } from "./abi";
import type { Keel } from "./chain";
import { h } from "./dom";
import type { Wallet } from "./wallet";

/** The states a transaction goes through, as shown on the page (`data-state`); `signed` is a permit's. */
export type TxState = "checking" | "signing" | "signed" | "pending" | "mined" | "reverted" | "refused";

/** One contract call to send. */
export interface Call {
  /** The contract. */
  address: Address;
  /** Its ABI. */
  abi: Abi;
  /** The function. */
  functionName: string;
  /** Its arguments. */
  args: readonly unknown[];
}

/** The page's list of transactions, newest first. */
export class TxLog {
  /** The list element. */
  readonly element = h("ol", { id: "txs", class: "txs", reversed: true });

  /** Adds a line for `label` in `state` with `detail`; returns a setter for later states. */
  line(label: string, state: TxState, detail: string): (state: TxState, detail: string) => void {
    const text = h("span", {}, "");
    const item = h("li", { class: "tx", "data-label": label }, h("b", {}, label), ": ", text);
    this.element.prepend(item);
    const set = (next: TxState, message: string) => {
      item.dataset.state = next;
      text.textContent = `${next}: ${message}`;
    };
    set(state, detail);
    return set;
  }

  /** Shows `message` as a refusal of `label`: nothing was sent. */
  refuse(label: string, message: string): void {
    this.line(label, "refused", `${message} (nothing sent)`);
  }
}

/** A thrown refusal: a reason not to send, shown as such. */
export class Refusal extends Error {}

/**
 * Sends `call` from `wallet` and shows its progress on `log` under `label`;
 * returns the receipt if it was mined, `undefined` if refused or reverted.
 */
export async function send(keel: Keel, wallet: Wallet, log: TxLog, label: string, call: Call): Promise<TransactionReceipt | undefined> {
  const set = log.line(label, "checking", "checking the chain and simulating");
  try {
    await wallet.ensureChain();
  } catch (error) {
    set("refused", `${message(error)} (nothing sent)`);
    return undefined;
  }
  try {
    await keel.client.simulateContract({ ...call, account: wallet.account });
  } catch (error) {
    set("refused", `would revert with ${reason(error)} (nothing sent)`);
    return undefined;
  }
  let hash: Hash;
  try {
    // A fifth above the estimate, as wallets add: the limit is fixed before
    // signing, so a transaction the state turns against is mined and reverts.
    const estimate = await keel.client.estimateContractGas({ ...call, account: wallet.account });
    set("signing", wallet.kind === "dev" ? "the devnet signs for its dev account" : "confirm in your wallet");
    hash = await wallet.client.writeContract({ ...call, account: wallet.account, chain: wallet.client.chain, gas: estimate + estimate / 5n });
  } catch (error) {
    set("refused", `not sent: ${reason(error)}`);
    return undefined;
  }
  set("pending", `transaction ${hash}`);
  const receipt = await keel.client.waitForTransactionReceipt({ hash, pollingInterval: 250 });
  if (receipt.status === "success") {
    set("mined", `block ${receipt.blockNumber}, gas ${receipt.gasUsed}`);
    return receipt;
  }
  set("reverted", `${await replayReason(keel, wallet.account, call, receipt.blockNumber)} (block ${receipt.blockNumber})`);
  return undefined;
}

/**
 * Why a mined transaction reverted: the call replayed on the state before
 * its block or, where the node keeps no history (the devnet), on the latest.
 */
async function replayReason(keel: Keel, account: Address, call: Call, block: bigint): Promise<string> {
  for (const blockNumber of [block - 1n, undefined]) {
    try {
      await keel.client.simulateContract({ ...call, account, blockNumber });
      return "reverted (its replay succeeds: another transaction changed the state first)";
    } catch (error) {
      const data = revertData(error);
      if (data) return describeRevert(data);
    }
  }
  return "reverted (the node gave no reason)";
}

/** A revert as `Name(args)` from a viem error, else its short message. */
function reason(error: unknown): string {
  const data = revertData(error);
  return data ? describeRevert(data) : message(error);
}

/** The first line of an error's message. */
function message(error: unknown): string {
  if (error instanceof BaseError) return error.shortMessage;
  return error instanceof Error ? error.message : String(error);
}
