// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessControlRecipient} from "../utils/AccessControlRecipient.sol";
import {MerkleRootAnchor} from "../utils/MerkleRootAnchor.sol";
import {IAuditAnchor} from "./IAuditAnchor.sol";

/// @title AuditAnchor
/// @author medchain
/// @notice Immutable anchors of the keepers' access-audit Merkle roots; see {IAuditAnchor}.
/// @dev {MerkleRootAnchor} holds the anchors; {AccessControlRecipient} gives AccessControl for {KEEPER_ROLE} and
///      ERC-2771 relaying through the trusted forwarder given at deployment (immutable), role checks included.
contract AuditAnchor is IAuditAnchor, MerkleRootAnchor, AccessControlRecipient {
    /// @inheritdoc IAuditAnchor
    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");

    /// @notice Deploys the anchor registry.
    /// @dev Reverts with {AuditZeroAdmin} if `admin` is zero.
    /// @param trustedForwarder The ERC-2771 forwarder whose relayed calls are attributed to their signer
    ///        (address(0) disables relaying).
    /// @param admin The holder of `DEFAULT_ADMIN_ROLE` (later the consortium's timelock), who grants {KEEPER_ROLE}.
    constructor(address trustedForwarder, address admin) AccessControlRecipient(trustedForwarder) {
        if (admin == address(0)) revert AuditZeroAdmin();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @inheritdoc IAuditAnchor
    function anchor(bytes32 root, uint32 count, bytes32 batchDigest) external returns (uint256 anchorId) {
        address keeper = _msgSender();
        _checkRole(KEEPER_ROLE, keeper);
        anchorId = _anchorRoot(keeper, root, count, batchDigest);
        emit AuditAnchored(anchorId, keeper, root, count, batchDigest);
    }

    /// @inheritdoc IAuditAnchor
    function getAnchor(uint256 anchorId) external view returns (Anchor memory) {
        AnchoredRoot memory stored = _existingAnchoredRoot(anchorId);
        return Anchor({
            keeper: stored.anchoredBy,
            anchoredAt: stored.anchoredAt,
            count: stored.count,
            root: stored.root,
            batchDigest: stored.batchDigest
        });
    }

    /// @inheritdoc IAuditAnchor
    function anchorIdOf(bytes32 root) external view returns (uint256) {
        return _anchorIdOf(root);
    }

    /// @inheritdoc IAuditAnchor
    function anchorCount() external view returns (uint256) {
        return _anchoredRootCount();
    }

    /// @notice ERC-165: {IAuditAnchor}, AccessControl's `IAccessControl` and ERC-165 itself.
    /// @param interfaceId The interface identifier to test.
    /// @return True if this contract implements `interfaceId`.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IAuditAnchor).interfaceId || super.supportsInterface(interfaceId);
    }
}
