/**
 * Web portal figures, in Debian's chromium against a real node:
 *
 * - time to first render of the patient timeline for the largest fixture
 *   patient (Josue Sipes, 959 resources): from the click on "Unlock" to the
 *   first visit on screen (PBKDF2 unlock, ciphertext fetch, checks against the
 *   chain, decryption, timeline build and render, all in the browser), median
 *   of warm runs; and the part from the start of the record read to the
 *   rendered timeline (performance marks of the app). Baseline: the same
 *   read and decryption by the same SDK in Node (exportRecord).
 * - the same patient's import through the page (encryption in the browser).
 * - bundle size: every JS/CSS asset of the app, raw and gzip; what the
 *   patient page loads before its timeline shows; the barcode reader's
 *   WebAssembly (loaded only when scanning).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { exportRecord } from "../src/records/sdk/exportRecord.ts";
import { importBundle } from "../src/records/sdk/importBundle.ts";
import { toHex } from "../src/kernel/crypto/bytes.ts";
import { ensureWebBuild, WEB_DIST } from "../src/node/web/webBuild.ts";
import { sealSecret } from "../web/src/lib/keyVault.ts";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { generateEncryptionKeyPair } from "../src/kernel/crypto/hpke.ts";
import { publishEncryptionKey } from "../src/accounts/sdk/publishEncryptionKey.ts";
import type { RecordKeys } from "../src/kernel/accountKeys.ts";
import { startTestNode } from "../test/support/testNode.ts";
import { largestSyntheaFile, readJson } from "../test/support/fixtures.ts";
import { chromiumPath, launchBrowser, watchedPage } from "../test/support/browser.ts";
import type { BenchResult } from "./result.ts";

const RUNS = 5;
const PASS = "correct horse battery staple";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

function gz(bytes: Buffer): number {
  return gzipSync(bytes, { level: 9 }).length;
}

/** Bundle figures from web/dist. */
function bundleSizes(): { raw: number; gzip: number; wasm: number } {
  const dir = join(WEB_DIST, "assets");
  let raw = 0;
  let gzip = 0;
  let wasm = 0;
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (/\.(js|css)$/.test(f)) {
      const b = readFileSync(p);
      raw += b.length;
      gzip += gz(b);
    } else if (f.endsWith(".wasm")) {
      wasm += statSync(p).size;
    }
  }
  const html = readFileSync(join(WEB_DIST, "index.html"));
  return { raw: raw + html.length, gzip: gzip + gz(html), wasm };
}

