// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IMerkleRootAnchor} from "./IMerkleRootAnchor.sol";

/// @title MerkleRootAnchor
/// @author medchain
/// @notice Immutable anchors of Merkle roots over off-chain batches: the shared storage and validation of
///         AuditAnchor and SupplyAnchor. A root is anchored once, by anyone; its record (who, when, how many
///         leaves, the batch's off-chain digest) never changes; anchor ids are sequential from 1.
/// @dev The derived contract authorizes the caller, calls {_anchorRoot} and emits its own event; its public
///      struct (with its own field names) is built from {AnchoredRoot}. No function here calls out.
abstract contract MerkleRootAnchor is IMerkleRootAnchor {
    /// @dev One anchored root, packed into three slots: slot 0 = anchoredBy, anchoredAt, count; slot 1 = root;
    ///      slot 2 = batchDigest. `anchoredBy` is never zero for an existing anchor.
    struct AnchoredRoot {
        address anchoredBy;
        uint64 anchoredAt;
        uint32 count;
        bytes32 root;
        bytes32 batchDigest;
    }

    mapping(uint256 anchorId => AnchoredRoot anchored) private _anchoredRoots;
    mapping(bytes32 root => uint256 anchorId) private _anchorIds;
    uint256 private _anchorCount;

    /// @dev Anchors `root` over `count` leaves for `anchoredBy` (already authorized by the caller) at
    ///      `block.timestamp`. Reverts with {AnchorEmptyRoot} if `root` or `count` is zero and
    ///      {AnchorRootExists} if `root` was anchored before.
    /// @return anchorId The new anchor's id (sequential from 1).
    function _anchorRoot(address anchoredBy, bytes32 root, uint32 count, bytes32 batchDigest)
        internal
        returns (uint256 anchorId)
    {
        if (root == bytes32(0) || count == 0) revert AnchorEmptyRoot();
        if (_anchorIds[root] != 0) revert AnchorRootExists(root);

        unchecked {
            anchorId = ++_anchorCount;
        }
        _anchorIds[root] = anchorId;
        _anchoredRoots[anchorId] = AnchoredRoot({
            anchoredBy: anchoredBy,
            anchoredAt: uint64(block.timestamp),
            count: count,
            root: root,
            batchDigest: batchDigest
        });
    }

    /// @dev The stored anchor `anchorId` (all zero if it does not exist).
    function _anchoredRoot(uint256 anchorId) internal view returns (AnchoredRoot storage) {
        return _anchoredRoots[anchorId];
    }

    /// @dev Anchor `anchorId`; reverts with {AnchorUnknownId} if it does not exist.
    function _existingAnchoredRoot(uint256 anchorId) internal view returns (AnchoredRoot memory anchored) {
        anchored = _anchoredRoots[anchorId];
        if (anchored.anchoredBy == address(0)) revert AnchorUnknownId(anchorId);
    }

    /// @dev The id of the anchor of `root`, or 0 if it was never anchored.
    function _anchorIdOf(bytes32 root) internal view returns (uint256) {
        return _anchorIds[root];
    }

    /// @dev How many roots were anchored; the last id issued.
    function _anchoredRootCount() internal view returns (uint256) {
        return _anchorCount;
    }
}
