// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IMerkleRootAnchor
/// @author medchain
/// @notice The errors shared by medchain's Merkle-root anchors (the access audit's {IAuditAnchor} and the supply
///         chain's {ISupplyAnchor}): each anchors the root of an off-chain batch once, with its leaf count, and
///         gives it a sequential id from 1.
interface IMerkleRootAnchor {
    /// @notice The root is zero or the count is zero: an anchor covers at least one leaf.
    error AnchorEmptyRoot();

    /// @notice `root` was already anchored (a root is anchored only once, by anyone).
    /// @param root The root.
    error AnchorRootExists(bytes32 root);

    /// @notice No anchor with `anchorId` exists.
    /// @param anchorId The unknown id.
    error AnchorUnknownId(uint256 anchorId);
}
