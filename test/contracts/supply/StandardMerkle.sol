// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title StandardMerkle
/// @notice A test-only Solidity copy of OpenZeppelin's `StandardMerkleTree.of(values, ["bytes32"])`
///         (npm package openzeppelin merkle-tree 1.0): leaves double-hashed, leaves sorted by hash, the tree laid out as
///         an array of 2n-1 nodes with the leaves at the end in reverse order, parents hashed as sorted pairs,
///         proofs the siblings from the leaf up. Written from the library's algorithm, independently of the
///         contracts under test; `SupplyAnchor.t.sol` checks it against roots and a proof computed by the
///         JavaScript library.
library StandardMerkle {
    /// @dev `keccak256(bytes.concat(keccak256(abi.encode(value))))`.
    function leaf(bytes32 value) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(value))));
    }

    /// @dev keccak256 of the two nodes, the smaller first.
    function hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encodePacked(a, b)) : keccak256(abi.encodePacked(b, a));
    }

    /// @dev The tree of `values` and, per value (in input order), the index of its leaf in the tree.
    function build(bytes32[] memory values) internal pure returns (bytes32[] memory tree, uint256[] memory treeIndex) {
        uint256 n = values.length;
        require(n > 0, "StandardMerkle: no leaves");
        // leaves with their value index, sorted by leaf hash (insertion sort, stable)
        bytes32[] memory hashes = new bytes32[](n);
        uint256[] memory order = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            bytes32 h = leaf(values[i]);
            uint256 j = i;
            while (j > 0 && uint256(hashes[j - 1]) > uint256(h)) {
                hashes[j] = hashes[j - 1];
                order[j] = order[j - 1];
                --j;
            }
            hashes[j] = h;
            order[j] = i;
        }
        tree = new bytes32[](2 * n - 1);
        treeIndex = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            tree[tree.length - 1 - i] = hashes[i];
            treeIndex[order[i]] = tree.length - 1 - i;
        }
        for (uint256 k = tree.length - n; k > 0; --k) {
            uint256 i = k - 1;
            tree[i] = hashPair(tree[2 * i + 1], tree[2 * i + 2]);
        }
    }

    /// @dev The root over `values`.
    function root(bytes32[] memory values) internal pure returns (bytes32) {
        (bytes32[] memory tree,) = build(values);
        return tree[0];
    }

    /// @dev The proof of the node at `index` of `tree`: its siblings from the leaf up.
    function proofAt(bytes32[] memory tree, uint256 index) internal pure returns (bytes32[] memory proof) {
        uint256 depth;
        for (uint256 i = index; i > 0; i = (i - 1) / 2) ++depth;
        proof = new bytes32[](depth);
        uint256 k;
        while (index > 0) {
            proof[k++] = tree[index % 2 == 1 ? index + 1 : index - 1];
            index = (index - 1) / 2;
        }
    }

    /// @dev The root over `values` and the proof of `values[valueIndex]`.
    function rootAndProof(bytes32[] memory values, uint256 valueIndex)
        internal
        pure
        returns (bytes32 root_, bytes32[] memory proof)
    {
        (bytes32[] memory tree, uint256[] memory treeIndex) = build(values);
        return (tree[0], proofAt(tree, treeIndex[valueIndex]));
    }

    /// @dev Recomputes the root from a leaf and its proof (sorted pairs).
    function processProof(bytes32 leaf_, bytes32[] memory proof) internal pure returns (bytes32 computed) {
        computed = leaf_;
        for (uint256 i = 0; i < proof.length; ++i) computed = hashPair(computed, proof[i]);
    }
}
