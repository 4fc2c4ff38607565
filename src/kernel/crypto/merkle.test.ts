import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { MedchainError } from "../errors.ts";
import { randomBytes, toHex } from "./bytes.ts";
import { MerkleTree, merkleLeafHash, merkleProof, merkleRoot, verifyMerkleProof } from "./merkle.ts";

type Hex = `0x${string}`;

function randomLeaves(n: number): Hex[] {
  return Array.from({ length: n }, () => toHex(randomBytes(32)));
}

function oz(leaves: readonly Hex[]): StandardMerkleTree<[Hex]> {
  return StandardMerkleTree.of(
    leaves.map((l): [Hex] => [l]),
    ["bytes32"],
  );
}

function assertInvalid(fn: () => unknown): void {
  assert.throws(fn, (err: unknown) => err instanceof MedchainError && err.code === "InvalidInput");
}

describe("merkle (compatible with OpenZeppelin StandardMerkleTree, bytes32 leaves)", () => {
  for (const n of [1, 2, 3, 7, 64, 1000]) {
    it(`has OZ's root and proofs for ${n} leaves`, () => {
      const leaves = randomLeaves(n);
      const reference = oz(leaves);
      const tree = MerkleTree.of(leaves);
      assert.equal(tree.root, reference.root);
      assert.equal(merkleRoot(leaves), reference.root);
      assert.equal(tree.size, n);
      for (let i = 0; i < n; i++) {
        const proof = tree.proof(i);
        assert.deepEqual(proof, reference.getProof(i), `proof ${i}`);
        assert.equal(tree.leafHash(i), reference.leafHash([leaves[i]!]));
        assert.equal(verifyMerkleProof(tree.root, leaves[i]!, proof), true);
        assert.equal(StandardMerkleTree.verify(reference.root, ["bytes32"], [leaves[i]!], proof), true);
      }
      const last = n - 1;
      assert.deepEqual(merkleProof(leaves, last), reference.getProof(last));
    });
  }

  it("handles duplicate leaves, uppercase hex and any input order like OZ", () => {
    const leaves = randomLeaves(9);
    leaves[4] = leaves[1]!;
    leaves[7] = leaves[1]!;
    const reference = oz(leaves);
    const tree = MerkleTree.of(leaves);
    assert.equal(tree.root, reference.root);
    for (let i = 0; i < leaves.length; i++) assert.deepEqual(tree.proof(i), reference.getProof(i), `proof ${i}`);
    const upper = leaves.map((l) => `0x${l.slice(2).toUpperCase()}` as Hex);
    assert.equal(merkleRoot(upper), reference.root);
    assert.equal(merkleRoot([...leaves].reverse()), reference.root, "the root does not depend on leaf order");
  });

  it("computes the leaf hash as keccak256(keccak256(abi.encode(bytes32)))", () => {
    const leaf = toHex(randomBytes(32));
    assert.equal(merkleLeafHash(leaf), oz([leaf]).leafHash([leaf]));
    assert.equal(merkleRoot([leaf]), merkleLeafHash(leaf));
    assert.deepEqual(merkleProof([leaf], 0), []);
  });

  it("rejects wrong leaves, proofs and roots", () => {
    const leaves = randomLeaves(50);
    const tree = MerkleTree.of(leaves);
    const proof = tree.proof(17);
    assert.equal(verifyMerkleProof(tree.root, leaves[17]!, proof), true);
    assert.equal(verifyMerkleProof(tree.root, leaves[18]!, proof), false);
    assert.equal(verifyMerkleProof(tree.root, leaves[17]!, proof.slice(0, -1)), false);
    assert.equal(verifyMerkleProof(tree.root, leaves[17]!, [...proof, toHex(randomBytes(32))]), false);
    assert.equal(verifyMerkleProof(merkleRoot(leaves.slice(1)), leaves[17]!, proof), false);
    const tampered = [...proof];
    tampered[2] = toHex(randomBytes(32));
    assert.equal(verifyMerkleProof(tree.root, leaves[17]!, tampered), false);
    // a leaf hash is not a leaf (second-preimage protection of double hashing)
    assert.equal(verifyMerkleProof(tree.root, tree.leafHash(17), proof), false);
  });

  it("throws InvalidInput for no leaves, malformed hex or an index out of range", () => {
    assertInvalid(() => merkleRoot([]));
    assertInvalid(() => merkleRoot(["0x1234"]));
    assertInvalid(() => merkleRoot([`0x${"g".repeat(64)}` as Hex]));
    assertInvalid(() => merkleRoot([`${"a".repeat(64)}` as Hex]));
    const leaves = randomLeaves(3);
    assertInvalid(() => merkleProof(leaves, 3));
    assertInvalid(() => merkleProof(leaves, -1));
    assertInvalid(() => merkleProof(leaves, 0.5));
    assertInvalid(() => verifyMerkleProof("0x12", leaves[0]!, []));
    assertInvalid(() => verifyMerkleProof(merkleRoot(leaves), leaves[0]!, ["0xzz"]));
  });
});
