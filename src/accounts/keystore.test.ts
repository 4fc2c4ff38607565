import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toHex } from "viem";
import { MedchainError } from "../core/errors.ts";
import { createKey, keyInfo, listKeys, resolveAccount, unlockKey } from "./keystore.ts";

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof MedchainError);
    return e.code;
  }
  return "none";
}

describe("keystore", () => {
  const home = mkdtempSync(join(tmpdir(), "medchain-ks-"));
  let saved: string | undefined;
  before(() => { saved = process.env.MEDCHAIN_HOME; process.env.MEDCHAIN_HOME = home; });
  after(() => { process.env.MEDCHAIN_HOME = saved; rmSync(home, { recursive: true, force: true }); });

  it("creates a key file (0600) with no secret in the clear, and unlocks it with the passphrase", async () => {
    const { info, keys } = await createKey("alice", "a good passphrase");
    const file = join(home, "keys", "alice.json");
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const text = readFileSync(file, "utf8");
    assert.ok(!text.includes(toHex(keys.encryptionPrivateKey).slice(2)), "encryption private key not in the clear");
    const unlocked = unlockKey("alice", "a good passphrase");
    assert.equal(unlocked.account.address, keys.account.address);
    assert.deepEqual(unlocked.encryptionPrivateKey, keys.encryptionPrivateKey);
    assert.equal(info.address, keys.account.address.toLowerCase());
    assert.deepEqual(listKeys().map((k) => k.name), ["alice"]);
  });

  it("refuses with stable codes: wrong passphrase, unknown name, duplicate, bad name, short passphrase", async () => {
    assert.equal(code(() => unlockKey("alice", "wrong passphrase")), "WrongPassphrase");
    assert.equal(code(() => unlockKey("bob", "whatever1")), "KeyNotFound");
    await assert.rejects(createKey("alice", "another one!"), (e: unknown) => e instanceof MedchainError && e.code === "KeyExists");
    await assert.rejects(createKey("../evil", "a good passphrase"), (e: unknown) => e instanceof MedchainError && e.code === "InvalidInput");
    await assert.rejects(createKey("carol", "short"), (e: unknown) => e instanceof MedchainError && e.code === "InvalidInput");
  });

  it("resolves names and addresses; unknown names are UnknownPatient", () => {
    assert.equal(resolveAccount("alice"), keyInfo("alice").address);
    assert.equal(resolveAccount("0x000000000000000000000000000000000000dEaD"), "0x000000000000000000000000000000000000dead");
    assert.equal(code(() => resolveAccount("nobody")), "UnknownPatient");
    assert.equal(code(() => resolveAccount("0x1234")), "InvalidInput");
  });
});
