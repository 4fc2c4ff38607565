// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IMerkleRootAnchor} from "../utils/IMerkleRootAnchor.sol";

/// @title IAuditAnchor
/// @author medchain
/// @notice Anchors of the access audit. Keepers log every key release as an audit event off chain, batch
///         the events into a Merkle tree and anchor its root here; a patient (or an auditor) fetches each
///         event with its inclusion proof and checks it against the anchored root. The ledger holds no
///         personal data: only the root, the number of events and a digest of the batch (for example of
///         its encrypted blob), with the anchoring keeper and time. Anchors are immutable.
/// @dev Implementations are ERC-2771 recipients (the acting account is `_msgSender()`, so a keeper may
///      anchor through the trusted forwarder) and use OpenZeppelin AccessControl: `DEFAULT_ADMIN_ROLE`
///      (the consortium's governance) grants and revokes {KEEPER_ROLE}; role failures revert with
///      AccessControl's `AccessControlUnauthorizedAccount(account, neededRole)`. Anchor ids are sequential from 1.
///      The anchoring errors ({AnchorEmptyRoot}, {AnchorRootExists}, {AnchorUnknownId}) are the shared ones of
///      {IMerkleRootAnchor}.
interface IAuditAnchor is IMerkleRootAnchor {
    /// @notice One anchored batch of audit events. Packed into three storage slots.
    /// @dev Layout: slot 0 = keeper, anchoredAt, count; slot 1 = root; slot 2 = batchDigest.
    /// @param keeper The keeper that anchored it.
    /// @param anchoredAt Block timestamp of the anchoring.
    /// @param count Number of audit events (leaves) under the root (never zero).
    /// @param root Merkle root over the batch's audit events (never zero; unique among anchors).
    /// @param batchDigest Digest of the batch as stored off chain (for example the sha2-256 digest of its blob).
    struct Anchor {
        address keeper;
        uint64 anchoredAt;
        uint32 count;
        bytes32 root;
        bytes32 batchDigest;
    }

    /// @notice The admin given at deployment is the zero address.
    error AuditZeroAdmin();

    /// @notice Keeper `keeper` anchored `root` over `count` audit events as anchor `anchorId`.
    /// @param anchorId The new anchor's id.
    /// @param keeper The anchoring keeper.
    /// @param root Merkle root over the batch's audit events.
    /// @param count Number of audit events under the root.
    /// @param batchDigest Digest of the batch as stored off chain.
    event AuditAnchored(
        uint256 indexed anchorId, address indexed keeper, bytes32 indexed root, uint32 count, bytes32 batchDigest
    );

    /// @notice The role that may anchor: `keccak256("KEEPER_ROLE")`.
    /// @return The role identifier.
    function KEEPER_ROLE() external view returns (bytes32);

    /// @notice Anchors the Merkle root of a batch of audit events.
    /// @dev The keeper is `_msgSender()` and must hold {KEEPER_ROLE} (AccessControl's
    ///      `AccessControlUnauthorizedAccount`). Then reverts with {AnchorEmptyRoot} if `root` or `count` is zero
    ///      and {AnchorRootExists} if `root` was anchored before. Stores `anchoredAt = block.timestamp`.
    ///      Emits {AuditAnchored}.
    /// @param root Merkle root over the batch's audit events (OpenZeppelin StandardMerkleTree encoding).
    /// @param count Number of audit events under the root.
    /// @param batchDigest Digest of the batch as stored off chain (may be zero if there is none).
    /// @return anchorId The new anchor's id (sequential from 1).
    function anchor(bytes32 root, uint32 count, bytes32 batchDigest) external returns (uint256 anchorId);

    /// @notice Returns anchor `anchorId`. Reverts with {AnchorUnknownId} if it does not exist.
    /// @param anchorId The anchor.
    /// @return The stored anchor.
    function getAnchor(uint256 anchorId) external view returns (Anchor memory);

    /// @notice Returns the id of the anchor of `root`.
    /// @param root A Merkle root.
    /// @return The anchor's id, or 0 if `root` was never anchored.
    function anchorIdOf(bytes32 root) external view returns (uint256);

    /// @notice Returns how many anchors exist; the last id issued.
    /// @return The number of anchors.
    function anchorCount() external view returns (uint256);
}
