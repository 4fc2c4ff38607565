// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {IAuditAnchor} from "./IAuditAnchor.sol";

/// @title AuditAnchor
/// @author medchain
/// @notice Immutable anchors of the keepers' access-audit Merkle roots; see {IAuditAnchor}.
/// @dev ERC-2771 recipient of the trusted forwarder given at deployment (immutable) and AccessControl for
///      {KEEPER_ROLE}; both read the acting account through the ERC-2771 `_msgSender()`.
contract AuditAnchor is IAuditAnchor, AccessControl, ERC2771Context {
    /// @inheritdoc IAuditAnchor
    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");

    mapping(uint256 anchorId => Anchor anchor) private _anchors;
    mapping(bytes32 root => uint256 anchorId) private _anchorIds;
    uint256 private _anchorCount;

    /// @notice Deploys the anchor registry.
    /// @dev Reverts with {AuditZeroAdmin} if `admin` is zero.
    /// @param trustedForwarder The ERC-2771 forwarder whose relayed calls are attributed to their signer
    ///        (address(0) disables relaying).
    /// @param admin The holder of `DEFAULT_ADMIN_ROLE` (later the consortium's timelock), who grants {KEEPER_ROLE}.
    constructor(address trustedForwarder, address admin) ERC2771Context(trustedForwarder) {
        if (admin == address(0)) revert AuditZeroAdmin();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @inheritdoc IAuditAnchor
    function anchor(bytes32 root, uint32 count, bytes32 batchDigest) external returns (uint256 anchorId) {
        address keeper = _msgSender();
        _checkRole(KEEPER_ROLE, keeper);
        if (root == bytes32(0) || count == 0) revert AuditEmptyAnchor();
        if (_anchorIds[root] != 0) revert AuditRootExists(root);

        unchecked {
            anchorId = ++_anchorCount;
        }
        _anchorIds[root] = anchorId;
        _anchors[anchorId] = Anchor({
            keeper: keeper,
            anchoredAt: uint64(block.timestamp),
            count: count,
            root: root,
            batchDigest: batchDigest
        });
        emit AuditAnchored(anchorId, keeper, root, count, batchDigest);
    }

    /// @inheritdoc IAuditAnchor
    function getAnchor(uint256 anchorId) external view returns (Anchor memory) {
        Anchor memory stored = _anchors[anchorId];
        if (stored.keeper == address(0)) revert AuditUnknownAnchor(anchorId);
        return stored;
    }

    /// @inheritdoc IAuditAnchor
    function anchorIdOf(bytes32 root) external view returns (uint256) {
        return _anchorIds[root];
    }

    /// @inheritdoc IAuditAnchor
    function anchorCount() external view returns (uint256) {
        return _anchorCount;
    }

    /// @notice ERC-165: {IAuditAnchor}, AccessControl's `IAccessControl` and ERC-165 itself.
    /// @param interfaceId The interface identifier to test.
    /// @return True if this contract implements `interfaceId`.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IAuditAnchor).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @dev The ERC-2771 sender (the request's signer when called by the trusted forwarder), for AccessControl too.
    function _msgSender() internal view override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    /// @dev The ERC-2771 calldata (without the appended signer when called by the trusted forwarder).
    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    /// @dev ERC-2771 appends 20 bytes (the signer's address) to calls from the trusted forwarder.
    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }
}
