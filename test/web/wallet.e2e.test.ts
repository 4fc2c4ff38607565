/**
 * Keys from an injected EIP-1193 wallet, in chromium against a real node:
 * the page asks the wallet for the account, derives the record encryption
 * key from the wallet's signature of a fixed statement, publishes it, and
 * signs every relayed request through the wallet (eth_signTypedData_v4).
 * The wallet here is the test's own EIP-1193 provider backed by a viem key
 * (the page only sees the EIP-1193 interface, as with any browser wallet).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Browser, BrowserContext } from "playwright-core";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { toHex, type TypedDataDefinition } from "viem";
import { startTestNode, type TestNode } from "../support/testNode.ts";
import { smallSyntheaFile } from "../support/fixtures.ts";
import { browserUnavailable, launchBrowser, watchedPage, type WatchedPage } from "../support/browser.ts";

const unavailable = browserUnavailable();

describe("a browser wallet (EIP-1193) holds the signing key", { skip: unavailable ?? false }, () => {
  let t: TestNode;
  let browser: Browser;
  const account = privateKeyToAccount(generatePrivateKey());
  const calls: string[] = [];

  async function withWallet(w: WatchedPage, context: BrowserContext): Promise<void> {
    const chainId = (await t.client.network()).chainId;
    await context.exposeFunction("__testWallet", async (method: string, paramsJson: string): Promise<unknown> => {
      const params = JSON.parse(paramsJson) as unknown[];
      calls.push(method);
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return [account.address];
        case "eth_chainId":
          return toHex(chainId);
        case "personal_sign":
          return account.signMessage({ message: { raw: params[0] as `0x${string}` } });
        case "eth_signTypedData_v4":
          return account.signTypedData(JSON.parse(params[1] as string) as TypedDataDefinition);
        default:
          throw new Error(`unsupported ${method}`);
      }
    });
    // a string, not a function: the test runner's transpiler would wrap named functions in helpers the page lacks
    await context.addInitScript({
      content: `window.ethereum = {
        request: ({ method, params }) => window.__testWallet(method, JSON.stringify(params ?? [])),
        on: () => undefined,
        removeListener: () => undefined,
      };`,
    });
    await w.page.goto(`${t.node.url}/patient`);
    assert.equal(await w.page.evaluate(() => typeof Reflect.get(window, "ethereum")), "object");
  }

  before(async () => {
    t = await startTestNode();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it(
    "connects, publishes a derived encryption key, imports and reads " +
      "through wallet signatures; the same wallet gives the same key elsewhere",
    async () => {
      const w = await watchedPage(browser);
      await withWallet(w, w.context);
      await w.page.getByRole("tab", { name: "Use a browser wallet" }).click();
      await w.page.getByRole("button", { name: "Connect wallet" }).click();
      await w.page.getByText("Your record is empty").waitFor({ timeout: 30_000 });
      assert.equal(await w.page.locator("[data-address]").getAttribute("data-address"), account.address.toLowerCase());
      const published = await t.client.account(account.address);
      assert.equal(published.keyVersion, 1);
      assert.ok(calls.includes("personal_sign") && calls.includes("eth_signTypedData_v4"), calls.join(","));

      await w.page.getByRole("tab", { name: "Add records", exact: true }).click();
      await w.page.getByLabel("FHIR Bundle (JSON)").setInputFiles(smallSyntheaFile());
      await w.page.getByRole("button", { name: "Encrypt and add to the record" }).click();
      await w.page.getByText(/Added: 70 resources/).waitFor({ timeout: 60_000 });
      await w.page.getByRole("tab", { name: "Timeline", exact: true }).click();
      await w.page.getByRole("heading", { name: "Record of Clemente Kreiger" }).waitFor({ timeout: 30_000 });

      // another browser, same wallet: the same encryption key (nothing republished), the same record
      const other = await watchedPage(browser);
      await withWallet(other, other.context);
      await other.page.getByRole("tab", { name: "Use a browser wallet" }).click();
      await other.page.getByRole("button", { name: "Connect wallet" }).click();
      await other.page.getByRole("heading", { name: "Record of Clemente Kreiger" }).waitFor({ timeout: 30_000 });
      assert.deepEqual(await t.client.account(account.address), published);
      assert.deepEqual([...w.errors, ...other.errors], []);
      // the wallet never sends a transaction: gas is sponsored
      assert.ok(!calls.some((c) => c === "eth_sendTransaction" || c === "eth_signTransaction"));
    },
  );
});
