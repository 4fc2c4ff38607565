/**
 * The consortium changes itself on a real node (shortened governance
 * periods), through the CLI and the SDK: bad member and settings changes are
 * refused with `InvalidInput` naming the field and nothing is proposed; a
 * member admitted by vote and timelock can then propose and vote; a removed
 * member's next vote and proposal fail with `NotMember`; a settings change
 * (voting period, quorum, timelock delay) passes, `gov status` describes it
 * from its calldata, and later proposals use the new period.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import type { Account } from "viem";
import { unlockKey } from "../../src/cli/keystore.ts";
import { castVote, proposeTrustChange } from "../../src/identity/sdk/govClient.ts";
import {
  proposeMemberChange,
  proposeSettingsChange,
  type MemberChange,
  type SettingsChange,
} from "../../src/identity/sdk/govChanges.ts";
import { TRUST_TYPE_ALIASES } from "../../src/identity/sdk/trustTypes.ts";
import { startTestNode, tempDir, type TestNode } from "../support/testNode.ts";
import { cliRunner } from "../support/cli.ts";
import { executeWhenReady, waitForProposal } from "../support/identity.ts";
import { expectCode } from "../support/assertions.ts";

const PASSPHRASE = "correct horse battery staple";
const GOVERNANCE = { votingDelaySeconds: 1, votingPeriodSeconds: 10, timelockDelaySeconds: 8, quorumPercent: 50 };

describe("governance of the consortium itself: members and settings", () => {
  let t: TestNode;
  const home = tempDir("medchain-home-");
  const dataDir = tempDir();
  const cli = cliRunner({ home, node: () => t.node.url, passphrase: PASSPHRASE });
  const ok = async (args: string[]): Promise<Record<string, unknown>> => {
    const r = await cli([...args, "--json"]);
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    return r.json;
  };
  const refused = async (args: string[], code: string, path: string): Promise<void> => {
    const r = await cli([...args, "--json"]);
    assert.equal(r.code, 1, `${args.join(" ")} should fail: ${r.stdout}${r.stderr}`);
    assert.equal(r.json.code, code, r.stdout);
    assert.deepEqual(r.json.details, { path }, r.stdout);
  };
  const human = async (args: string[]): Promise<string> => {
    const r = await cli(args);
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    return r.stdout;
  };
  const key: Record<string, Account> = {};
  const addr = (name: string): `0x${string}` => key[name]?.address.toLowerCase() as `0x${string}`;
  const account = (name: string): Account => key[name] as Account;
  let removal = "";
  let settings = "";

  before(async () => {
    t = await startTestNode({ dataDir, governance: GOVERNANCE });
    const names = ["a", "b", "c", "d"];
    for (const n of names) await ok(["key", "new", n]);
    process.env.MEDCHAIN_HOME = home; // the CLI's keystore
    for (const n of names) key[n] = unlockKey(n, PASSPHRASE).account;
    await ok(["admin", "genesis", "a", "b", "c", "--data-dir", t.dataDir]);
  });
  after(async () => {
    await t?.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    "bad member and settings changes are refused with " + "InvalidInput naming the field; nothing is proposed",
    async () => {
      const member = async (p: MemberChange, path: string): Promise<void> => {
        const err = await expectCode(proposeMemberChange(t.client, account("a"), p), "InvalidInput");
        assert.deepEqual(err.details, { path }, err.shortMessage);
      };
      await member({ action: "add", member: "0x1234" }, "member");
      await member({ action: "add", member: "0x0000000000000000000000000000000000000000" }, "member");
      await member({ action: "promote" as "add", member: addr("d") }, "action");
      await member({ action: "add", member: addr("b") }, "member"); // already a member
      await member({ action: "remove", member: addr("d") }, "member"); // not a member
      const setting = async (p: SettingsChange, path: string): Promise<void> => {
        const err = await expectCode(proposeSettingsChange(t.client, account("a"), p), "InvalidInput");
        assert.deepEqual(err.details, { path }, err.shortMessage);
      };
      await setting({}, "settings");
      await setting({ quorumNumerator: 101 }, "quorumNumerator");
      await setting({ quorumNumerator: 0 }, "quorumNumerator");
      await setting({ votingPeriod: 0 }, "votingPeriod");
      await setting({ votingDelay: 1.5 }, "votingDelay");
      await setting({ timelockDelay: -1 }, "timelockDelay");
      await setting({ votingPeriod: GOVERNANCE.votingPeriodSeconds }, "votingPeriod"); // unchanged
      await refused(["gov", "propose", "settings", "--quorum", "150", "--as", "a"], "InvalidInput", "quorumNumerator");
      await refused(
        ["gov", "propose", "settings", "--voting-period", "1h", "--as", "a"],
        "InvalidInput",
        "votingPeriod",
      );
      await refused(["gov", "propose", "settings", "--as", "a"], "InvalidInput", "settings");
      await refused(["gov", "propose", "member", "add", "0xnothex", "--as", "a"], "InvalidInput", "member");
      await refused(["gov", "propose", "member", "join", "d", "--as", "a"], "InvalidInput", "action");
      assert.deepEqual((await t.client.govStatus()).proposals, []);
    },
  );

  it("a member admitted by vote and timelock can propose and vote", async () => {
    await expectCode(
      proposeTrustChange(t.client, account("d"), {
        action: "accredit",
        issuer: addr("d"),
        type: TRUST_TYPE_ALIASES.clinician,
      }),
      "NotMember",
    );
    const proposed = await ok(["gov", "propose", "member", "add", "d", "--as", "a"]);
    const id = String(proposed.proposalId);
    assert.deepEqual([proposed.action, proposed.member], ["add", addr("d")]);
    await waitForProposal(t.client, id, (p) => p.state === "Active");
    await ok(["gov", "vote", id, "for", "--as", "a"]);
    await ok(["gov", "vote", id, "for", "--as", "b"]);
    await waitForProposal(t.client, id, (p) => p.state !== "Active");
    await ok(["gov", "queue", id]);
    assert.equal((await executeWhenReady(t.client, id)).state, "Executed");
    const status = await human(["gov", "status", id]);
    assert.match(status, new RegExp(`Executed\\s+admit member ${addr("d")}`), status);
    assert.deepEqual(
      new Set((await t.client.govStatus()).members),
      new Set([addr("a"), addr("b"), addr("c"), addr("d")]),
    );

    // the new member proposes to remove c; a proposes (by CLI) a longer voting period, a higher quorum, a shorter
    // timelock
    settings = String(
      (
        await ok([
          "gov",
          "propose",
          "settings",
          "--voting-period",
          "12",
          "--quorum",
          "60%",
          "--timelock",
          "5",
          "--as",
          "a",
        ])
      ).proposalId,
    );
    removal = (
      await proposeMemberChange(t.client, account("d"), {
        action: "remove",
        member: addr("c"),
        description: "c leaves",
      })
    ).proposalId;
    await waitForProposal(t.client, removal, (p) => p.state === "Active");
    assert.equal((await castVote(t.client, account("d"), removal, "for")).weight, 1);
    await castVote(t.client, account("a"), removal, "for");
    await castVote(t.client, account("a"), settings, "for");
    await castVote(t.client, account("b"), settings, "for");
  });

  it("the removal and the settings change pass; gov status describes the settings from the calldata", async () => {
    for (const id of [removal, settings]) {
      await waitForProposal(t.client, id, (p) => p.state !== "Active");
      assert.equal((await t.client.queueProposal(id)).state, "Queued");
    }
    for (const id of [removal, settings]) assert.equal((await executeWhenReady(t.client, id)).state, "Executed");
    const p = await t.client.govProposal(settings);
    assert.deepEqual(
      p.actions.map((x) => [x.kind, x.setting, x.value]),
      [
        ["setting", "votingPeriodSeconds", 12],
        ["setting", "quorumPercent", 60],
        ["setting", "timelockDelaySeconds", 5],
      ],
    );
    const text = await human(["gov", "status", settings]);
    assert.match(text, /set the voting period to 12 s; set the quorum to 60%; set the timelock delay to 5 s/, text);
    const s = await t.client.govStatus();
    assert.deepEqual(
      [s.votingDelaySeconds, s.votingPeriodSeconds, s.quorumPercent, s.timelockDelaySeconds],
      [1, 12, 60, 5],
    );
    assert.deepEqual(new Set(s.members), new Set([addr("a"), addr("b"), addr("d")]));
    const cliStatus = await ok(["gov", "status"]);
    assert.equal(cliStatus.votingPeriodSeconds, 12);
  });

  it(
    "a removed member's next vote and proposal fail with " + "NotMember; new proposals use the new voting period",
    async () => {
      const next = await proposeTrustChange(t.client, account("d"), {
        action: "accredit",
        issuer: addr("b"),
        type: TRUST_TYPE_ALIASES.clinician,
      });
      assert.equal(next.voteEnd - next.voteStart, 12);
      await waitForProposal(t.client, next.proposalId, (p) => p.state === "Active");
      await expectCode(castVote(t.client, account("c"), next.proposalId, "for"), "NotMember");
      assert.equal((await castVote(t.client, account("d"), next.proposalId, "for")).weight, 1);
      await expectCode(proposeMemberChange(t.client, account("c"), { action: "add", member: addr("c") }), "NotMember");
    },
  );
});
