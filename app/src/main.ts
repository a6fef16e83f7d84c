/** The Keel app: a wallet bar, the pages (Positions, Stake, Operators, AVSs, the operator and AVS consoles) and the transaction log. */

import type { Address } from "viem";
import { avsConsole } from "./avs-console";
import { avss } from "./avss";
import { Keel } from "./chain";
import { loadConfig, type AppConfig } from "./config";
import type { Context } from "./context";
import { h } from "./dom";
import { operatorConsole } from "./operator-console";
import { operators } from "./operators";
import { positions } from "./positions";
import { stake } from "./stake";
import { TxLog } from "./tx";
import { devWallet, injectedProvider, injectedWallet } from "./wallet";

/** The pages by their hash route. */
const pages: Record<string, { title: string; render: (ctx: Context) => Promise<HTMLElement> }> = {
  positions: { title: "Positions", render: positions },
  stake: { title: "Stake", render: stake },
  operators: { title: "Operators", render: operators },
  avss: { title: "AVSs", render: avss },
  "operator-console": { title: "Operator console", render: operatorConsole },
  "avs-console": { title: "AVS console", render: avsConsole },
};

/** Starts the app in `#app`. */
async function start(): Promise<void> {
  const root = document.getElementById("app")!;
  let config: AppConfig;
  try {
    config = await loadConfig();
  } catch (error) {
    root.replaceChildren(h("p", { class: "error" }, `Cannot start: ${(error as Error).message}`));
    return;
  }
  const content = h("main", { id: "page" });
  const status = h("span", { id: "wallet-status" }, "not connected");
  let leave: (() => void)[] = [];
  let rendering = 0;
  const ctx: Context = {
    keel: new Keel(config),
    log: new TxLog(),
    onLeave: (stop) => leave.push(stop),
    refresh: () => void render(),
  };
  /**
   * Renders the page named by the hash; a newer render wins over a slower
   * older one. `data-pending` is the newest render asked for and `data-ready`
   * the newest shown: equal, the page is settled.
   */
  async function render(): Promise<void> {
    const ticket = ++rendering;
    content.dataset.pending = String(ticket);
    leave.forEach((stop) => stop());
    leave = [];
    const name = location.hash.slice(1) in pages ? location.hash.slice(1) : "positions";
    document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("active", a.getAttribute("href") === `#${name}`));
    try {
      const page = await pages[name].render(ctx);
      if (ticket === rendering) {
        content.replaceChildren(page);
        content.dataset.page = name;
        content.dataset.ready = String(ticket);
      }
    } catch (error) {
      if (ticket === rendering) {
        content.replaceChildren(h("p", { class: "error" }, `Cannot read the chain: ${(error as Error).message}`));
        content.dataset.ready = String(ticket);
      }
    }
  }
  const connected = () => {
    status.textContent = `${ctx.wallet!.kind === "dev" ? "dev wallet" : "browser wallet"}: ${ctx.wallet!.account}`;
    status.dataset.account = ctx.wallet!.account;
    void render();
  };
  const bar = h("div", { class: "wallet" });
  if (config.devAccounts.length > 0) {
    const select = h("select", { id: "dev-account" }, ...config.devAccounts.map((a, i) => h("option", { value: a, selected: a === config.defaultDevAccount }, `dev account ${i}: ${a}`)));
    const button = h("button", { id: "connect-dev" }, "Use dev wallet");
    button.addEventListener("click", () => {
      ctx.wallet = devWallet(config, select.value as Address);
      connected();
    });
    bar.append(select, button);
  }
  if (injectedProvider()) {
    const button = h("button", { id: "connect-injected" }, "Connect browser wallet");
    button.addEventListener("click", async () => {
      try {
        ctx.wallet = await injectedWallet(config);
        await ctx.wallet.ensureChain();
        connected();
      } catch (error) {
        ctx.log.refuse("connect", (error as Error).message);
      }
    });
    bar.append(button);
  }
  const refresh = h("button", { id: "refresh" }, "Refresh");
  refresh.addEventListener("click", () => void render());
  bar.append(status, refresh);
  const nav = h("nav", {}, ...Object.entries(pages).map(([name, page]) => h("a", { href: `#${name}` }, page.title)));
  root.replaceChildren(
    h("header", {}, h("h1", {}, "Keel"), nav, bar),
    content,
    h("aside", {}, h("h2", {}, "Transactions"), ctx.log.element),
  );
  window.addEventListener("hashchange", () => void render());
  await render();
}

void start();
