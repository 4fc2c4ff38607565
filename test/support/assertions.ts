/** Shared assertions for medchain's typed errors. */
import assert from "node:assert/strict";
import { MedchainError } from "../../src/kernel/errors.ts";

/** Awaits `p` and asserts it rejects with a MedchainError of `code`; returns the error. */
export async function expectCode(p: Promise<unknown>, code: string): Promise<MedchainError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof MedchainError, `expected a MedchainError, got ${String(err)}`);
    assert.equal(err.code, code, err.shortMessage);
    return err;
  }
  assert.fail(`expected ${code}, but it succeeded`);
}
