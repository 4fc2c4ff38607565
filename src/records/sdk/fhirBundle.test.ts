import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES } from "../../../test/support/fixtures.ts";
import { MedchainError } from "../../kernel/errors.ts";
import { parseBundleJson, validateBundle } from "./fhirBundle.ts";
import { categoryOf, categoryMask, categoriesOfMask } from "../../kernel/categories.ts";

const FIX = FIXTURES;

function refused(value: unknown, code: string, path?: string): void {
  assert.throws(
    () => validateBundle(value),
    (e: unknown) => {
      assert.ok(e instanceof MedchainError);
      assert.equal(e.code, code);
      if (path !== undefined) assert.equal(e.details?.path, path);
      return true;
    },
  );
}

const entry = (resource: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  fullUrl: `urn:uuid:${Math.random()}`,
  resource,
  ...extra,
});

describe("validateBundle", () => {
  it(
    "accepts every Synthea bundle, keeping entry order; refuses the " +
      "R4 example transaction (DELETE/GET entries carry no resource)",
    () => {
      const dir = join(FIX, "fhir-synthea");
      for (const f of readdirSync(dir)) {
        const b = JSON.parse(readFileSync(join(dir, f), "utf8")) as { entry: Array<{ resource: { id: string } }> };
        const out = validateBundle(b);
        assert.equal(out.length, b.entry.length, f);
        assert.equal(out[0]?.resource.id, b.entry[0]?.resource.id);
      }
      const tx = JSON.parse(readFileSync(join(FIX, "fhir-examples", "bundle-transaction.json"), "utf8")) as unknown;
      assert.throws(
        () => validateBundle(tx),
        (e: unknown) =>
          e instanceof MedchainError && e.code === "InvalidFhir" && e.details?.path === "Bundle.entry[5].resource",
      );
    },
  );

  it("accepts collection and searchset bundles without requests", () => {
    const r = { resourceType: "Observation", id: "o1", status: "final", code: { text: "x" } };
    assert.equal(validateBundle({ resourceType: "Bundle", type: "collection", entry: [entry(r)] }).length, 1);
    assert.equal(
      validateBundle({ resourceType: "Bundle", type: "searchset", entry: [entry(r, { search: { mode: "match" } })] })
        .length,
      1,
    );
  });

  it("refuses what is not a bundle, with NotFhirBundle", () => {
    refused({ hello: 1 }, "NotFhirBundle");
    refused([], "NotFhirBundle");
    refused(null, "NotFhirBundle");
    refused({ resourceType: "Patient", id: "p" }, "NotFhirBundle");
    assert.throws(
      () => parseBundleJson("{nope"),
      (e: unknown) => e instanceof MedchainError && e.code === "NotFhirBundle",
    );
  });

  it("refuses malformed bundles with InvalidFhir naming the path, never a value", () => {
    const ok = { resourceType: "Patient", id: "p1" };
    refused({ resourceType: "Bundle", type: "message", entry: [entry(ok)] }, "InvalidFhir", "Bundle.type");
    refused({ resourceType: "Bundle", type: "collection", entry: [] }, "InvalidFhir", "Bundle.entry");
    refused({ resourceType: "Bundle", type: "collection", entry: [entry(ok), "x"] }, "InvalidFhir", "Bundle.entry[1]");
    refused(
      { resourceType: "Bundle", type: "collection", entry: [{ fullUrl: "a" }] },
      "InvalidFhir",
      "Bundle.entry[0].resource",
    );
    refused(
      { resourceType: "Bundle", type: "collection", entry: [entry({ resourceType: "Martian" })] },
      "InvalidFhir",
      "Bundle.entry[0].resource.resourceType",
    );
    refused(
      { resourceType: "Bundle", type: "collection", entry: [entry({ resourceType: "Patient", id: "Jane Doe!" })] },
      "InvalidFhir",
      "Bundle.entry[0].resource.id",
    );
    refused(
      {
        resourceType: "Bundle",
        type: "collection",
        entry: [
          { fullUrl: "u", resource: ok },
          { fullUrl: "u", resource: ok },
        ],
      },
      "InvalidFhir",
      "Bundle.entry[1].fullUrl",
    );
    refused(
      { resourceType: "Bundle", type: "transaction", entry: [entry(ok)] },
      "InvalidFhir",
      "Bundle.entry[0].request",
    );
    refused(
      { resourceType: "Bundle", type: "collection", entry: [entry({ resourceType: "Bundle", type: "collection" })] },
      "InvalidFhir",
    );
    try {
      validateBundle({
        resourceType: "Bundle",
        type: "collection",
        entry: [entry({ resourceType: "Patient", id: "Secret Name" })],
      });
    } catch (e) {
      assert.ok(e instanceof MedchainError && !JSON.stringify(e.toJSON()).includes("Secret"));
    }
  });
});

describe("categories", () => {
  it("are coarse and round-trip through the on-chain bitmask", () => {
    assert.equal(categoryOf("Observation"), "observations");
    assert.equal(categoryOf("DiagnosticReport"), "observations");
    assert.equal(categoryOf("Claim"), "financial");
    assert.equal(categoryOf("Basic"), "other");
    const mask = categoryMask(["observations", "allergies", "demographics"]);
    assert.equal(mask, (1 << 3) | (1 << 6) | 1);
    assert.deepEqual(categoriesOfMask(mask), ["demographics", "observations", "allergies"]);
  });
});
