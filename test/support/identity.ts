/**
 * Test support: the consortium's governance on a test node, the way members
 * use it (gasless propose and vote through the SDK; queue and execute by the
 * node), and the credential path to the clinician role (an accredited board
 * issues a licence, the clinician presents it). Waits for proposal states by
 * polling the node, never for fixed times.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Account, LocalAccount } from "viem";
import { MedchainError } from "../../src/kernel/errors.ts";
import { castVote, proposeTrustChange } from "../../src/identity/sdk/govClient.ts";
import type { ProposalInfo } from "../../src/identity/sdk/schemas.ts";
import type { TrustTypeName } from "../../src/identity/sdk/trustTypes.ts";
import { CREDENTIAL_TYPES } from "../../src/identity/sdk/index.ts";
import { issueAndRegister, presentToNode } from "../../src/identity/sdk/credentialClient.ts";
import type { NodeClient } from "../../src/sdk/nodeClient.ts";
import type { RecordKeys } from "../../src/kernel/accountKeys.ts";
import { newKeys, type TestNode } from "./testNode.ts";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls a proposal until `done` holds (the node reads its state as of now). */
export async function waitForProposal(
  client: NodeClient,
  id: string,
  done: (p: ProposalInfo) => boolean,
): Promise<ProposalInfo> {
  for (;;) {
    const p = await client.govProposal(id);
    if (done(p)) return p;
    await sleep(200);
  }
}

/** Executes a queued proposal as soon as its timelock allows (retrying while the node answers TimelockNotReady). */
export async function executeWhenReady(client: NodeClient, id: string): Promise<ProposalInfo> {
  for (;;) {
    try {
      return await client.executeProposal(id);
    } catch (err) {
      if (!(err instanceof MedchainError && err.code === "TimelockNotReady")) throw err;
      await sleep(200);
    }
  }
}

/** Mints founding members through the operator's genesis route. */
export async function genesis(t: TestNode, members: readonly `0x${string}`[]): Promise<void> {
  const token = readFileSync(`${t.dataDir}/admin-token`, "utf8").trim();
  const res = await fetch(`${t.node.url}/admin/gov/genesis`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ members }),
  });
  assert.equal(res.status, 200, await res.text());
}

/** Proposes a change as `member`, votes for it, waits, queues and executes it; returns the executed proposal. */
export async function passTrustChange(
  client: NodeClient,
  member: Account,
  p: { action: "accredit" | "deaccredit"; issuer: `0x${string}`; type: TrustTypeName },
): Promise<ProposalInfo> {
  const { proposalId } = await proposeTrustChange(client, member, p);
  return passProposal(client, [member], proposalId);
}

/**
 * Votes for a proposal as each of `voters` (in turn), waits for the vote to end, queues and executes it; returns the
 * executed proposal.
 */
export async function passProposal(
  client: NodeClient,
  voters: readonly Account[],
  proposalId: string,
): Promise<ProposalInfo> {
  await waitForProposal(client, proposalId, (x) => x.state === "Active");
  for (const v of voters) await castVote(client, v, proposalId, "for");
  await waitForProposal(client, proposalId, (x) => x.state !== "Active");
  const queued = await client.queueProposal(proposalId);
  assert.equal(queued.state, "Queued");
  const done = await executeWhenReady(client, proposalId);
  assert.equal(done.state, "Executed");
  return done;
}

const consortia = new WeakMap<TestNode, Promise<RecordKeys>>();

/** The test node's one-member consortium (genesis on first use). */
export function consortiumMember(t: TestNode): Promise<RecordKeys> {
  let m = consortia.get(t);
  if (m === undefined) {
    m = (async () => {
      const member = await newKeys();
      await genesis(t, [member.account.address]);
      return member;
    })();
    consortia.set(t, m);
  }
  return m;
}

/** Accredits `issuer` for `type` through a passed proposal of the test node's consortium. */
export async function accredit(t: TestNode, issuer: `0x${string}`, type: TrustTypeName): Promise<void> {
  const member = await consortiumMember(t);
  await passTrustChange(t.client, member.account, { action: "accredit", issuer, type });
}

const boards = new WeakMap<TestNode, Promise<RecordKeys>>();

/** The test node's medical board: an issuer of clinician licences accredited by a passed proposal (once per node). */
export function medicalBoard(t: TestNode): Promise<RecordKeys> {
  let b = boards.get(t);
  if (b === undefined) {
    b = (async () => {
      const board = await newKeys();
      await accredit(t, board.account.address, CREDENTIAL_TYPES.ClinicianLicence);
      return board;
    })();
    boards.set(t, b);
  }
  return b;
}

/**
 * The credential path to the clinician role: the node's accredited medical board issues `clinician` a licence and
 * registers it; the clinician presents it over a one-time challenge and claims the role. Returns the licence.
 */
export async function licenseClinician(
  t: TestNode,
  clinician: { account: LocalAccount },
): Promise<{ jwt: string; credentialId: `0x${string}`; board: RecordKeys }> {
  const board = await medicalBoard(t);
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const licence = await issueAndRegister(t.client, board.account, {
    type: CREDENTIAL_TYPES.ClinicianLicence,
    subject: clinician.account.address,
    claims: { licenceNumber: "MD-000123", jurisdiction: "GB", specialty: "Emergency medicine" },
    validFrom: now,
    validUntil: new Date(now.getTime() + 365 * 86400_000),
  });
  const presented = await presentToNode(t.client, clinician.account, [licence.jwt]);
  assert.deepEqual(
    presented.roles.map((r) => r.credentialId),
    [licence.credentialId],
  );
  return { jwt: licence.jwt, credentialId: licence.credentialId, board };
}
