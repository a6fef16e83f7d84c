/**
 * Deposits with an EIP-2612 permit: one signature stands in for the approval
 * transaction when the token's EIP-712 domain is the standard one
 * (name, version "1", chain, token) and the wallet can sign typed data.
 */

import { domainSeparator, parseSignature, type Address, type TypedDataDomain } from "viem";
import { abis } from "./abi";
import { contract } from "./config";
import type { Context } from "./context";
import type { Call } from "./tx";

/** How long a permit stays valid: an hour of chain time. */
const PERMIT_LIFETIME = 3_600n;

/** The EIP-2612 permit's typed-data fields. */
const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/**
 * The deposit of `amount` of `token` as one call carrying a permit the wallet
 * signs (shown as `permit` on the log), or `undefined` when the token has no
 * standard permit domain or the wallet would not sign: then approve instead.
 */
export async function permitDeposit(ctx: Context, token: Address, amount: bigint): Promise<Call | undefined> {
  const { keel, wallet, log } = ctx;
  const owner = wallet!.account;
  const spender = contract(keel.config, "StrategyManager");
  let domain: TypedDataDomain;
  try {
    const name = await keel.read<string>("TestToken", "name", [], token);
    domain = { name, version: "1", chainId: keel.config.chainId, verifyingContract: token };
    const onChain = await keel.read<string>("TestToken", "DOMAIN_SEPARATOR", [], token);
    if (domainSeparator({ domain }) !== onChain) return undefined;
  } catch {
    return undefined;
  }
  const nonce = await keel.read<bigint>("TestToken", "nonces", [owner], token);
  const deadline = BigInt(await keel.now()) + PERMIT_LIFETIME;
  const set = log.line("permit", "signing", "sign the permit in your wallet (no transaction)");
  try {
    const signature = await wallet!.client.signTypedData({
      account: owner,
      domain,
      types: PERMIT_TYPES,
      primaryType: "Permit",
      message: { owner, spender, value: amount, nonce, deadline },
    });
    const { r, s, v, yParity } = parseSignature(signature);
    set("signed", "the deposit carries it, no approval needed");
    return { address: spender, abi: abis.StrategyManager, functionName: "depositIntoStrategyWithPermit", args: [token, amount, deadline, Number(v ?? 27n + BigInt(yParity)), r, s] };
  } catch {
    set("refused", "not signed: approving instead");
    return undefined;
  }
}