/** Runs the web benchmarks (needs chromium: `bash .ci/chromium.sh`). */
export async function benchWeb(): Promise<BenchResult[]> {
  if (chromiumPath() === undefined) throw new Error("the web bench needs chromium (bash .ci/chromium.sh)");
  await ensureWebBuild();
  const sizes = bundleSizes();
  const file = largestSyntheaFile();
  const bundle = readJson(file);
  const t = await startTestNode();
  const browser = await launchBrowser();
  try {
    // the patient's record, imported once by the SDK in Node
    const signingKey = generatePrivateKey();
    const enc = await generateEncryptionKeyPair();
    const patient: RecordKeys = {
      account: privateKeyToAccount(signingKey),
      encryptionPrivateKey: enc.privateKey,
      encryptionPublicKey: enc.publicKey,
    };
    await publishEncryptionKey(t.client, patient);
    const address = patient.account.address.toLowerCase();
    const imported = await importBundle({ node: t.client, bundle, owner: address as `0x${string}`, author: patient });
    // her keys, sealed as the browser keystore seals them, placed in the browser's IndexedDB
    const secret = new TextEncoder().encode(
      JSON.stringify({ signingKey, encryptionPrivateKey: toHex(patient.encryptionPrivateKey) }),
    );
    const stored = {
      version: 1,
      name: "Josue",
      address,
      encryptionPublicKey: toHex(patient.encryptionPublicKey),
      createdAt: new Date().toISOString(),
      sealed: await sealSecret(secret, PASS, address),
    };
    const w = await watchedPage(browser);
    const assetBytes = new Map<string, number>();
    w.page.on("response", (r) => {
      if (!r.url().includes("/assets/")) return;
      void r.body().then(
        (b) => assetBytes.set(r.url(), gz(b)),
        () => undefined,
      );
    });
    await w.page.goto(`${t.node.url}/`);
    await w.page.evaluate(async (entry) => {
      await new Promise<void>((resolve, reject) => {
        const req = indexedDB.open("medchain-keystore");
        req.onupgradeneeded = () => req.result.createObjectStore("keys");
        req.onerror = () => reject(new Error("indexedDB"));
        req.onsuccess = () => {
          const tx = req.result.transaction("keys", "readwrite");
          tx.objectStore("keys").put(entry, entry.name);
          tx.oncomplete = () => resolve();
        };
      });
    }, stored);

    const clickToVisit: number[] = [];
    const readToRender: number[] = [];
    let initialGzip = 0;
    for (let i = 0; i <= RUNS; i++) {
      assetBytes.clear();
      await w.page.goto(`${t.node.url}/patient`);
      await w.page.getByLabel("Passphrase").fill(PASS);
      const t0 = performance.now();
      await w.page.getByRole("button", { name: "Unlock" }).click();
      await w.page.locator("[data-testid='timeline'] .visit").first().waitFor({ timeout: 120_000 });
      const ms = performance.now() - t0;
      // a string: the runner's transpiler would wrap named functions in a helper the page lacks
      const marks = await w.page.evaluate<number>(
        `performance.getEntriesByName("medchain:timeline-rendered").at(-1).startTime ` +
          `- performance.getEntriesByName("medchain:record-start").at(-1).startTime`,
      );
      const shown = await w.page
        .locator("[data-testid='timeline']")
        .evaluate((el) => el.closest("section")?.querySelector("p")?.textContent ?? "");
      if (!shown.startsWith(`${imported.resources} resources`))
        throw new Error(`the timeline shows "${shown}", not the ${imported.resources} resources`);
      if (i === 0) {
        await w.page.waitForLoadState("networkidle");
        initialGzip = [...assetBytes.values()].reduce((a, b) => a + b, 0);
        continue; // cold run: assets not cached yet
      }
      clickToVisit.push(ms);
      readToRender.push(marks);
    }
    if (w.errors.length > 0) throw new Error(`console errors: ${w.errors.join("; ")}`);

    const nodeRuns: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const r = await exportRecord({ node: t.client, reader: patient, owner: address as `0x${string}` });
      nodeRuns.push(performance.now() - t0);
      if (r.bundle.entry?.length !== imported.resources) throw new Error("node export incomplete");
    }

    // import through the page: a second patient adds the same bundle under "Add records"
    const w2 = await watchedPage(browser);
    await w2.page.goto(`${t.node.url}/patient`);
    await w2.page.getByLabel("Name for these keys").fill("Importer");
    await w2.page.getByLabel("Passphrase", { exact: false }).first().fill(PASS);
    await w2.page.getByLabel("Passphrase again").fill(PASS);
    await w2.page.getByRole("button", { name: "Create keys" }).click();
    await w2.page.getByText("Your record is empty").waitFor({ timeout: 60_000 });
    await w2.page.getByRole("tab", { name: "Add records", exact: true }).click();
    await w2.page.getByLabel("FHIR Bundle (JSON)").setInputFiles(file);
    const t2 = performance.now();
    await w2.page.getByRole("button", { name: "Encrypt and add to the record" }).click();
    await w2.page.getByText(`Added: ${imported.resources} resources`).waitFor({ timeout: 300_000 });
    const importMs = performance.now() - t2;

    const ttfr = median(clickToVisit);
    const read = median(readToRender);
    const nodeRead = median(nodeRuns);
    return [
      {
        name: "web.timelineFirstRender.largest",
        value: Math.round(ttfr),
        unit: `ms (unlock click to first visit on screen, ${imported.resources} resources, median of ${RUNS})`,
      },
      {
        name: "web.recordReadToRender.largest",
        value: Math.round(read),
        unit:
          `ms (fetch, verify, decrypt, build and render ` +
          `${imported.resources} resources in chromium, median of ${RUNS})`,
        baseline: { name: "exportRecord in Node (same SDK, same record)", value: Math.round(nodeRead) },
        ratio: Number((read / nodeRead).toFixed(2)),
      },
      {
        name: "web.importThroughPage.largest",
        value: Math.round(importMs),
        unit: `ms (validate, encrypt ${imported.resources} resources in chromium, upload, register)`,
      },
      { name: "web.bundle.raw", value: sizes.raw, unit: "bytes (all JS + CSS + index.html)" },
      { name: "web.bundle.gzip", value: sizes.gzip, unit: "bytes gzip -9 (all JS + CSS + index.html)" },
      {
        name: "web.bundle.patientPageGzip",
        value: initialGzip,
        unit: "bytes gzip -9 of the assets the patient page loads before its timeline shows",
      },
      {
        name: "web.bundle.barcodeWasm",
        value: sizes.wasm,
        unit: "bytes (ZXing WebAssembly, loaded only when scanning)",
      },
    ];
  } finally {
    await browser.close();
    await t.close();
  }
}
