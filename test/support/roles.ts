/**
 * Operator actions the browser tests need, in one place: the node's operator
 * registers trading partners through the admin routes (bearer token in
 * `<dataDir>/admin-token`). The clinician role is earned with a credential
 * (`licenseClinician` in `identity.ts`).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestNode } from "./testNode.ts";

async function admin(t: TestNode, path: string, body: unknown): Promise<void> {
  const token = readFileSync(join(t.dataDir, "admin-token"), "utf8").trim();
  const res = await fetch(`${t.node.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.text());
}

/** Registers `address` as a trading partner of `kind` with `gln` (and, for a manufacturer, its GS1 company prefix). */
export async function registerPartner(
  t: TestNode,
  address: string,
  kind: "manufacturer" | "wholesaler" | "dispenser",
  gln: string,
  companyPrefix?: string,
): Promise<void> {
  await admin(t, "/admin/partners", {
    account: address,
    kind,
    gln,
    ...(companyPrefix === undefined ? {} : { companyPrefix }),
  });
}
