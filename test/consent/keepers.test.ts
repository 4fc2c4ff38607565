/**
 * "No key, no access", on a real node with its three keepers (threshold 2):
 * a generated suite of over 1,000 unauthorized key requests (revoked,
 * expired, not yet valid, wrong scope, wrong purpose, forged or replayed
 * signature, expired request, another patient's grant, not the grantee,
 * erased record, break-glass beyond its scope or purpose, fewer than k
 * keepers reachable) releases nothing and each gets its exact error code,
 * while the matching authorized requests all succeed. Revocation takes
 * effect on every keeper for the very next request.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { MedchainError } from "../../src/kernel/errors.ts";
import { NodeClient } from "../../src/sdk/nodeClient.ts";
import { importBundle } from "../../src/records/sdk/importBundle.ts";
import { exportRecord } from "../../src/records/sdk/exportRecord.ts";
import { shredBatch } from "../../src/records/sdk/shredBatch.ts";
import { authorizeWriter } from "../../src/records/sdk/writers.ts";
import { categoryMask, type CategoryName } from "../../src/kernel/categories.ts";
import { breakGlass, grantAccess, revokeGrant } from "../../src/consent/sdk/grants.ts";
import type { PurposeCode } from "../../src/kernel/purposes.ts";
import {
  requestCategoryKey,
  signKeyRequest,
  type CategoryKeyRequest,
} from "../../src/keeper/sdk/requestCategoryKey.ts";
import type { RecordKeys } from "../../src/kernel/accountKeys.ts";
import type { AuditEvent } from "../../src/audit/sdk/auditEvent.ts";
import { newIdentity, startTestNode, type TestNode } from "../support/testNode.ts";
import { expectCode } from "../support/assertions.ts";
import { licenseClinician } from "../support/identity.ts";
import { readJson, syntheaPatientFiles, smallSyntheaFile } from "../support/fixtures.ts";

const DAY = 86400;
const now = (): number => Math.floor(Date.now() / 1000);

describe("keepers: no key, no access", () => {
  let t: TestNode;
  let patient: RecordKeys,
    other: RecordKeys,
    clinic: RecordKeys,
    reader: RecordKeys,
    stranger: RecordKeys,
    doctor: RecordKeys;
  let batch: `0x${string}`, otherBatch: `0x${string}`, erasedBatch: `0x${string}`;
  const grants: Record<string, string> = {};

  before(async () => {
    t = await startTestNode();
    [patient, other, clinic, reader, stranger, doctor] = (await Promise.all(
      Array.from({ length: 6 }, () => newIdentity(t.client)),
    )) as [RecordKeys, RecordKeys, RecordKeys, RecordKeys, RecordKeys, RecordKeys];
    await authorizeWriter(t.client, patient, clinic.account.address);
    batch = (
      await importBundle({
        node: t.client,
        bundle: readJson(smallSyntheaFile()),
        owner: patient.account.address,
        author: clinic,
      })
    ).batchId;
    otherBatch = (
      await importBundle({
        node: t.client,
        bundle: readJson(syntheaPatientFiles()[1] ?? ""),
        owner: other.account.address,
        author: other,
      })
    ).batchId;
    erasedBatch = (
      await importBundle({
        node: t.client,
        bundle: readJson(syntheaPatientFiles()[2] ?? ""),
        owner: patient.account.address,
        author: patient,
      })
    ).batchId;
    const g = async (
      by: RecordKeys,
      to: RecordKeys,
      categories: CategoryName[],
      purposes: PurposeCode[],
      notBefore: number,
      expiresAt: number,
    ): Promise<string> =>
      (
        await grantAccess(t.client, by.account, {
          patient: by.account.address,
          grantee: to.account.address,
          categories,
          purposes,
          notBefore,
          expiresAt,
        })
      ).grantId;
    grants.ok = await g(patient, reader, ["observations", "clinical"], ["TREAT"], now() - 60, now() + 30 * DAY);
    grants.revoked = await g(patient, reader, ["observations", "clinical"], ["TREAT"], now() - 60, now() + 30 * DAY);
    await revokeGrant(t.client, patient.account, grants.revoked);
    grants.expiring = await g(patient, reader, ["observations"], ["TREAT"], now() - 60, now() + 3);
    grants.future = await g(patient, reader, ["observations"], ["TREAT"], now() + DAY, now() + 2 * DAY);
    grants.otherPatient = await g(other, reader, ["observations", "clinical"], ["TREAT"], now() - 60, now() + 30 * DAY);
    // a clinician licensed by an accredited medical board opens break-glass on the patient, for immunizations and
    // clinical only
    await licenseClinician(t, doctor);
    grants.breakGlass = (
      await breakGlass(
        t.client,
        doctor.account,
        patient.account.address,
        ["immunizations", "clinical"],
        "unconscious patient in the ER",
      )
    ).grantId;
    await shredBatch(t.client, patient, erasedBatch);
    await new Promise((r) => setTimeout(r, 4_000)); // let grants.expiring expire
  });
  after(async () => t?.close());

  it("the authorized requests succeed and open the data", async () => {
    const r = await exportRecord({
      node: t.client,
      reader,
      owner: patient.account.address,
      batchIds: [batch],
      access: { grantId: grants.ok ?? "", purpose: "TREAT", categories: categoryMask(["observations", "clinical"]) },
    });
    const types = new Set((r.bundle.entry ?? []).map((e) => e.resource?.resourceType));
    assert.ok(types.has("Observation") && types.has("Condition"), "observations and conditions readable");
    assert.ok(!types.has("Patient") && !types.has("Claim"), "nothing outside the grant");
    assert.ok(
      r.hidden.some((h) => h.category === "demographics"),
      "the hidden categories are reported",
    );
    // break-glass within its scope and purpose opens the immunizations
    const med = await requestCategoryKey(t.client, doctor, {
      batchId: batch,
      category: "immunizations",
      grantId: grants.breakGlass ?? "",
      purpose: "ETREAT",
    });
    assert.equal(med.length, 32);
  });

  it("over 1,000 unauthorized requests release nothing, each with its exact code", async () => {
    type Attempt = { name: string; code: string; run: () => Promise<unknown> };
    const base = (over: Partial<CategoryKeyRequest> = {}): CategoryKeyRequest => ({
      batchId: batch,
      category: "observations",
      grantId: grants.ok ?? "",
      purpose: "TREAT",
      ...over,
    });
    const kinds: Array<() => Attempt> = [
      () => ({
        name: "revoked",
        code: "GrantRevoked",
        run: () => requestCategoryKey(t.client, reader, base({ grantId: grants.revoked })),
      }),
      () => ({
        name: "expired",
        code: "GrantExpired",
        run: () => requestCategoryKey(t.client, reader, base({ grantId: grants.expiring })),
      }),
      () => ({
        name: "not yet valid",
        code: "GrantNotYetValid",
        run: () => requestCategoryKey(t.client, reader, base({ grantId: grants.future })),
      }),
      () => ({
        name: "wrong scope",
        code: "ScopeNotGranted",
        run: () => requestCategoryKey(t.client, reader, base({ category: "demographics" })),
      }),
      () => ({
        name: "wrong purpose",
        code: "PurposeNotGranted",
        run: () => requestCategoryKey(t.client, reader, base({ purpose: "HRESCH" })),
      }),
      () => ({
        name: "not the grantee",
        code: "NotGrantee",
        run: () => requestCategoryKey(t.client, stranger, base()),
      }),
      () => ({
        name: "another patient's grant",
        code: "AccessDenied",
        run: () => requestCategoryKey(t.client, reader, base({ grantId: grants.otherPatient })),
      }),
      () => ({
        name: "grant for another record",
        code: "AccessDenied",
        run: () => requestCategoryKey(t.client, reader, base({ batchId: otherBatch })),
      }),
      () => ({
        name: "erased record",
        code: "RecordErased",
        run: () => requestCategoryKey(t.client, reader, base({ batchId: erasedBatch })),
      }),
      () => ({
        name: "unknown grant",
        code: "GrantNotFound",
        run: () => requestCategoryKey(t.client, reader, base({ grantId: "999999" })),
      }),
      () => ({
        name: "break-glass beyond its scope",
        code: "ScopeNotGranted",
        run: () => requestCategoryKey(t.client, doctor, base({ grantId: grants.breakGlass, purpose: "ETREAT" })),
      }),
      () => ({
        name: "break-glass for another purpose",
        code: "PurposeNotGranted",
        run: () =>
          requestCategoryKey(
            t.client,
            doctor,
            base({ grantId: grants.breakGlass, category: "immunizations", purpose: "TREAT" }),
          ),
      }),
      () => ({
        name: "forged signature",
        code: "InvalidSignature",
        run: async () => {
          const s = await signKeyRequest(t.client, stranger, base());
          return requestCategoryKey(t.client, reader, base(), {
            request: { ...s.request, requester: reader.account.address.toLowerCase() as `0x${string}` },
            signature: s.signature,
          });
        },
      }),
      () => ({
        name: "tampered request",
        code: "InvalidSignature",
        run: async () => {
          const s = await signKeyRequest(t.client, reader, base());
          return requestCategoryKey(t.client, reader, base(), {
            request: { ...s.request, category: 0 },
            signature: s.signature,
          });
        },
      }),
      () => ({
        name: "expired request",
        code: "RequestExpired",
        run: async () => {
          const s = await signKeyRequest(t.client, reader, base({ ttl: -5 }));
          return requestCategoryKey(t.client, reader, base(), s);
        },
      }),
      () => ({
        name: "replayed request",
        code: "RequestReplayed",
        run: async () => {
          const s = await signKeyRequest(t.client, reader, base());
          const key = await requestCategoryKey(t.client, reader, base(), s); // the authorized original
          assert.ok(key instanceof Uint8Array && key.length === 32);
          authorizedOk += 1;
          return requestCategoryKey(t.client, reader, base(), s);
        },
      }),
      () => ({
        name: "fewer than k keepers",
        code: "KeepersUnavailable",
        run: () => {
          // a network partition: only one keeper is reachable
          const partitioned = new NodeClient(t.node.url, {
            fetch: (input, init) =>
              /\/keepers\/[12]\//.test(String(input))
                ? Promise.reject(new TypeError("connect ECONNREFUSED"))
                : fetch(input, init),
          });
          return requestCategoryKey(partitioned, reader, base());
        },
      }),
    ];
    let authorizedOk = 0;
    const attempts: Attempt[] = [];
    for (let i = 0; attempts.length < 1020; i++) attempts.push((kinds[i % kinds.length] as () => Attempt)());
    const released = releaseCounts();
    const results = new Map<string, number>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < attempts.length) {
        const a = attempts[next++] as Attempt;
        const err = await expectCode(a.run(), a.code).catch((e: unknown) => {
          throw new Error(`${a.name}: ${String(e)}`);
        });
        assert.ok(err instanceof MedchainError);
        results.set(a.name, (results.get(a.name) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    assert.equal(
      [...results.values()].reduce((a, b) => a + b, 0),
      1020,
    );
    assert.equal(results.size, kinds.length);
    // Nothing was released except to authorized requests (the originals of the replays, and the one
    // keeper a partitioned client reached): every release since the start is the reader's, under the
    // valid grant, for the granted category and purpose.
    await new Promise((r) => setTimeout(r, 300)); // let the last third-keeper answers land
    const releases = releasedSince(released);
    assert.ok(
      releases.length >= authorizedOk * 2,
      `${releases.length} releases for ${authorizedOk} authorized originals`,
    );
    assert.ok(releases.length <= authorizedOk * 3 + (results.get("fewer than k keepers") ?? 0));
    for (const e of releases) {
      assert.deepEqual(
        [e.requester, e.grantId, e.category, e.purpose, e.batchId],
        [reader.account.address.toLowerCase(), grants.ok, "observations", "TREAT", batch],
      );
    }
    // and the authorized counterpart of every kind succeeds
    const ok = await requestCategoryKey(t.client, reader, base());
    assert.equal(ok.length, 32);
  });

  it("revocation takes effect on every keeper for the very next request", async () => {
    const id = (
      await grantAccess(t.client, patient.account, {
        patient: patient.account.address,
        grantee: reader.account.address,
        categories: ["observations"],
        purposes: ["TREAT"],
        expiresAt: now() + DAY,
      })
    ).grantId;
    const req = { batchId: batch, category: "observations" as const, grantId: id, purpose: "TREAT" as const };
    assert.equal((await requestCategoryKey(t.client, reader, req)).length, 32);
    await revokeGrant(t.client, patient.account, id);
    const net = await t.client.network();
    for (const k of net.keepers) {
      const s = await signKeyRequest(t.client, reader, req);
      await expectCode(t.client.keeperRelease(k, s), "GrantRevoked");
    }
  });

  /** Per keeper, how many release events it has logged so far. */
  function releaseCounts(): number[] {
    return t.node.ctx.keepers.map(
      (k) =>
        [patient, other].flatMap((p) => k.auditFor(p.account.address)).filter((e) => e.event.outcome === "released")
          .length,
    );
  }

  /** Release events logged after `counts` (per keeper). */
  function releasedSince(counts: number[]): AuditEvent[] {
    return t.node.ctx.keepers.flatMap((k, i) =>
      [patient, other]
        .flatMap((p) => k.auditFor(p.account.address))
        .filter((e) => e.event.outcome === "released")
        .map((e) => e.event)
        .sort((a, b) => a.seq - b.seq)
        .slice(counts[i] ?? 0),
    );
  }
});
