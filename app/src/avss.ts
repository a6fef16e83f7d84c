/**
 * The AVSs page: each AVS's operator sets, its published slashing
 * conditions (cap, veto window, resolver, recipient, description), its
 * slash history and its slash requests (vetoed, executed, or pending with
 * their veto deadline), all from the registry's events.
 */

import type { Address, Hex } from "viem";
import type { Context } from "./context";
import { h, table } from "./dom";
import { percent, short } from "./format";

/** The zero address: no resolver, no recipient (funds burned). */
const NOBODY = "0x0000000000000000000000000000000000000000";

/** Renders the page. */
export async function avss(ctx: Context): Promise<HTMLElement> {
  const { keel } = ctx;
  if (!keel.config.contracts.AvsRegistry) return h("p", { class: "empty" }, "No AVS registry on this deployment.");
  const [registered, sets, conditions, descriptions, retired, slashes, requests, vetoes, now] = await Promise.all([
    keel.events("AvsRegistry", "AVSRegistered"),
    keel.events("AvsRegistry", "OperatorSetCreated"),
    keel.events("AvsRegistry", "SlashingConditionAdded"),
    keel.events("AvsRegistry", "SlashingConditionDescription"),
    keel.events("AvsRegistry", "SlashingConditionRetired"),
    keel.events("AvsRegistry", "OperatorSlashed"),
    keel.events("AvsRegistry", "SlashRequested"),
    keel.events("AvsRegistry", "SlashVetoed"),
    keel.now(),
  ]);
  const description = (id: unknown) => descriptions.filter((d) => d.conditionId === id).map((d) => String(d.descriptionURI)).pop() ?? "";
  const isRetired = (id: unknown) => retired.some((r) => r.conditionId === id);
  const conditionAvs = (id: unknown) => conditions.find((c) => c.conditionId === id)?.avs;
  const articles = registered.map((event) => {
    const avs = event.avs as Address;
    const own = conditions.filter((c) => c.avs === avs);
    const conditionRows = own.map((c) => [
      String(c.conditionId),
      String(c.setId),
      percent(c.maxSlashWad as bigint),
      c.vetoWindow === 0n ? "none" : `${Number(c.vetoWindow) / 3600} h`,
      c.resolver === NOBODY ? "–" : short(c.resolver as Address),
      c.redistributionRecipient === NOBODY ? "burned" : short(c.redistributionRecipient as Address),
      description(c.conditionId),
      isRetired(c.conditionId) ? "retired" : "active",
    ]);
    const slashRows = slashes
      .filter((s) => conditionAvs(s.conditionId) === avs)
      .map((s) => [String(s.slashId), short(s.operator as Address), String(s.conditionId), h("code", { title: String(s.evidenceHash) }, short(s.evidenceHash as Hex))]);
    const requestRows = requests
      .filter((r) => conditionAvs(r.conditionId) === avs)
      .map((r) => [String(r.slashId), short(r.operator as Address), String(r.conditionId), requestStatus(r, vetoes, slashes, now)]);
    const setIds = sets.filter((s) => s.avs === avs).map((s) => String(s.setId));
    return h(
      "article",
      { class: "avs card", "data-avs": avs },
      h("h3", {}, h("code", {}, avs)),
      h("p", {}, `Operator sets: ${setIds.join(", ") || "none"}`),
      h("h4", {}, "Slashing conditions"),
      table(["id", "set", "cap", "veto window", "resolver", "slashed funds", "description", ""], conditionRows, "No conditions published."),
      h("h4", {}, "Slashes"),
      table(["slash", "operator", "condition", "evidence"], slashRows, "Never slashed.", undefined, "slashes"),
      h("h4", {}, "Slash requests (veto windows)"),
      table(["request", "operator", "condition", "status"], requestRows, "No requests.", undefined, "requests"),
    );
  });
  return h("section", { id: "avss" }, h("h2", {}, "AVSs"), ...(articles.length ? articles : [h("p", { class: "empty" }, "No AVSs yet.")]));
}

/** A slash request's status: vetoed, executed, still vetoable (until when) or executable. */
function requestStatus(request: Record<string, unknown>, vetoes: Record<string, unknown>[], slashes: Record<string, unknown>[], now: number): string {
  if (vetoes.some((v) => v.slashId === request.slashId)) return "vetoed";
  if (slashes.some((s) => s.slashId === request.slashId)) return "executed";
  const at = Number(request.executableAt);
  return at > now ? `pending: veto until ${new Date(at * 1000).toISOString()}` : "pending: executable";
}
