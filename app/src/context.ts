/** What every page needs: the deployment, the connected wallet and the transaction log. */

import type { Keel } from "./chain";
import type { TxLog } from "./tx";
import type { Wallet } from "./wallet";

/** The app's shared state. */
export interface Context {
  /** Reads of the deployment. */
  keel: Keel;
  /** The connected wallet, if any. */
  wallet?: Wallet;
  /** Where transactions show their progress. */
  log: TxLog;
  /** Renders the current page again (after a transaction, or on request). */
  refresh(): void;
  /** Registers `stop` to run when the page is left (timers). */
  onLeave(stop: () => void): void;
}
