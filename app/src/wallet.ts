/**
 * Wallets: the built-in dev wallet (the devnet signs for its unlocked dev
 * accounts through `eth_sendTransaction`) and any EIP-1193 wallet injected
 * into the page (MetaMask and the like), moved onto Keel's chain if needed.
 */

import { createWalletClient, custom, http, numberToHex, type Address, type EIP1193Provider, type WalletClient } from "viem";
import { chainOf, type AppConfig } from "./config";

/** A connected wallet: who signs and how. */
export interface Wallet {
  /** `dev` (the node signs) or `injected` (the browser's wallet). */
  kind: "dev" | "injected";
  /** The connected account. */
  account: Address;
  /** Sends transactions as `account`. */
  client: WalletClient;
  /** Resolves once the wallet is on Keel's chain; throws (a refusal) if it cannot be. */
  ensureChain(): Promise<void>;
}

/** The injected EIP-1193 provider, if the browser has one. */
export function injectedProvider(): EIP1193Provider | undefined {
  return (window as unknown as { ethereum?: EIP1193Provider }).ethereum;
}

/** The dev wallet as `account`, one of the node's unlocked dev accounts. */
export function devWallet(config: AppConfig, account: Address): Wallet {
  const chain = chainOf(config);
  const client = createWalletClient({ account, chain, transport: http(config.rpcUrl) });
  return { kind: "dev", account, client, ensureChain: async () => undefined };
}

/** Connects the injected wallet: asks for its account. */
export async function injectedWallet(config: AppConfig): Promise<Wallet> {
  const provider = injectedProvider();
  if (!provider) throw new Error("no browser wallet found: install one, or use the dev wallet on a devnet");
  const [account] = (await provider.request({ method: "eth_requestAccounts" })) as Address[];
  if (!account) throw new Error("the wallet shared no account");
  const chain = chainOf(config);
  const client = createWalletClient({ account, chain, transport: custom(provider) });
  return { kind: "injected", account, client, ensureChain: () => switchChain(provider, config) };
}

/** Moves the wallet onto Keel's chain (adding it first if the wallet does not know it). */
async function switchChain(provider: EIP1193Provider, config: AppConfig): Promise<void> {
  const wanted = numberToHex(config.chainId);
  const current = Number(await provider.request({ method: "eth_chainId" }));
  if (current === config.chainId) return;
  try {
    await provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: wanted }] });
  } catch (error) {
    if ((error as { code?: number }).code !== 4902) {
      throw new Error(`wrong chain: the wallet is on chain ${current}, Keel is on ${config.chainId}`);
    }
    const chain = chainOf(config);
    await provider.request({
      method: "wallet_addEthereumChain",
      params: [{ chainId: wanted, chainName: chain.name, nativeCurrency: chain.nativeCurrency, rpcUrls: [config.rpcUrl] }],
    });
  }
  const now = Number(await provider.request({ method: "eth_chainId" }));
  if (now !== config.chainId) throw new Error(`wrong chain: the wallet is on chain ${now}, Keel is on ${config.chainId}`);
}
