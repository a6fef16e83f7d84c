// Unit tests of the app's pure parts (revert decoding, amounts, countdowns),
// run in node: esbuild bundles them from src/ into a temporary module first.
// Run by `make app-test`.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { encodeErrorResult } from "viem";

const app = dirname(dirname(fileURLToPath(import.meta.url)));
const out = mkdtempSync(join(tmpdir(), "keel-app-unit-"));
await build({
  stdin: { contents: 'export * from "./abi"; export * from "./format"; export { toLines, fromFirstPosition } from "./history";', resolveDir: join(app, "src"), loader: "ts" },
  outfile: join(out, "pure.mjs"),
  bundle: true,
  format: "esm",
  platform: "node",
  logLevel: "warning",
});
const { describeRevert, revertData, parseAmount, countdown, tokens, wholeNumber, toLines, fromFirstPosition } = await import(pathToFileURL(join(out, "pure.mjs")).href);
rmSync(out, { recursive: true, force: true });

const abi = (name) => JSON.parse(readFileSync(join(app, "..", "abi", `${name}.json`), "utf8"));
const staker = "0x00000000000000000000000000000000000000AA";
const operator = "0x00000000000000000000000000000000000000bb";

test("a custom error is named with its arguments", () => {
  const data = encodeErrorResult({ abi: abi("DelegationManager"), errorName: "AlreadyDelegated", args: [staker, operator] });
  assert.equal(describeRevert(data), `AlreadyDelegated(${staker}, ${operator})`);
});

test("CallFailed shows the callee's own error", () => {
  const inner = encodeErrorResult({ abi: abi("StrategyManager"), errorName: "TokenTransferFailed", args: [operator] });
  const outer = encodeErrorResult({ abi: abi("DelegationManager"), errorName: "CallFailed", args: [staker, inner] });
  assert.equal(describeRevert(outer), `CallFailed(${staker}) ← TokenTransferFailed(${operator})`);
});

test("an unknown or empty revert says so", () => {
  assert.equal(describeRevert("0x12345678"), "unknown revert 0x12345678");
  assert.equal(describeRevert("0x"), "reverted without a reason");
});

test("the revert data is found down a chain of causes", () => {
  const data = encodeErrorResult({ abi: abi("DelegationManager"), errorName: "ZeroShares" });
  assert.equal(revertData({ message: "failed", cause: { data: { decoded: true }, cause: { raw: data } } }), data);
  assert.equal(revertData({ message: "no data", cause: { data: "0x" } }), undefined);
});

test("amounts are parsed strictly", () => {
  assert.equal(parseAmount(" 1.5 "), 1_500_000_000_000_000_000n);
  assert.equal(parseAmount("0.000000000000000001"), 1n);
  for (const bad of ["", "abc", "-1", "1e18", "1.", "0x10", "1.0000000000000000001"]) {
    assert.throws(() => parseAmount(bad), /is not an amount/, bad);
  }
  assert.throws(() => parseAmount("0.0"), /above zero/);
});

test("countdowns and token amounts read as people read them", () => {
  assert.equal(countdown(0), "ready");
  assert.equal(countdown(-5), "ready");
  assert.equal(countdown(59), "00:00:59");
  assert.equal(countdown(86_400 + 3_661), "1d 01:01:01");
  assert.equal(tokens(1_999_999_999_999_999_999n), "1.9999");
  assert.equal(tokens(2_000_000_000_000_000_000n), "2");
});

test("set and condition ids are whole numbers that fit a uint64", () => {
  assert.equal(wholeNumber(" 4 "), 4n);
  assert.equal(wholeNumber("18446744073709551615"), 2n ** 64n - 1n);
  for (const bad of ["", "-1", "1.5", "0x1", "18446744073709551616", "1e3"]) assert.equal(wholeNumber(bad), undefined, bad);
});

test("recorded samples become one line per series, a missing series counting as zero", () => {
  const samples = [
    { block: 5, time: 100, values: { "restaked (stETH)": "10000000000000000000" } },
    { block: 9, time: 160, values: { "restaked (stETH)": "9000000000000000000", "queued (stETH)": "500000000000000000" } },
  ];
  assert.deepEqual(toLines(samples), [
    { label: "queued (stETH)", points: [[5, 0], [9, 0.5]] },
    { label: "restaked (stETH)", points: [[5, 10], [9, 9]] },
  ]);
  assert.deepEqual(toLines([]), []);
  const empty = (block) => ({ block, time: block, values: {} });
  assert.deepEqual(fromFirstPosition([empty(1), empty(2), ...samples]).map((s) => s.block), [2, 5, 9]);
  assert.deepEqual(fromFirstPosition([empty(1), empty(2)]).map((s) => s.block), [1, 2]);
});
