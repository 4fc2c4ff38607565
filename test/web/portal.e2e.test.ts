/**
 * The web portal end to end, in Debian's chromium against a real node
 * (embedded chain, PGlite, keepers): each person has their own browser
 * context, so their own IndexedDB keystore.
 *
 * A patient creates keys in the browser; a hospital clinician, allowed by
 * her, imports a Synthea bundle through the clinician page; she sees her
 * timeline and a blood-pressure chart; she grants a GP, who reads what the
 * grant covers (and is told what stays hidden), then revokes it, and the
 * GP's next read is refused by the keepers; her access log shows the release
 * and the refusal, each verified against the chain; an ER clinician opens
 * break-glass and she sees the emergency flag; she exports and erases. A
 * pharmacist pastes a cloned serial and gets the clone verdict; a partner
 * captures EPCIS events and checks the proofs. Throughout, no request body
 * carries a plaintext resource value or a private key, and no page logs a
 * console error.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import type { Bundle, Observation, Patient } from "@medplum/fhirtypes";
import { captureDocument } from "../../src/supply/sdk/captureDocument.ts";
import { withCheckDigit } from "../../src/kernel/gs1CheckDigit.ts";
import { utf8Decode } from "../../src/kernel/crypto/bytes.ts";
import type { RecordKeys } from "../../src/kernel/accountKeys.ts";
import { openSecret, type SealedSecret } from "../../web/src/lib/keyVault.ts";
import { newIdentity, startTestNode, type TestNode } from "../support/testNode.ts";
import { FIXTURES, smallSyntheaFile } from "../support/fixtures.ts";
import { registerPartner } from "../support/roles.ts";
import { licenseClinician } from "../support/identity.ts";
import { privateKeyToAccount } from "viem/accounts";
import {
  assertAccessible,
  browserUnavailable,
  launchBrowser,
  screenshot,
  VIEWPORTS,
  watchedPage,
  type WatchedPage,
} from "../support/browser.ts";

const PASS = "correct horse battery staple";
const FIXTURE = smallSyntheaFile();
const BUNDLE = JSON.parse(readFileSync(FIXTURE, "utf8")) as Bundle;
const resources = (BUNDLE.entry ?? []).flatMap((e) => (e.resource === undefined ? [] : [e.resource]));
const PATIENT = resources.find((r): r is Patient => r.resourceType === "Patient");
const PATIENT_NAME = `${PATIENT?.name?.[0]?.given?.join(" ") ?? ""} ${PATIENT?.name?.[0]?.family ?? ""}`;
const isBp = (r: (typeof resources)[number]): r is Observation =>
  r.resourceType === "Observation" && r.code?.coding?.[0]?.code === "55284-4";
const BP_COUNT = resources.filter(isBp).length;
const newestBmi = resources
  .filter((r): r is Observation => r.resourceType === "Observation" && r.code?.coding?.[0]?.code === "39156-5")
  .sort((a, b) => (b.effectiveDateTime ?? "").localeCompare(a.effectiveDateTime ?? ""))[0];

// supply scenario (as in test/supply/supply.e2e.test.ts)
const MAKER_GLN = withCheckDigit("030001111111");
const WHOLESALER_GLN = withCheckDigit("039999999999");
const PHARMACY_GLN = withCheckDigit("039999777777");
const ROGUE_GLN = withCheckDigit("039999666666");
const UNIT = (n: number): string => `urn:epc:id:sgtin:030001.0012345.${n}`;
const sgln = (gln: string): string => `urn:epc:id:sgln:${gln.slice(0, 6)}.${gln.slice(6, 12)}.0`;
function epcis(events: Array<Record<string, unknown>>): Record<string, unknown> {
  return {
    "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld", { cbvmda: "urn:epcglobal:cbv:mda:" }],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: "2023-04-02T00:00:00Z",
    epcisBody: { eventList: events },
  };
}
function ev(
  bizStep: string,
  action: string,
  time: string,
  epcs: string[],
  gln: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: "ObjectEvent",
    eventTime: time,
    eventTimeZoneOffset: "+00:00",
    bizStep,
    action,
    epcList: epcs,
    readPoint: { id: sgln(gln) },
    ...extra,
  };
}

const unavailable = browserUnavailable();

describe("web portal in chromium against a real node", { skip: unavailable ?? false }, () => {
  let t: TestNode;
  let browser: Browser;
  const pages: WatchedPage[] = [];
  let patient: WatchedPage, hospital: WatchedPage, gp: WatchedPage;
  let patientAddress: string, hospitalAddress: string, gpAddress: string;
  let grantId: string;

  async function open(path: string): Promise<WatchedPage> {
    const w = await watchedPage(browser);
    pages.push(w);
    await w.page.goto(`${t.node.url}${path}`);
    return w;
  }

  /**
   * Creates keys through the key form (when `unlock` is false) or unlocks them; returns the address shown in the
   * header.
   */
  async function keys(page: Page, name: string, unlock = false): Promise<string> {
    if (unlock) {
      await page.getByRole("tab", { name: "Unlock my keys" }).click();
      await page.getByLabel("Passphrase").fill(PASS);
      await page.getByRole("button", { name: "Unlock" }).click();
    } else {
      await page.getByLabel("Name for these keys").fill(name);
      await page.getByLabel("Passphrase", { exact: false }).first().fill(PASS);
      await page.getByLabel("Passphrase again").fill(PASS);
      await page.getByRole("button", { name: "Create keys" }).click();
    }
    const who = page.locator("[data-address]");
    await who.waitFor({ timeout: 30_000 });
    return (await who.getAttribute("data-address")) ?? "";
  }

  async function tab(page: Page, name: string): Promise<void> {
    await page.getByRole("tab", { name, exact: true }).click();
  }

  /** The keys a browser keystore holds, opened with the passphrase. */
  async function storedKeys(
    w: WatchedPage,
  ): Promise<Array<{ address: string; signingKey: `0x${string}`; encryptionPrivateKey: `0x${string}` }>> {
    const stored = await w.page.evaluate(
      () =>
        new Promise<Array<{ address: string; sealed: unknown }>>((resolve, reject) => {
          const req = indexedDB.open("medchain-keystore");
          req.onerror = () => reject(new Error("no keystore"));
          req.onsuccess = () => {
            const all = req.result.transaction("keys").objectStore("keys").getAll();
            all.onsuccess = () => resolve(all.result as Array<{ address: string; sealed: unknown }>);
          };
        }),
    );
    const out: Array<{ address: string; signingKey: `0x${string}`; encryptionPrivateKey: `0x${string}` }> = [];
    for (const s of stored) {
      const secret = JSON.parse(utf8Decode(await openSecret(s.sealed as SealedSecret, PASS, s.address))) as {
        signingKey: `0x${string}`;
        encryptionPrivateKey: `0x${string}`;
      };
      out.push({ address: s.address, ...secret });
    }
    return out;
  }

  /** The secrets a browser keystore holds (to look for them in the traffic). */
  async function secretsOf(w: WatchedPage): Promise<Buffer[]> {
    return (await storedKeys(w)).flatMap((k) => [
      Buffer.from(k.signingKey.slice(2), "hex"),
      Buffer.from(k.encryptionPrivateKey.slice(2), "hex"),
    ]);
  }

  before(async () => {
    t = await startTestNode();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it("a patient creates her keys in the browser; only the public key reaches the chain", async () => {
    patient = await open("/patient");
    await patient.page.getByRole("heading", { name: "My record", level: 1 }).waitFor();
    patientAddress = await keys(patient.page, "Alice");
    await patient.page.getByText("Your record is empty").waitFor();
    const account = await t.client.account(patientAddress as `0x${string}`);
    assert.match(account.encryptionKey ?? "", /^0x[0-9a-f]{64}$/);
  });

  it("a clinician she allowed imports a Synthea bundle through the clinician page", async () => {
    hospital = await open("/clinician");
    hospitalAddress = await keys(hospital.page, "St Mary hospital");
    // before she allows it, the page says so
    await hospital.page.getByLabel("Patient's address").fill(patientAddress);
    await hospital.page.getByRole("button", { name: "Open", exact: true }).click();
    await hospital.page.getByText("This patient has not allowed you to add records").waitFor();
    // the patient allows the hospital to add records
    await tab(patient.page, "Sharing");
    await patient.page.getByLabel("Allow a provider (address)").fill(hospitalAddress);
    await patient.page.getByRole("button", { name: "Allow", exact: true }).click();
    await patient.page.getByRole("button", { name: `Stop ${hospitalAddress} adding records` }).waitFor();
    // the hospital imports the fixture through its page
    await hospital.page.reload();
    await keys(hospital.page, "St Mary hospital", true);
    await hospital.page.getByLabel("FHIR Bundle (JSON)").setInputFiles(FIXTURE);
    await hospital.page.getByRole("button", { name: "Encrypt and add to the record" }).click();
    await hospital.page.getByText(`Added: ${resources.length} resources`).waitFor({ timeout: 60_000 });
    const batches = await t.client.listBatches(patientAddress as `0x${string}`);
    assert.deepEqual(
      batches.map((b) => [b.author, b.count]),
      [[hospitalAddress, resources.length]],
    );
  });

  it("the patient unlocks her keys and sees her timeline and a blood-pressure chart", async () => {
    await patient.page.reload(); // keys live in memory only: a reload locks them
    await keys(patient.page, "Alice", true);
    await patient.page.getByRole("heading", { name: `Record of ${PATIENT_NAME}` }).waitFor({ timeout: 30_000 });
    await tab(patient.page, "Timeline"); // the tab is kept in the URL: a reload reopened "Sharing"
    const timeline = patient.page.getByTestId("timeline");
    await timeline.waitFor();
    // the newest visit is open: its BMI with unit, typical range and flag
    const bmi = (newestBmi?.valueQuantity?.value ?? 0).toFixed(2);
    await timeline.getByText(`${bmi} kg/m²`).first().waitFor();
    assert.match(
      await timeline.locator(".visit").first().innerText(),
      /Body Mass Index: \d+\.\d+ kg\/m² \((above|below|in) range\) · typical adult range 18\.5–25 kg\/m²/,
    );
    // one visit per encounter of the bundle (claims are filed under their visit too)
    assert.equal(
      await timeline.locator(".visit").count(),
      resources.filter((r) => r.resourceType === "Encounter").length,
    );
    assert.equal(await timeline.getByText("Other records").count(), 0);
    await tab(patient.page, "Charts");
    const chart = patient.page.locator("figure[data-series='bp']");
    await chart.waitFor();
    assert.equal(await chart.locator("figcaption").innerText(), "Blood pressure (mmHg)");
    assert.equal(await chart.locator(".recharts-line-curve").count(), 2, "systolic and diastolic lines");
    await chart.getByText(`Show the numbers (${BP_COUNT})`).click();
    assert.equal(await chart.locator("tbody tr").count(), BP_COUNT);
  });

  it("she grants a GP, who reads exactly what the grant covers and is told what is hidden", async () => {
    gp = await open("/clinician");
    gpAddress = await keys(gp.page, "Dr Reader");
    await tab(patient.page, "Sharing");
    await patient.page.getByLabel("Share with (address)").fill(gpAddress);
    await patient.page.getByLabel("Their name").fill("Dr Reader");
    // default scope: vital signs and labs, conditions, medications, allergies, immunizations; purpose Treatment
    await patient.page.getByRole("button", { name: "Share", exact: true }).click();
    const created = await patient.page.getByText(/Grant #\d+ is active now/).innerText();
    grantId = /#(\d+)/.exec(created)?.[1] ?? "";
    await patient.page.locator(`tr[data-grant='${grantId}']`).getByText("Active").waitFor();

    await gp.page.getByLabel("Patient's address").fill(patientAddress);
    await gp.page.getByRole("button", { name: "Open", exact: true }).click();
    await gp.page.getByRole("button", { name: `Open the record with grant #${grantId}` }).click();
    const shared = gp.page.getByRole("heading", { name: /Record you can read \(\d+ resources\)/ });
    await shared.waitFor({ timeout: 30_000 });
    const visibleTypes = new Set(["Observation", "DiagnosticReport", "Condition", "Procedure", "Immunization"]);
    const expected = resources.filter((r) => visibleTypes.has(r.resourceType)).length;
    assert.equal(await shared.innerText(), `Record you can read (${expected} resources)`);
    const hidden = gp.page.getByTestId("hidden-sections");
    for (const c of ["demographics", "encounters", "financial", "administrative"]) {
      assert.match(
        await hidden.locator(`[data-hidden-category='${c}']`).innerText(),
        new RegExp(`not covered by grant #${grantId}`),
      );
    }
    // no claims in the GP's view
    assert.equal(await gp.page.getByRole("button", { name: /^Claims/ }).count(), 0);
  });

  it("she revokes the grant; the GP's next read is refused by the keepers", async () => {
    await tab(patient.page, "Sharing");
    await patient.page.getByRole("button", { name: `Revoke grant ${grantId}` }).click();
    await patient.page.locator(`tr[data-grant='${grantId}']`).getByText("Revoked").waitFor();
    await gp.page.getByRole("button", { name: "Read the record again" }).click();
    await gp.page.locator("[data-refusal='GrantRevoked']").waitFor({ timeout: 30_000 });
    assert.equal(
      await gp.page.getByRole("heading", { name: /Record you can read/ }).count(),
      0,
      "the shared record is gone",
    );
  });

  it("an ER clinician opens break-glass with a reason; the patient sees the emergency", async () => {
    const er = await open("/clinician");
    const erAddress = await keys(er.page, "ER doctor");
    // the clinician role is earned with a licence from an accredited medical board (identity issue)
    const erKey = (await storedKeys(er)).find((k) => k.address.toLowerCase() === erAddress.toLowerCase());
    assert.ok(erKey !== undefined, "the ER doctor's key is in her browser keystore");
    await licenseClinician(t, { account: privateKeyToAccount(erKey.signingKey) });
    await er.page.getByLabel("Patient's address").fill(patientAddress);
    await er.page.getByRole("button", { name: "Open", exact: true }).click();
    await er.page.getByLabel("Reason").fill("unconscious after a road accident, allergies unknown");
    await er.page.getByRole("button", { name: "Open emergency access" }).click();
    await er.page.getByRole("heading", { name: /Record you can read \(\d+ resources\)/ }).waitFor({ timeout: 30_000 });
    await patient.page.reload();
    await keys(patient.page, "Alice", true);
    await patient.page.getByText("Emergency access to your record").waitFor();
  });

  it("the access log shows the release, the refusal and the emergency, each verified against the chain", async () => {
    await tab(patient.page, "Access log");
    const table = patient.page.getByTestId("audit-table");
    await table.waitFor({ timeout: 30_000 });
    const rows = table.locator("tbody tr");
    const all = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({
        outcome: tr.getAttribute("data-outcome"),
        status: tr.getAttribute("data-status"),
        bg: tr.getAttribute("data-breakglass"),
        who: tr.querySelector("td:nth-child(2)")?.textContent ?? "",
      })),
    );
    assert.ok(all.length >= 3, JSON.stringify(all));
    assert.ok(
      all.every((r) => r.status === "verified"),
      JSON.stringify(all),
    );
    assert.ok(
      all.some((r) => r.outcome === "released" && r.who.includes("Dr Reader")),
      "the GP's release, under the name she gave",
    );
    assert.ok(
      all.some((r) => r.outcome === "GrantRevoked" && r.who.includes("Dr Reader")),
      "the GP's refused read",
    );
    assert.ok(
      all.some((r) => r.bg === "true" && r.outcome === "released"),
      "the emergency release",
    );
    await table.getByText("Emergency").first().waitFor();
    assert.ok((await table.getByText("✓ Verified").count()) === all.length);
  });

  it("she exports her record as a FHIR Bundle", async () => {
    await tab(patient.page, "Export and erase");
    const [download] = await Promise.all([
      patient.page.waitForEvent("download"),
      patient.page.getByRole("button", { name: /Download FHIR Bundle/ }).click(),
    ]);
    const bundle = JSON.parse(readFileSync(await download.path(), "utf8")) as Bundle;
    assert.equal(bundle.resourceType, "Bundle");
    assert.equal(bundle.entry?.length, resources.length);
    assert.deepEqual(new Set(bundle.entry?.map((e) => e.resource?.id)), new Set(resources.map((r) => r.id)));
  });

  it("a pharmacist pastes a cloned serial and sees the clone verdict with the journey", async () => {
    const [maker, wholesaler, pharmacy, rogue] = (await Promise.all(
      Array.from({ length: 4 }, () => newIdentity(t.client)),
    )) as [RecordKeys, RecordKeys, RecordKeys, RecordKeys];
    await registerPartner(t, maker.account.address, "manufacturer", MAKER_GLN, "030001");
    await registerPartner(t, wholesaler.account.address, "wholesaler", WHOLESALER_GLN);
    await registerPartner(t, pharmacy.account.address, "dispenser", PHARMACY_GLN);
    await registerPartner(t, rogue.account.address, "dispenser", ROGUE_GLN);
    await captureDocument(
      t.client,
      maker.account,
      readFileSync(`${FIXTURES}/dscsa/GS1_US_Pharma_Example_2_2_1_1.xml`, "utf8"),
    );
    await captureDocument(
      t.client,
      wholesaler.account,
      epcis([
        ev("receiving", "OBSERVE", "2023-04-02T08:00:00Z", ["urn:epc:id:sscc:030001.41234567890"], WHOLESALER_GLN),
        ev("shipping", "OBSERVE", "2023-04-03T08:00:00Z", [UNIT(11)], WHOLESALER_GLN, {
          destinationList: [{ type: "owning_party", destination: sgln(PHARMACY_GLN) }],
        }),
      ]),
    );
    await captureDocument(
      t.client,
      pharmacy.account,
      epcis([
        ev("receiving", "OBSERVE", "2023-04-04T08:00:00Z", [UNIT(11)], PHARMACY_GLN),
        ev("dispensing", "DELETE", "2023-04-05T08:00:00Z", [UNIT(11)], PHARMACY_GLN),
      ]),
    );
    await captureDocument(
      t.client,
      rogue.account,
      epcis([ev("dispensing", "DELETE", "2023-04-06T08:00:00Z", [UNIT(11)], ROGUE_GLN)]),
    );

    const ph = await open("/medicine");
    await ph.page.getByLabel("Code on the pack").fill(UNIT(11));
    await ph.page.getByRole("button", { name: "Check", exact: true }).click();
    const verdict = ph.page.locator("[data-verdict]");
    await verdict.waitFor({ timeout: 30_000 });
    assert.equal(await verdict.getAttribute("data-verdict"), "dispensed");
    assert.equal(
      (await verdict.locator("#verdict-h").textContent())?.replace(/\s+/g, " ").trim(),
      "✗ Already dispensed: possible copy",
    );
    const codes = await verdict
      .locator("[data-code]")
      .evaluateAll((lis) => lis.map((li) => li.getAttribute("data-code")));
    assert.ok(codes.includes("CLONED_SERIAL"), JSON.stringify(codes));
    const journey = ph.page.getByTestId("journey");
    await journey.getByText("Made and serialized").first().waitFor();
    await journey.getByText("Dispensed").first().waitFor();
    // every proof is checked in the browser against the root on the ledger
    await ph.page.waitForFunction(
      () =>
        document.querySelectorAll("[data-testid='journey'] li").length > 0 &&
        document.querySelectorAll("[data-testid='journey'] .badge.plain").length === 0,
    );
    const items = await journey.locator("li").count();
    assert.equal(await journey.getByText("✓ Proof verified").count(), items);
  });

  it("keyboard only: the skip link leads to the content, and a medicine is checked without a mouse", async () => {
    const kb = await open("/medicine");
    await kb.page.getByLabel("Code on the pack").waitFor(); // the page's code has loaded
    await kb.page.keyboard.press("Tab");
    assert.equal(await kb.page.evaluate(() => document.activeElement?.textContent), "Skip to content");
    await kb.page.keyboard.press("Enter");
    assert.equal(await kb.page.evaluate(() => document.activeElement?.id), "main");
    // Tab through the page to the code field, type, submit with Enter
    const focusedLabel = (): Promise<string> =>
      kb.page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent ?? "");
    for (let i = 0; i < 15 && !(await focusedLabel()).startsWith("Code on the pack"); i++)
      await kb.page.keyboard.press("Tab");
    assert.match(await focusedLabel(), /^Code on the pack/, "the code field is reachable with Tab");
    await kb.page.keyboard.type(UNIT(11));
    await kb.page.keyboard.press("Enter");
    await kb.page.locator("[data-verdict='dispensed']").waitFor();
  });

  it("a manufacturer captures events and recalls a lot on the partner page; its proofs check out", async () => {
    const partner = await open("/partner");
    const address = await keys(partner.page, "Acme Pharma");
    await partner.page.getByText("Not a registered trading partner").waitFor();
    const gln = withCheckDigit("070001111111");
    await registerPartner(t, address, "manufacturer", gln, "070001");
    await partner.page.reload();
    await keys(partner.page, "Acme Pharma", true);
    await partner.page.getByText(`Manufacturer · GLN ${gln}`).waitFor();
    const doc = epcis([
      ev(
        "commissioning",
        "ADD",
        "2026-01-10T08:00:00Z",
        ["urn:epc:id:sgtin:070001.0054321.1", "urn:epc:id:sgtin:070001.0054321.2"],
        gln,
        { ilmd: { "cbvmda:itemExpirationDate": "2030-12-31", "cbvmda:lotNumber": "A1" } },
      ),
    ]);
    await partner.page.getByLabel("or paste it").fill(JSON.stringify(doc));
    await partner.page.getByRole("button", { name: "Validate and anchor" }).click();
    await partner.page.getByText(/Anchored 1 event as batch #\d+/).waitFor({ timeout: 30_000 });
    const anchor = partner.page.locator("[data-anchor]").first();
    await anchor.locator("summary").click();
    await anchor.getByText("✓ All 1 proofs verified in this browser").waitFor();
    const gtin = withCheckDigit("0070001054321");
    await partner.page.getByLabel("GTIN (14 digits)").fill(gtin);
    await partner.page.getByLabel("Your GS1 company prefix").fill("070001");
    await partner.page.getByLabel("Lot").fill("A1");
    await partner.page.getByLabel("Reason (public)").fill("labelling error");
    await partner.page.getByRole("button", { name: "Recall this lot" }).click();
    await partner.page.getByTestId("recalls").getByText("labelling error").waitFor({ timeout: 30_000 });
  });

  it("each main page: screenshots at desktop and phone width, no serious accessibility violation", async () => {
    const shots: Array<[WatchedPage, string, () => Promise<void>]> = [
      [await open("/"), "home", async () => undefined],
      [
        patient,
        "patient-timeline",
        () => tab(patient.page, "Timeline").then(() => patient.page.getByTestId("timeline").waitFor()),
      ],
      [
        patient,
        "patient-charts",
        () => tab(patient.page, "Charts").then(() => patient.page.locator("figure[data-series='bp']").waitFor()),
      ],
      [
        patient,
        "patient-sharing",
        () => tab(patient.page, "Sharing").then(() => patient.page.locator("[data-grant]").first().waitFor()),
      ],
      [
        patient,
        "patient-audit",
        () => tab(patient.page, "Access log").then(() => patient.page.getByTestId("audit-table").waitFor()),
      ],
      [
        hospital,
        "clinician",
        async () => {
          await hospital.page.getByRole("button", { name: /Open records you added|Read the record again/ }).click();
          await hospital.page.getByRole("heading", { name: /Record you can read/ }).waitFor({ timeout: 30_000 });
        },
      ],
      [pages.find((p) => p.page.url().includes("/medicine")) as WatchedPage, "medicine", async () => undefined],
      [pages.find((p) => p.page.url().includes("/partner")) as WatchedPage, "partner", async () => undefined],
    ];
    for (const [w, name, prepare] of shots) {
      await w.page.setViewportSize(VIEWPORTS.desktop);
      await prepare();
      await screenshot(w.page, `${name}-desktop`);
      await assertAccessible(w.page, `${name} (desktop)`);
      await w.page.setViewportSize(VIEWPORTS.phone);
      await screenshot(w.page, `${name}-phone`);
      await assertAccessible(w.page, `${name} (phone)`);
      // nothing wider than the phone screen
      const overflow = await w.page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const wide = [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > width + 1)
          .slice(0, 12)
          .map(
            (e) =>
              `${e.tagName.toLowerCase()}.${e.className}[${Math.round(e.getBoundingClientRect().right)}]${getComputedStyle(e).position}`,
          );
        return { by: document.documentElement.scrollWidth - width, wide };
      });
      assert.ok(overflow.by <= 1, `${name} overflows the phone width by ${overflow.by}px: ${overflow.wide.join(", ")}`);
    }
  });

  it("she erases her record: crypto-shredded, nobody reads it again", async () => {
    await patient.page.setViewportSize(VIEWPORTS.desktop);
    await tab(patient.page, "Export and erase");
    await patient.page.getByRole("button", { name: /Erase the batch added/ }).click();
    await patient.page.getByRole("button", { name: "Yes, erase for good" }).click();
    await patient.page.getByText("Erased 1 batch.").waitFor({ timeout: 30_000 });
    await tab(patient.page, "Timeline");
    await patient.page.getByText("Your record is empty").waitFor({ timeout: 30_000 });
    const batches = await t.client.listBatches(patientAddress as `0x${string}`);
    assert.deepEqual(
      batches.map((b) => b.erased),
      [true],
    );
  });

  it("no request ever carried a plaintext resource value or a private key; no page logged an error", async () => {
    const keys = [...(await secretsOf(patient)), ...(await secretsOf(hospital)), ...(await secretsOf(gp))];
    assert.equal(keys.length, 6, "signing and encryption keys of three browser identities");
    const plaintext = [
      PATIENT?.name?.[0]?.family ?? "Kreiger",
      PATIENT?.name?.[0]?.given?.[0] ?? "Clemente",
      String(newestBmi?.valueQuantity?.value),
      "Body Mass Index",
      "Encounter for check up",
      ...resources.slice(0, 20).map((r) => r.id ?? ""),
      "road accident",
      "Dr Reader", // the break-glass reason (only its hash goes out) and a name kept in the address book
    ];
    const needles: Buffer[] = [
      ...keys,
      ...keys.map((k) => Buffer.from(k.toString("hex"))),
      ...keys.map((k) => Buffer.from(k.toString("base64"))),
      ...plaintext.map((p) => Buffer.from(p)),
    ];
    /** The body, plus every base64 string inside it decoded (ciphertext blobs travel as base64). */
    const views = (body: string): Buffer[] => {
      const out = [Buffer.from(body, "latin1")];
      for (const m of body.matchAll(/"([A-Za-z0-9+/]{16,}={0,2})"/g)) out.push(Buffer.from(m[1] ?? "", "base64"));
      return out;
    };
    let bodies = 0;
    for (const w of pages) {
      for (const r of w.requests) {
        const all = [Buffer.from(r.url), ...(r.body === null ? [] : views(r.body))];
        if (r.body !== null) bodies += 1;
        for (const n of needles) {
          assert.ok(
            all.every((b) => b.indexOf(n) === -1),
            `a request to ${r.url.split("?")[0]} carried a private key or a plaintext value`,
          );
        }
      }
    }
    assert.ok(bodies > 20, `request bodies were captured (${bodies})`);
    assert.ok(
      pages.some((w) => w.requests.some((r) => r.url.endsWith("/blobs") && (r.body?.length ?? 0) > 10_000)),
      "the ciphertext upload was captured",
    );
    assert.deepEqual(
      pages.flatMap((w) => w.errors),
      [],
    );
    // HTTP errors are only the expected answers of the flows above (Chromium logs each one in the console too):
    // 404 while an import checks that its batch is new, and 403 from each keeper refusing the revoked grant.
    const failed = pages
      .flatMap((w) => w.failed)
      .map(
        (f) =>
          `${f.status} ${f.method} ` +
          `${new URL(f.url).pathname.replace(/0x[0-9a-f]{64}/, "<batch>").replace(/\/\d+\//, "/<n>/")}`,
      );
    assert.deepEqual(
      [...new Set(failed)].sort(),
      ["403 POST /keepers/<n>/release", "404 GET /records/<batch>"],
      failed.join("\n"),
    );
  });
});
