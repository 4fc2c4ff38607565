// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title SupplyProof
/// @author medchain
/// @notice The Merkle leaf of a supply event, shared by the anchors and the digital twins.
/// @dev Same leaf as OpenZeppelin `StandardMerkleTree.of(values, ["bytes32"])`: the value ABI-encoded and
///      hashed twice, so that a leaf (keccak of 32 bytes, hashed again) can never be confused with an inner
///      node (keccak of 64 bytes). Pairs are hashed sorted, as OpenZeppelin `MerkleProof` expects.
library SupplyProof {
    /// @notice The leaf of `eventHash`: `keccak256(bytes.concat(keccak256(abi.encode(eventHash))))`.
    /// @param eventHash The event's 32-byte hash.
    /// @return The leaf.
    function leaf(bytes32 eventHash) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(eventHash))));
    }
}
