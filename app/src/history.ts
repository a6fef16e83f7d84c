/**
 * A position's value over time: what `keel app` recorded for the account
 * (`/history.json`, one sample per block it saw, each exact for its block)
 * drawn by block number (a devnet's time jumps would squash the rest) as a line per series (restaked, queued, LRT, rewards, per token),
 * with the deposits, slashes, rebases, claims and story chapters marked.
 */

import type { Address } from "viem";
import { formatUnits } from "viem";
import { lineChart, type Line, type Marker } from "./chart";
import { h } from "./dom";

/** One recorded sample: the block, its time and the worth per series (wei, decimal). */
interface Sample {
  block: number;
  time: number;
  values: Record<string, string>;
}

/** What the server recorded for an account. */
interface Recorded {
  samples: Sample[];
  marks: { block: number; time: number; kind: string; text: string }[];
}

/** The chart of `account`'s value over time, or a note saying why there is none. */
export async function valueOverTime(account: Address): Promise<HTMLElement> {
  let recorded: Recorded;
  try {
    const answer = await fetch(`history.json?account=${account}`);
    if (!answer.ok) return h("p", { class: "empty", id: "history" }, "No history here: `keel app` records it while it runs.");
    recorded = (await answer.json()) as Recorded;
  } catch {
    return h("p", { class: "empty", id: "history" }, "No history here: `keel app` records it while it runs.");
  }
  const lines = toLines(fromFirstPosition(recorded.samples));
  if (lines.length === 0) return h("p", { class: "empty", id: "history" }, "Nothing recorded for this account yet.");
  const first = Math.min(...lines.flatMap((l) => l.points.map(([x]) => x)));
  const markers: Marker[] = recorded.marks.filter((m) => m.block >= first).map((m) => ({ x: m.block, kind: m.kind, text: `block ${m.block}: ${m.text}` }));
  const chart = lineChart(lines, markers);
  chart.id = "history";
  chart.dataset.samples = String(recorded.samples.length);
  return chart;
}

/** One line per series that is ever non-zero, by block; a sample without a series counts as zero in it. */
export function toLines(samples: Sample[]): Line[] {
  const names = [...new Set(samples.flatMap((s) => Object.keys(s.values)))].sort();
  return names.map((label) => ({
    label,
    points: samples.map((s): [number, number] => [s.block, Number(formatUnits(BigInt(s.values[label] ?? "0"), 18))]),
  }));
}

/** The samples from the last empty one before the account first held anything (all of them if it never did). */
export function fromFirstPosition(samples: Sample[]): Sample[] {
  const first = samples.findIndex((s) => Object.keys(s.values).length > 0);
  return first < 0 ? samples : samples.slice(Math.max(0, first - 1));
}
