/** Amounts and times as people read them, and amounts as people type them. */

import { formatUnits, parseUnits, type Address } from "viem";

/** `wei` as tokens of 18 decimals, at most `places` decimals (rounded down). */
export function tokens(wei: bigint, places = 4): string {
  const [whole, fraction = ""] = formatUnits(wei, 18).split(".");
  const cut = fraction.slice(0, places).replace(/0+$/, "");
  return cut ? `${whole}.${cut}` : whole;
}

/** A wad (1e18 = 100 %) as a percentage. */
export function percent(wad: bigint): string {
  return `${tokens(wad * 100n, 2)} %`;
}

/** `0x1234…abcd`. */
export function short(address: Address | string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** Seconds as `3d 04:05:06`, or `ready` at zero or below. */
export function countdown(seconds: number): string {
  if (seconds <= 0) return "ready";
  const days = Math.floor(seconds / 86_400);
  const rest = new Date((seconds % 86_400) * 1000).toISOString().slice(11, 19);
  return days > 0 ? `${days}d ${rest}` : rest;
}

/** A typed amount in wei, or an error saying what is wrong with it. */
export function parseAmount(text: string): bigint {
  const trimmed = text.trim();
  if (!/^\d+(\.\d{1,18})?$/.test(trimmed)) throw new Error(`"${text}" is not an amount (digits, at most 18 decimals)`);
  const wei = parseUnits(trimmed, 18);
  if (wei === 0n) throw new Error("the amount must be above zero");
  return wei;
}

/** `text` as a whole number below 2^64 (a set or condition id), or `undefined`. */
export function wholeNumber(text: string): bigint | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,20}$/.test(trimmed)) return undefined;
  const value = BigInt(trimmed);
  return value < 2n ** 64n ? value : undefined;
}
