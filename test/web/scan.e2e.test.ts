/**
 * Scanning for real in chromium: Chromium's fake camera plays a video of a
 * DataMatrix made by ZXing's writer; the medicine page reads it through the
 * camera (getUserMedia + the ZXing WebAssembly reader, served by the node)
 * and checks the pack. A photo of the same code works too, and a clinician
 * opens a patient from a photo of her address's QR code.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { withCheckDigit } from "../../src/kernel/gs1CheckDigit.ts";
import { newIdentity, startTestNode, type TestNode } from "../support/testNode.ts";
import { barcode, barcodeVideo } from "../support/barcodeImages.ts";
import { browserUnavailable, launchBrowser, watchedPage, type WatchedPage } from "../support/browser.ts";

const unavailable = browserUnavailable();
const GTIN = withCheckDigit("0030001012345");
const SCAN = `01${GTIN}217777`; // (01) GTIN (21) serial 7777, as a DataMatrix carries it

describe("scanning with the camera and from photos", { skip: unavailable ?? false }, () => {
  let t: TestNode;
  let browser: Browser;
  let dir: string;
  let png: string;
  const pages: WatchedPage[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "medchain-scan-"));
    const code = await barcode(SCAN, "DataMatrix");
    png = join(dir, "pack.png");
    writeFileSync(png, code.png);
    const video = barcodeVideo(code.symbol, join(dir, "pack.y4m"));
    t = await startTestNode();
    browser = await launchBrowser([`--use-file-for-fake-video-capture=${video}`]);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function medicinePage(): Promise<WatchedPage> {
    const w = await watchedPage(browser);
    pages.push(w);
    await w.context.grantPermissions(["camera"], { origin: t.node.url });
    await w.page.goto(`${t.node.url}/medicine`);
    return w;
  }

  it("the camera reads the pack's DataMatrix and the page gives the verdict for that pack", async () => {
    const { page } = await medicinePage();
    await page.getByRole("button", { name: "Scan the pack with the camera" }).click();
    const verdict = page.locator("[data-verdict]");
    await verdict.waitFor({ timeout: 60_000 });
    assert.equal(await verdict.getAttribute("data-verdict"), "unknown", "nobody commissioned serial 7777");
    assert.equal(await page.getByLabel("Code on the pack").inputValue(), SCAN);
    const pack = page.getByRole("region", { name: "This pack", exact: true });
    assert.match(await pack.innerText(), new RegExp(`${GTIN}[\\s\\S]*7777`));
    assert.equal(await page.locator("video").count(), 0, "the camera stops once a code is read");
  });

  it("a photo of the pack works too", async () => {
    const { page } = await medicinePage();
    await page.getByLabel("Scan from a photo").setInputFiles(png);
    await page.locator("[data-verdict='unknown']").waitFor({ timeout: 60_000 });
    assert.equal(await page.getByLabel("Code on the pack").inputValue(), SCAN);
  });

  it("a clinician opens a patient from a photo of her QR code", async () => {
    const patient = await newIdentity(t.client);
    const address = patient.account.address.toLowerCase();
    const qr = join(dir, "patient.png");
    writeFileSync(qr, (await barcode(address, "QRCode")).png);
    const w = await watchedPage(browser);
    pages.push(w);
    await w.page.goto(`${t.node.url}/clinician`);
    await w.page.getByLabel("Name for these keys").fill("Dr Scan");
    await w.page.getByLabel("Passphrase", { exact: false }).first().fill("correct horse battery");
    await w.page.getByLabel("Passphrase again").fill("correct horse battery");
    await w.page.getByRole("button", { name: "Create keys" }).click();
    await w.page.getByLabel("Scan from a photo").setInputFiles(qr);
    await w.page.getByText("This patient has not shared anything with you.").waitFor({ timeout: 60_000 });
    assert.equal(new URL(w.page.url()).searchParams.get("patient"), address);
  });

  it("no page logged an error", () => {
    assert.deepEqual(
      pages.flatMap((w) => w.errors),
      [],
    );
  });
});
