// The app's browser test: headless Chromium (Debian's, at /usr/bin/chromium
// unless CHROMIUM says otherwise) driven by playwright-core, against `keel
// app --devnet` (an embedded devnet with Keel deployed and the demo's story
// played). The visitor's dev wallet is refused a deposit above its balance
// (nothing sent), deposits, delegates, is refused a second delegation with
// the contract's error by name, sees an AVS's slash reach its position,
// claims the rewards an AVS streams to it, queues a withdrawal, waits it out
// with the devnet's time cheat and completes it; as an AVS it registers,
// creates a set and publishes a slashing condition (bad caps and veto windows
// refused); it undelegates, then registers as an operator, opts in to its
// own set and allocates to it. Switching dev accounts, the story's bridge
// requests slashes, its council vetoes one, and one executes after the window. A stand-in injected wallet is refused on the
// wrong chain, or adds Keel's chain and deposits, and shows a front-run
// deposit's revert by name. Every wait is on the page's state, never a sleep.
// Screenshots go to app/screenshots/. Run by `make app-test` (KEEL_BIN: the
// built `keel`).
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { createPublicClient, createWalletClient, encodeFunctionData, http, keccak256, toHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";

const app = dirname(dirname(fileURLToPath(import.meta.url)));
const repo = dirname(app);
const shots = join(app, "screenshots");
const keelBin = process.env.KEEL_BIN ?? join(repo, "target/debug/keel");
const started = Date.now();
const WAIT = { timeout: 30_000 };

/** Logs a step with the seconds since the start. */
function step(message) {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${message}`);
}

/** Fails the test with `message` unless `condition` holds. */
function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  step(`✓ ${message}`);
}

/** Starts `keel app --devnet` on free ports; resolves with the page's URL once it serves. */
function startApp() {
  const child = spawn(
    keelBin,
    ["app", "--devnet", "--node-port", "0", "--port", "0", "--wasm-dir", join(repo, "target/wasm"), "--dir", join(app, "dist")],
    { cwd: repo, stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const found = out.match(/Keel app at (http:\/\/\S+)/);
      if (found) resolve(found[1]);
    });
    child.on("exit", (code) => reject(new Error(`keel app exited (${code}) before serving:\n${out}`)));
  });
  return { child, url };
}

/** One JSON-RPC call to the devnet. */
async function rpc(node, method, params = []) {
  const response = await fetch(node, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = await response.json();
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/**
 * Waits for the newest transaction line `label` not yet looked at to reach
 * `state`; marks it looked at (so a later wait cannot match it again) and
 * returns its text.
 */
async function txState(page, label, state) {
  const line = page.locator(`li.tx[data-label="${label}"]:not([data-seen])`).first();
  await line.and(page.locator(`[data-state="${state}"]`)).waitFor(WAIT);
  const text = await line.textContent();
  await page.locator(`li.tx[data-label="${label}"]:not([data-seen])`).first().evaluate((li) => { li.dataset.seen = "1"; });
  return text;
}

/** Shows page `name` rendered afresh, once no render is in flight (`data-pending` = `data-ready`). */
/** The restaked, queued, ... worth (tokens) of a recorded sample; zero if the series is absent. */
function worth(sample, series) {
  return Number(BigInt(Object.entries(sample.values).find(([k]) => k.startsWith(series))?.[1] ?? "0")) / 1e18;
}

/**
 * What `keel app` recorded for `account` (`/history.json`), once `ready(samples)`
 * holds (the recorder samples every new block within a poll, ~0.4 s); fails after 10 s.
 */
async function recorded(appUrl, account, ready, what) {
  for (let i = 0; i < 50; i++) {
    const history = await (await fetch(new URL(`history.json?account=${account}`, appUrl))).json();
    if (ready(history.samples)) return history;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`check failed: the recorded history never showed ${what}`);
}

/**
 * The value-over-time chart after the slash and the queue: the recorded
 * history holds the deposit's worth, then that worth cut by the slash
 * (x `kept`), then part of it queued; the page draws it with the slash marked.
 */
async function valueOverTime(page, appUrl, account, deposited, kept) {
  const slashed = (v) => Math.abs(v - deposited * kept) < 1e-4;
  const history = await recorded(appUrl, account, (samples) => samples.some((s) => worth(s, "queued") > 0), "the queued withdrawal");
  const restaked = history.samples.map((s) => worth(s, "restaked"));
  const before = restaked.findIndex((v) => Math.abs(v - deposited) < 1e-6);
  const after = restaked.findIndex((v, i) => i > before && slashed(v));
  const queued = history.samples.findIndex((s, i) => i >= after && worth(s, "queued") > 0);
  check(before >= 0 && after > before && queued >= after, `the recorded history shows the deposit worth ${deposited}, then ${(deposited * kept).toFixed(4)} after the slash, then a queued withdrawal (restaked: ${restaked.map((v) => v.toFixed(4)).join(", ")})`);
  const kinds = new Set(history.marks.map((m) => m.kind));
  check(["deposit", "slash", "claim", "queue"].every((k) => kinds.has(k)), `its marks name the deposit, the slash, the claim and the queue (${[...kinds].join(", ")})`);
  await open(page, "positions");
  const drawn = await page.locator("#history path.series").count();
  check(drawn >= 2 && (await page.locator("#history line.marker.slash").count()) >= 1, `the Positions page draws ${drawn} lines with the slash marked`);
}

async function open(page, name) {
  const before = await page.locator("#page").getAttribute("data-pending");
  if (await page.locator("#page").getAttribute("data-page") === name) await page.click("#refresh");
  else await page.click(`nav a[href="#${name}"]`);
  await page.waitForFunction(([n, b]) => {
    const el = document.getElementById("page");
    return el.dataset.page === n && el.dataset.ready === el.dataset.pending && Number(el.dataset.ready) > Number(b);
  }, [name, before], WAIT);
}

/**
 * A stand-in for an injected EIP-1193 wallet (runs in the page): it holds
 * `account`, starts on chain 1, adds and switches chains only if
 * `switchable` (else it answers as a user who declined, code 4001), and
 * forwards everything else to the node, which signs for its dev accounts.
 * With `frontRun` (a transaction), it sends that one first, once, when asked
 * to send one to the same contract: a transaction landing between the
 * page's check and its own.
 */
function fakeWallet({ rpcUrl, account, switchable, frontRun }) {
  let chainId = "0x1";
  const known = new Set([chainId]);
  const calls = (window.walletCalls = []);
  const fail = (code, message) => Object.assign(new Error(message), { code });
  window.ethereum = {
    async request({ method, params = [] }) {
      calls.push(method);
      if (method === "eth_requestAccounts" || method === "eth_accounts") return [account];
      if (method === "eth_chainId") return chainId;
      if (method === "eth_signTypedData_v4") return window.keelSignTypedData(params[1]);
      if (method === "wallet_switchEthereumChain" || method === "wallet_addEthereumChain") {
        if (!switchable) throw fail(4001, "the user declined");
        if (method === "wallet_switchEthereumChain" && !known.has(params[0].chainId)) throw fail(4902, "unknown chain");
        known.add(params[0].chainId);
        chainId = params[0].chainId;
        return null;
      }
      const node = async (method, params) => {
        const response = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
        const body = await response.json();
        if (body.error) throw Object.assign(new Error(body.error.message), body.error);
        return body.result;
      };
      if (method === "eth_sendTransaction" && frontRun && params[0].to?.toLowerCase() === frontRun.to.toLowerCase()) {
        await node(method, [frontRun]);
        frontRun = undefined;
      }
      return node(method, params);
    },
  };
}

/**
 * Signs EIP-712 typed data (JSON, as eth_signTypedData_v4 carries it) with
 * the key of dev account 9 of the test mnemonic: the stand-in wallet's signer.
 */
async function signAsVisitor(json) {
  const { domain, types, primaryType, message } = JSON.parse(json);
  const { EIP712Domain: _, ...fields } = types;
  const account = mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex: 9 });
  const numbers = Object.fromEntries(Object.entries(message).map(([k, v]) => [k, fields[primaryType].find((f) => f.name === k)?.type.startsWith("uint") ? BigInt(v) : v]));
  return account.signTypedData({ domain, types: fields, primaryType, message: numbers });
}

/** A fresh page with a fake injected wallet (see `fakeWallet`) at `appUrl`. */
async function pageWithWallet(browser, appUrl, wallet) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  await context.exposeFunction("keelSignTypedData", signAsVisitor);
  await context.addInitScript(fakeWallet, wallet);
  const page = await context.newPage();
  await page.goto(appUrl);
  await page.locator("#connect-injected").waitFor(WAIT);
  return page;
}

/**
 * The oracle AVS of the story (dev account 3) slashes `operator` by 10 % of
 * its allocation of `token` under the oracle's condition, signed by the node.
 * Returns the factor delegators' shares should keep: the slashed magnitude
 * (10 % of the allocation) taken from the operator's max magnitude.
 */
async function oracleSlash(config, operator, token) {
  const abi = abiOf("AvsRegistry");
  const address = config.contracts.AvsRegistry;
  const oracle = config.devAccounts[3];
  const reader = createPublicClient({ transport: http(config.rpcUrl) });
  const [added] = await reader.getContractEvents({ address, abi, eventName: "SlashingConditionAdded", args: { avs: oracle }, fromBlock: 0n });
  const [allocated] = await reader.readContract({ address, abi, functionName: "allocation", args: [operator, oracle, added.args.setId, token] });
  const [max] = await reader.readContract({ address, abi, functionName: "operatorMagnitudes", args: [operator, token] });
  await sendAs(config, oracle, address, abi, "slash", [operator, added.args.conditionId, [token], [10n ** 17n], keccak256(toHex("browser test"))]);
  return 1 - (0.1 * Number(allocated)) / Number(max);
}

/** The JSON ABI of contract `name` from the generated abi/. */
function abiOf(name) {
  return JSON.parse(readFileSync(join(repo, "abi", `${name}.json`), "utf8"));
}

/** Sends `functionName(args)` to `address` as dev account `from` (the node signs); waits for success. */
async function sendAs(config, from, address, abi, functionName, args) {
  const chain = { id: config.chainId, name: "Keel devnet", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [config.rpcUrl] } } };
  const hash = await createWalletClient({ account: from, chain, transport: http(config.rpcUrl) }).writeContract({ address, abi, functionName, args });
  const receipt = await createPublicClient({ chain, transport: http(config.rpcUrl) }).waitForTransactionReceipt({ hash, pollingInterval: 100 });
  if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
}

/** What the coordinator owes in `token` (booked units), read from the node. */
async function rewardsOwedAt(config, token) {
  const data = encodeFunctionData({ abi: abiOf("RewardsCoordinator"), functionName: "rewardsOwed", args: [token] });
  return BigInt(await rpc(config.rpcUrl, "eth_call", [{ to: config.contracts.RewardsCoordinator, data }, "latest"]));
}

/**
 * The story's oracle AVS (dev account 3) pays 10 reward tokens at once
 * (streamed over a day) to `operator`'s pool of `token`; then a day and an
 * hour pass, so the stream has ended and every delegator's share is earned.
 */
async function streamRewards(config, operator, token) {
  const [owner, oracle] = [config.devAccounts[0], config.devAccounts[3]];
  const [reward, coordinator] = [config.contracts.RewardToken, config.contracts.RewardsCoordinator];
  const amount = 10n * 10n ** 18n;
  await sendAs(config, owner, reward, abiOf("TestToken"), "mint", [oracle, amount]);
  await sendAs(config, oracle, reward, abiOf("TestToken"), "approve", [coordinator, amount]);
  await sendAs(config, oracle, coordinator, abiOf("RewardsCoordinator"), "submitRewards", [[operator], [amount], token, reward, 0n, 0n]);
  await rpc(config.rpcUrl, "evm_increaseTime", [90_000]);
  await rpc(config.rpcUrl, "evm_mine");
}

/** `account`'s balance of `token` in tokens (a JS number, for comparisons). */
async function balanceOf(config, token, account) {
  const data = encodeFunctionData({ abi: abiOf("TestToken"), functionName: "balanceOf", args: [account] });
  return Number(BigInt(await rpc(config.rpcUrl, "eth_call", [{ to: token, data }, "latest"]))) / 1e18;
}

/** The cells of the positions table's first strategy: symbol, wallet, deposit shares, withdrawable, worth. */
async function depositRow(page) {
  return page.locator("#deposits tbody tr").first().locator("td").allTextContents();
}

const { child, url } = startApp();
// A hung node or browser fails the run instead of stalling CI.
const watchdog = setTimeout(() => {
  console.error("browser test: no result after 240 s");
  child.kill();
  process.exit(1);
}, 240_000);
let browser;
let page;
try {
  const appUrl = await url;
  step(`keel app serves ${appUrl}`);
  const config = await (await fetch(new URL("config.json", appUrl))).json();
  const visitor = config.defaultDevAccount;
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(appUrl);

  await page.click("#connect-dev");
  await page.locator("#positions #account").waitFor(WAIT);
  check((await page.textContent("#account")) === visitor, `the dev wallet is connected as dev account 9 (${visitor})`);

  await open(page, "stake");
  const nonce = await rpc(config.rpcUrl, "eth_getTransactionCount", [visitor, "latest"]);
  await page.fill("#deposit-amount", "1000");
  await page.click("#deposit button[type=submit]");
  const refused = await txState(page, "deposit", "refused");
  check(/amount above your balance/.test(refused) && /nothing sent/.test(refused), `a deposit above the balance is refused: "${refused}"`);
  check((await rpc(config.rpcUrl, "eth_getTransactionCount", [visitor, "latest"])) === nonce, "nothing was sent");

  await page.fill("#deposit-amount", "5");
  await page.click("#deposit button[type=submit]");
  check(/mined/.test(await txState(page, "deposit", "mined")), "deposit of 5 mined");
  check(/signed/.test(await txState(page, "permit", "signed")) && (await page.locator('li.tx[data-label="approve"]').count()) === 0, "with a permit the devnet's dev key signed, no approval sent");

  await page.click("#delegate button[type=submit]");
  check(/mined/.test(await txState(page, "delegate", "mined")), "delegation mined");
  await page.click("#delegate button[type=submit]");
  const again = await txState(page, "delegate", "refused");
  check(/AlreadyDelegated\(/.test(again), `a second delegation is refused with the contract's error by name: "${again}"`);

  await open(page, "positions");
  const [, walletBefore, sharesBefore] = await depositRow(page);
  check(Number(sharesBefore) > 4, `the position shows the deposit's ${sharesBefore} shares`);
  await recorded(appUrl, visitor, (samples) => samples.some((s) => Math.abs(worth(s, "restaked") - 5) < 1e-6), "the deposit");
  const kept = await oracleSlash(config, await page.textContent("#delegated-to"), config.contracts.TestToken);
  await open(page, "positions");
  const [, , , slashed] = await depositRow(page);
  const factor = Number(slashed) / Number(sharesBefore);
  check(Math.abs(factor - kept) < 1e-3, `the oracle's slash (10 % of its allocation, x ${kept.toFixed(4)}) reaches the position: ${sharesBefore} → ${slashed} withdrawable`);
  await recorded(appUrl, visitor, (samples) => samples.some((s) => Math.abs(worth(s, "restaked") - 5 * kept) < 1e-4), "the slashed worth");
  const risk = await page.locator("#exposure tbody tr").first().locator("td").allTextContents();
  const [riskInAll, riskPerIncident] = [Number(risk[3]), Number(risk[4])];
  check(
    riskInAll > 0 && riskPerIncident > 0 && riskPerIncident <= riskInAll && riskInAll <= Number(slashed),
    `the position shows what a set can still slash: ${riskInAll} shares in all, ${riskPerIncident} per incident, of ${slashed}`,
  );

  await streamRewards(config, await page.textContent("#delegated-to"), config.contracts.TestToken);
  await open(page, "positions");
  const [, claimable, unsettled] = await page.locator("#rewards tbody tr").first().locator("td").allTextContents();
  const earned = Number(claimable) + Number(unsettled);
  check(earned > 0, `the position shows rewards earned from an AVS's stream: ${claimable} claimable + ${unsettled} not yet settled`);
  await page.click("#claim");
  check(/mined/.test(await txState(page, "claim rewards", "mined")), "claim mined");
  const paid = await balanceOf(config, config.contracts.RewardToken, visitor);
  check(paid >= earned && paid - earned < 1e-4, `the wallet received the ${paid.toFixed(6)} reward tokens the page showed`);

  await open(page, "stake");
  await page.fill("#queue-amount", "2");
  await page.click("#queue button[type=submit]");
  check(/mined/.test(await txState(page, "queue withdrawal", "mined")), "withdrawal of 2 shares queued");
  await page.screenshot({ path: join(shots, "stake.png") });

  await open(page, "positions");
  const complete = page.locator("#withdrawals button.complete").first();
  await complete.waitFor(WAIT);
  check(await complete.isDisabled(), `the withdrawal cannot complete yet (${await page.textContent("#withdrawals .countdown")} left)`);
  check((await page.textContent("#delegated-to")) !== "nobody", "the position shows its operator");
  await valueOverTime(page, appUrl, visitor, 5, kept);
  await page.screenshot({ path: join(shots, "positions.png") });

  await rpc(config.rpcUrl, "evm_increaseTime", [7 * 86_400 + 60]);
  await rpc(config.rpcUrl, "evm_mine");
  await open(page, "positions");
  await page.locator("#withdrawals button.complete:enabled").waitFor(WAIT);
  check((await page.textContent("#withdrawals .countdown")) === "ready", "after the delay the withdrawal is ready");
  await page.click("#withdrawals button.complete");
  check(/mined/.test(await txState(page, "complete withdrawal", "mined")), "withdrawal completed");
  await page.locator("p#withdrawals").waitFor(WAIT);
  const [, walletAfter, sharesAfter] = await depositRow(page);
  check(Math.abs(Number(sharesAfter) - (Number(sharesBefore) - 2)) < 1e-9, `${sharesAfter} deposit shares remain`);
  const received = Number(walletAfter) - Number(walletBefore);
  check(Math.abs(received - 2 * kept * 1.035) < 1e-3, `the wallet received ${received.toFixed(4)} tokens for 2 shares (x ${kept.toFixed(4)} after the slash, x 1.035 rebase)`);

  await open(page, "operators");
  await page.locator("#operators article.operator").first().waitFor(WAIT);
  const oracleShort = `${config.devAccounts[3].slice(0, 6)}…${config.devAccounts[3].slice(-4)}`;
  const exposure = await page.locator("#operators table.allocations tbody tr", { hasText: oracleShort }).locator("td").allTextContents();
  const [share, perIncident] = [parseFloat(exposure[3]), parseFloat(exposure[4])];
  check(share > 0 && Math.abs(perIncident - share * 0.1) < 0.01, `the operator's oracle allocation shows its exposure: ${share} % of stake, ${perIncident} % per incident (10 % cap)`);
  check((await page.locator("#operators figure.split svg rect").count()) === 4, "the allocation split bar shows the three AVSs and the unallocated rest");
  await page.screenshot({ path: join(shots, "operators.png"), fullPage: true });

  await open(page, "avss");
  check((await page.locator("#avss article.avs").count()) === 3, "the AVSs page lists the story's three AVSs");
  const oracleCard = page.locator(`#avss article[data-avs="${config.devAccounts[3]}"]`);
  check((await oracleCard.locator("table.slashes tbody tr").count()) === 2, "the oracle's slash history shows the story's slash and the test's");
  const bridgeCard = page.locator(`#avss article[data-avs="${config.devAccounts[4]}"]`);
  const bridgeRequest = await bridgeCard.locator("table.requests tbody tr").first().locator("td").allTextContents();
  check(bridgeRequest[3] === "vetoed", `the bridge's slash request shows its council's veto (${bridgeRequest.join(" | ")})`);
  await page.screenshot({ path: join(shots, "avss.png"), fullPage: true });

  await open(page, "avs-console");
  check((await page.textContent("#avs-registered")).includes("not an AVS"), "the AVS console sees the visitor is not an AVS");
  await page.fill("#set-id", "1");
  await page.click("#create-set button[type=submit]");
  check(/register as an AVS first/.test(await txState(page, "create set", "refused")), "creating a set before registering is refused");
  await page.fill("#avs-uri", "https://visitor.avs.example/meta.json");
  await page.click("#register-avs button[type=submit]");
  check(/mined/.test(await txState(page, "register AVS", "mined")), "the visitor registers as an AVS");
  await page.locator("#avs-registered", { hasText: "is a registered AVS" }).waitFor(WAIT);
  await page.fill("#set-id", "1");
  await page.click("#create-set button[type=submit]");
  check(/mined/.test(await txState(page, "create set", "mined")), "and creates operator set 1 over the strategy");
  const publish = async (fields) => {
    for (const [id, value] of Object.entries(fields)) await page.fill(`#condition-${id}`, value);
    await page.click("#publish-condition button[type=submit]");
  };
  await publish({ set: "1", cap: "150", veto: "0", description: "https://visitor.avs.example/slashing.md" });
  check(/the cap must be above 0 and at most 100 %/.test(await txState(page, "publish condition", "refused")), "a cap above 100 % is refused");
  await publish({ cap: "5", veto: "24" });
  check(/a veto window needs a resolver/.test(await txState(page, "publish condition", "refused")), "a veto window without a resolver is refused");
  await publish({ veto: "0" });
  check(/mined/.test(await txState(page, "publish condition", "mined")), "a 5 % condition is published");
  await page.screenshot({ path: join(shots, "avs-console.png"), fullPage: true });
  await open(page, "avss");
  const published = await page.locator(`#avss article[data-avs="${visitor}"] table`).first().locator("tbody tr").first().locator("td").allTextContents();
  check(published[2] === "5 %" && published[6] === "https://visitor.avs.example/slashing.md" && published[7] === "active", `the AVSs page shows the visitor's condition (${published.join(" | ")})`);

  await open(page, "stake");
  await page.click("#undelegate button[type=submit]");
  check(/mined/.test(await txState(page, "undelegate", "mined")), "undelegation mined");
  await page.click("#undelegate button[type=submit]");
  check(/you are not delegated/.test(await txState(page, "undelegate", "refused")), "a second undelegation is refused: not delegated");
  await open(page, "positions");
  check((await page.textContent("#delegated-to")) === "nobody", "the position shows no operator");
  check((await page.locator("#withdrawals tbody tr").count()) === 1, "and its shares queued as one withdrawal");

  await open(page, "operator-console");
  const operatorForm = async (form, fields) => {
    for (const [id, value] of Object.entries(fields)) await page.fill(`#${id}`, value);
    await page.click(`#${form} button[type=submit]`);
  };
  await operatorForm("allocate", { "allocate-avs": visitor, "allocate-set": "1", "allocate-percent": "10" });
  check(/register as an operator first/.test(await txState(page, "allocate", "refused")), "allocating before registering as an operator is refused");
  await operatorForm("register-operator", { "operator-uri": "https://visitor.operator.example/meta.json" });
  check(/mined/.test(await txState(page, "register operator", "mined")), "the visitor registers as an operator");
  await page.locator("#operator-state", { hasText: "is an operator" }).waitFor(WAIT);
  await operatorForm("set-commission", { commission: "150" });
  check(/from 0 to 100/.test(await txState(page, "set commission", "refused")), "a commission above 100 % is refused");
  await operatorForm("set-commission", { commission: "5" });
  check(/mined/.test(await txState(page, "set commission", "mined")), "a 5 % commission is set");
  await page.locator("#operator-state", { hasText: "commission 10 % (5 % from" }).waitFor(WAIT);
  step("✓ the console shows the default 10 % until the new 5 % takes effect");
  await operatorForm("accept-reward-token", { "reward-token": visitor });
  check(/not a whitelisted reward token/.test(await txState(page, "reward token", "refused")), "an address that is not a reward token is refused");
  const poolsAccept = async () =>
    BigInt(await rpc(config.rpcUrl, "eth_call", [{ to: config.contracts.RewardsCoordinator, data: encodeFunctionData({ abi: abiOf("RewardsCoordinator"), functionName: "isRewardTokenAccepted", args: [visitor, config.contracts.RewardToken] }) }, "latest"])) === 1n;
  check(!(await poolsAccept()), "a new operator's pools take no reward token yet");
  await operatorForm("accept-reward-token", { "reward-token": config.contracts.RewardToken });
  check(/mined/.test(await txState(page, "reward token", "mined")) && (await poolsAccept()), "the operator accepts the story's reward token for its pools");
  await operatorForm("accept-reward-token", { "reward-token": config.contracts.RewardToken });
  check(/already accept/.test(await txState(page, "reward token", "refused")), "accepting it again is refused up front");

  await open(page, "avs-console");
  const payRewards = async (fields) => {
    for (const [id, value] of Object.entries(fields)) await page.fill(`#${id}`, value);
    await page.click("#submit-rewards button[type=submit]");
  };
  const reward = config.contracts.RewardToken;
  await payRewards({ "reward-operator": config.contracts.RewardsCoordinator, "reward-token-paid": reward, "reward-amount": "1", "reward-days": "0" });
  check(/not a registered operator/.test(await txState(page, "submit rewards", "refused")), "paying rewards to an address that is no operator is refused");
  await payRewards({ "reward-operator": visitor, "reward-amount": "1000" });
  check(/amount above your balance/.test(await txState(page, "submit rewards", "refused")), "paying more than the wallet holds is refused");
  const rewardsOwed = (token) => rewardsOwedAt(config, token);
  const owedBefore = await rewardsOwed(reward);
  await payRewards({ "reward-amount": "1", "reward-days": "2" });
  check(/mined/.test(await txState(page, "submit rewards", "mined")), "the AVS pays 1 reward token to the operator's pool, streamed over 2 days");
  check((await rewardsOwed(reward)) > owedBefore, "and the coordinator owes it");
  await open(page, "operator-console");
  await operatorForm("set-allocation-delay", { "allocation-delay": "0" });
  check(/mined/.test(await txState(page, "set allocation delay", "mined")), "an allocation delay of 0 is set");
  const registryParameters = encodeFunctionData({ abi: abiOf("AvsRegistry"), functionName: "parameters" });
  const configurationDelay = Number(BigInt(`0x${(await rpc(config.rpcUrl, "eth_call", [{ to: config.contracts.AvsRegistry, data: registryParameters }, "latest"])).slice(66, 130)}`));
  await rpc(config.rpcUrl, "evm_increaseTime", [configurationDelay + 60]);
  await rpc(config.rpcUrl, "evm_mine");
  await operatorForm("opt-in", { "optin-avs": visitor, "optin-set": "1", "optin-conditions": published[0] });
  check(/mined/.test(await txState(page, "opt in", "mined")), `the operator opts in to its AVS's set 1, accepting condition ${published[0]}`);
  await page.locator("#operator-state", { hasText: "commission 5 %, allocation delay 0 h." }).waitFor(WAIT);
  step("✓ after the delays the console shows the 5 % commission and the 0 h allocation delay in effect");
  await operatorForm("allocate", { "allocate-avs": visitor, "allocate-set": "1", "allocate-percent": "10" });
  check(/mined/.test(await txState(page, "allocate", "mined")), "and allocates 10 % of its stake to it");
  await page.screenshot({ path: join(shots, "operator-console.png"), fullPage: true });
  await rpc(config.rpcUrl, "evm_increaseTime", [60]);
  await rpc(config.rpcUrl, "evm_mine");
  await open(page, "operators");
  const mine = await page.locator(`#operators article[data-operator="${visitor}"] table.allocations tbody tr`).first().locator("td").allTextContents();
  check(mine[3] === "10 %" && mine[4] === "0.5 %", `the Operators page shows its allocation and exposure (${mine.join(" | ")})`);
  const card = await page.textContent(`#operators article[data-operator="${visitor}"]`);
  check(card.includes("Commission 5 %"), "its 5 % commission took effect once the 7-day commission delay passed");

  const [operatorAt, bridge, council] = [config.devAccounts[2], config.devAccounts[4], config.devAccounts[6]];
  const useDevAccount = async (account) => {
    await page.selectOption("#dev-account", account);
    await page.click("#connect-dev");
    await page.locator(`#wallet-status[data-account="${account}"]`).waitFor(WAIT);
  };
  const pendingRequest = async () => {
    await open(page, "avss");
    const rows = page.locator(`#avss article[data-avs="${bridge}"] table.requests tbody tr`, { hasText: "pending" });
    return (await rows.first().locator("td").first().textContent()).trim();
  };
  const slash = async (fields) => {
    for (const [id, value] of Object.entries(fields)) await page.fill(`#slash-${id}`, value);
    await page.click("#slash button[type=submit]");
  };
  await useDevAccount(bridge);
  await open(page, "avs-console");
  await slash({ operator: operatorAt, condition: "2", percent: "25", evidence: "relay 77 signed twice" });
  check(/above the condition's cap of 20 %/.test(await txState(page, "slash", "refused")), "the bridge is refused a slash above its condition's 20 % cap");
  await slash({ percent: "5" });
  check(/mined/.test(await txState(page, "request slash", "mined")), "the bridge requests a 5 % slash (its condition has a veto window)");
  const vetoed = await pendingRequest();
  await useDevAccount(council);
  await open(page, "avs-console");
  await page.fill("#veto-request", vetoed);
  await page.click("#veto-slash button[type=submit]");
  check(/mined/.test(await txState(page, "veto slash", "mined")), `its council vetoes request ${vetoed}`);
  await useDevAccount(bridge);
  await open(page, "avs-console");
  await slash({ operator: operatorAt, condition: "2", percent: "5", evidence: "relay 78 signed twice" });
  check(/mined/.test(await txState(page, "request slash", "mined")), "the bridge requests another");
  const executed = await pendingRequest();
  await open(page, "avs-console");
  await page.fill("#execute-request", executed);
  await page.click("#execute-slash button[type=submit]");
  check(/the veto window is open until/.test(await txState(page, "execute slash", "refused")), "executing inside the veto window is refused");
  await rpc(config.rpcUrl, "evm_increaseTime", [86_400 + 60]);
  await rpc(config.rpcUrl, "evm_mine");
  await page.click("#execute-slash button[type=submit]");
  check(/mined/.test(await txState(page, "execute slash", "mined")), `after the window request ${executed} executes`);
  await open(page, "avss");
  const statuses = await page.locator(`#avss article[data-avs="${bridge}"] table.requests tbody tr`).evaluateAll((rows) => rows.map((r) => `${r.cells[0].textContent}:${r.cells[3].textContent}`));
  check(statuses.includes(`${vetoed}:vetoed`) && statuses.includes(`${executed}:executed`), `the AVSs page shows the requests' fates (${statuses.join(", ")})`);
  check((await page.locator(`#avss article[data-avs="${bridge}"] table.slashes tbody tr`).count()) === 1, "and the bridge's first executed slash");

  const declining = await pageWithWallet(browser, appUrl, { rpcUrl: config.rpcUrl, account: visitor, switchable: false });
  await declining.click("#connect-injected");
  const wrongChain = await txState(declining, "connect", "refused");
  check(/wrong chain: the wallet is on chain 1, Keel is on 412346/.test(wrongChain), `a browser wallet on another chain that will not switch is refused: "${wrongChain}"`);
  check((await declining.textContent("#wallet-status")) === "not connected", "and not connected");

  page = await pageWithWallet(browser, appUrl, { rpcUrl: config.rpcUrl, account: visitor, switchable: true });
  page.on("pageerror", (error) => errors.push(error.message));
  await page.click("#connect-injected");
  await page.locator("#positions #account").waitFor(WAIT);
  check((await page.textContent("#wallet-status")).startsWith("browser wallet"), "a browser wallet connects");
  const calls = await page.evaluate(() => window.walletCalls);
  check(calls.includes("wallet_addEthereumChain"), `after adding Keel's chain to the wallet (${calls.join(", ")})`);
  await open(page, "stake");
  await page.fill("#deposit-amount", "1");
  await page.click("#deposit button[type=submit]");
  check(/mined/.test(await txState(page, "deposit", "mined")), "a deposit through the browser wallet is mined");
  check(/signed/.test(await txState(page, "permit", "signed")) && (await page.locator('li.tx[data-label="approve"]').count()) === 0, "with a permit the wallet signed, no approval sent");
  check((await page.evaluate(() => window.walletCalls)).includes("eth_signTypedData_v4"), "(signed as eth_signTypedData_v4)");

  const pauseDeposits = { from: config.devAccounts[0], to: config.contracts.StrategyManager, data: encodeFunctionData({ abi: abiOf("StrategyManager"), functionName: "pause", args: [1n] }) };
  page = await pageWithWallet(browser, appUrl, { rpcUrl: config.rpcUrl, account: visitor, switchable: true, frontRun: pauseDeposits });
  page.on("pageerror", (error) => errors.push(error.message));
  await page.click("#connect-injected");
  await open(page, "stake");
  await page.fill("#deposit-amount", "1");
  await page.click("#deposit button[type=submit]");
  const reverted = await txState(page, "deposit", "reverted");
  check(/CurrentlyPaused\(0\)/.test(reverted), `a deposit the owner's pause overtakes is mined, reverts, and shows the error by name: "${reverted}"`);
  await page.fill("#deposit-amount", "1");
  await page.click("#deposit button[type=submit]");
  check(/deposits are paused/.test(await txState(page, "deposit", "refused")), "the next deposit is refused up front: deposits are paused");

  check(errors.length === 0, `no page errors (${errors.join("; ")})`);
  step(`browser test passed; screenshots in ${shots}`);
} catch (error) {
  // What the page showed when the test failed: its transactions and a screenshot.
  if (page) {
    console.error(`transactions on the page:\n${await page.locator("#txs").innerText().catch(() => "?")}`);
    await page.screenshot({ path: join(shots, "failure.png"), fullPage: true }).catch(() => undefined);
  }
  throw error;
} finally {
  clearTimeout(watchdog);
  await browser?.close();
  child.kill();
}
