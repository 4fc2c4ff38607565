/**
 * Consortium governance on a real node: founding members at genesis, a
 * proposal to accredit an issuer passes by vote and timelock (each step
 * refused with its code when out of order), a defeated proposal cannot be
 * queued, a de-accreditation removes the issuer, and the index rebuilds to
 * the same proposals and votes.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { castVote, proposeTrustChange } from "../../src/identity/sdk/govClient.ts";
import { TRUST_TYPE_ALIASES } from "../../src/identity/sdk/trustTypes.ts";
import type { RecordKeys } from "../../src/kernel/accountKeys.ts";
import { newKeys, startTestNode, tempDir, type TestNode } from "../support/testNode.ts";
import { executeWhenReady, genesis, passTrustChange, waitForProposal } from "../support/identity.ts";
import { expectCode } from "../support/assertions.ts";

const CLINICIAN = TRUST_TYPE_ALIASES.clinician;
const GOVERNANCE = { votingDelaySeconds: 1, votingPeriodSeconds: 6, timelockDelaySeconds: 8, quorumPercent: 50 };

describe("governance: genesis, propose, vote, queue, timelock, execute", () => {
  let t: TestNode;
  let a: RecordKeys, b: RecordKeys, c: RecordKeys, outsider: RecordKeys;
  const board = "0x00000000000000000000000000000000000b0a2d" as const;
  const dataDir = tempDir();

  before(async () => {
    [a, b, c, outsider] = (await Promise.all([newKeys(), newKeys(), newKeys(), newKeys()])) as [
      RecordKeys,
      RecordKeys,
      RecordKeys,
      RecordKeys,
    ];
    t = await startTestNode({
      dataDir,
      governance: GOVERNANCE,
      govMembers: [a.account.address, b.account.address, c.account.address],
    });
  });
  after(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("genesis sets the founding members once, with the configured periods", async () => {
    const s = await t.client.govStatus();
    assert.deepEqual(new Set(s.members), new Set([a, b, c].map((k) => k.account.address.toLowerCase())));
    assert.deepEqual(
      [s.votingDelaySeconds, s.votingPeriodSeconds, s.timelockDelaySeconds, s.quorumPercent],
      [1, 6, 8, 50],
    );
    assert.deepEqual(s.proposals, []);
    await assert.rejects(genesis(t, [outsider.account.address]), /GenesisClosed/);
    await expectCode(t.client.govProposal("1"), "ProposalNotFound");
  });

  it(
    "an issuer is accredited only after the vote and the " + "timelock; each early step is refused with its code",
    async () => {
      await expectCode(
        proposeTrustChange(t.client, outsider.account, { action: "accredit", issuer: board, type: CLINICIAN }),
        "NotMember",
      );
      const good = await proposeTrustChange(t.client, a.account, {
        action: "accredit",
        issuer: board,
        type: CLINICIAN,
        description: "accredit the board",
      });
      const bad = await proposeTrustChange(t.client, b.account, {
        action: "accredit",
        issuer: outsider.account.address,
        type: CLINICIAN,
        description: "accredit the outsider",
      });
      await expectCode(
        proposeTrustChange(t.client, c.account, {
          action: "accredit",
          issuer: board,
          type: CLINICIAN,
          description: "accredit the board",
        }),
        "ProposalExists",
      );
      assert.deepEqual([good.proposalId, bad.proposalId], ["1", "2"]);
      await waitForProposal(t.client, good.proposalId, (p) => p.state === "Active");
      await castVote(t.client, a.account, good.proposalId, "for");
      await castVote(t.client, b.account, good.proposalId, "for");
      await expectCode(castVote(t.client, b.account, good.proposalId, "against"), "AlreadyVoted");
      await expectCode(castVote(t.client, outsider.account, good.proposalId, "for"), "NotMember");
      await castVote(t.client, a.account, bad.proposalId, "against");
      await castVote(t.client, c.account, bad.proposalId, "against");
      const passed = await waitForProposal(t.client, good.proposalId, (p) => p.state !== "Active");
      assert.equal(passed.state, "Succeeded");
      assert.deepEqual(passed.votes, { for: 2, against: 0, abstain: 0 });
      assert.deepEqual(
        passed.actions.map((x) => [x.kind, x.issuer, x.type]),
        [["accredit", board, CLINICIAN]],
      );
      await expectCode(castVote(t.client, c.account, good.proposalId, "for"), "ProposalNotActive");
      await expectCode(t.client.executeProposal(good.proposalId), "ProposalNotQueued");
      const defeated = await waitForProposal(t.client, bad.proposalId, (p) => p.state !== "Active");
      assert.equal(defeated.state, "Defeated");
      await expectCode(t.client.queueProposal(bad.proposalId), "ProposalNotSucceeded");

      const queued = await t.client.queueProposal(good.proposalId);
      assert.equal(queued.state, "Queued");
      assert.ok(queued.eta !== null && queued.eta >= passed.voteEnd + GOVERNANCE.timelockDelaySeconds);
      await expectCode(t.client.executeProposal(good.proposalId), "TimelockNotReady");
      assert.deepEqual(await t.client.trustIssuers(), []);
      const executed = await executeWhenReady(t.client, good.proposalId);
      assert.equal(executed.state, "Executed");
      const issuers = await t.client.trustIssuers();
      assert.deepEqual(
        issuers.map((i) => [i.issuer, i.type]),
        [[board, CLINICIAN]],
      );
    },
  );

  it("a passed de-accreditation removes the issuer", async () => {
    await passTrustChange(t.client, c.account, { action: "deaccredit", issuer: board, type: CLINICIAN });
    assert.deepEqual(await t.client.trustIssuers(), []);
  });

  it("the index rebuilds to the same proposals and votes", async () => {
    const before = await t.client.govStatus();
    await t.node.close();
    t = await startTestNode({ dataDir, reindex: true, governance: GOVERNANCE });
    const rebuilt = await t.client.govStatus();
    assert.deepEqual(rebuilt, before);
    assert.equal(rebuilt.proposals.length, 3);
  });
});
