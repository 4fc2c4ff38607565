// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ERC2771Recipient} from "../utils/ERC2771Recipient.sol";
import {MerkleRootAnchor} from "../utils/MerkleRootAnchor.sol";
import {GS1} from "./GS1.sol";
import {ISupplyAnchor} from "./ISupplyAnchor.sol";
import {ITradingPartners, KIND_MANUFACTURER} from "./ITradingPartners.sol";
import {SupplyProof} from "./SupplyProof.sol";

/// @title SupplyAnchor
/// @author medchain
/// @notice Immutable anchors of trading partners' EPCIS event batches, and lot recalls; see {ISupplyAnchor}.
/// @dev {MerkleRootAnchor} holds the batches' anchors; ERC-2771 recipient of the trusted forwarder given at
///      deployment (immutable). Reads partner status and prefix ownership from the {ITradingPartners} registry
///      given at deployment (immutable).
contract SupplyAnchor is ISupplyAnchor, MerkleRootAnchor, ERC165, ERC2771Recipient {
    /// @inheritdoc ISupplyAnchor
    uint256 public constant MAX_REASON_LENGTH = 256;

    ITradingPartners private immutable _partners;

    mapping(uint64 gtin => mapping(bytes32 lotHash => Recall recall)) private _recalls;

    /// @notice Deploys the anchor registry.
    /// @dev Reverts with {SupplyZeroAddress} if `partners` is zero.
    /// @param trustedForwarder The ERC-2771 forwarder whose relayed calls are attributed to their signer
    ///        (address(0) disables relaying).
    /// @param partners The {ITradingPartners} registry that says who may anchor and recall.
    constructor(address trustedForwarder, address partners) ERC2771Recipient(trustedForwarder) {
        if (partners == address(0)) revert SupplyZeroAddress();
        _partners = ITradingPartners(partners);
    }

    /// @inheritdoc ISupplyAnchor
    function anchorBatch(bytes32 root, uint32 count, bytes32 batchDigest) external returns (uint256 batchId) {
        address partner = _msgSender();
        (, bool active) = _partners.checkPartner(partner);
        if (!active) revert SupplyNotPartner(partner);
        batchId = _anchorRoot(partner, root, count, batchDigest);
        emit BatchAnchored(batchId, partner, root, count, batchDigest);
    }

    /// @inheritdoc ISupplyAnchor
    function verifyEvent(uint256 batchId, bytes32 eventHash, bytes32[] calldata proof) external view returns (bool) {
        bytes32 root = _anchoredRoot(batchId).root;
        // an unknown batch has root zero, which no proof reaches (a leaf is a keccak256 output)
        return root != bytes32(0) && MerkleProof.verifyCalldata(proof, root, SupplyProof.leaf(eventHash));
    }

    /// @inheritdoc ISupplyAnchor
    function batchRoot(uint256 batchId) external view returns (address partner, bytes32 root) {
        AnchoredRoot storage anchored = _anchoredRoot(batchId);
        return (anchored.anchoredBy, anchored.root);
    }

    /// @inheritdoc ISupplyAnchor
    function getBatch(uint256 batchId) external view returns (Batch memory) {
        AnchoredRoot memory stored = _existingAnchoredRoot(batchId);
        return Batch({
            partner: stored.anchoredBy,
            anchoredAt: stored.anchoredAt,
            count: stored.count,
            root: stored.root,
            batchDigest: stored.batchDigest
        });
    }

    /// @inheritdoc ISupplyAnchor
    function batchIdOf(bytes32 root) external view returns (uint256) {
        return _anchorIdOf(root);
    }

    /// @inheritdoc ISupplyAnchor
    function batchCount() external view returns (uint256) {
        return _anchoredRootCount();
    }

    /// @inheritdoc ISupplyAnchor
    function eventLeaf(bytes32 eventHash) external pure returns (bytes32) {
        return SupplyProof.leaf(eventHash);
    }

    /// @inheritdoc ISupplyAnchor
    function tradingPartners() external view returns (ITradingPartners) {
        return _partners;
    }

    /// @inheritdoc ISupplyAnchor
    function recall(uint64 gtin, string calldata companyPrefix, string calldata lot, string calldata reason)
        external
    {
        address manufacturer = _msgSender();
        _requireManufacturer(manufacturer);
        if (!GS1.isValidGtin(gtin)) revert SupplyInvalidGtin(gtin);
        if (!GS1.isValidLot(lot)) revert SupplyInvalidLot(lot);
        uint256 reasonLength = bytes(reason).length;
        if (reasonLength == 0 || reasonLength > MAX_REASON_LENGTH) revert SupplyInvalidReason(reasonLength);
        if (!_partners.ownsPrefix(manufacturer, companyPrefix)) {
            revert SupplyNotPrefixOwner(manufacturer, companyPrefix);
        }
        // the registry only holds valid prefixes, so an owned one parses
        (, uint256 length, uint256 value) = GS1.parsePrefix(companyPrefix);
        if (GS1.gtinPrefixValue(gtin, length) != value) revert SupplyPrefixMismatch(gtin, companyPrefix);
        bytes32 lotHash = keccak256(bytes(lot));
        Recall storage stored = _recalls[gtin][lotHash];
        if (stored.manufacturer != address(0)) revert SupplyAlreadyRecalled(gtin, lot);

        stored.manufacturer = manufacturer;
        stored.recalledAt = uint64(block.timestamp);
        emit Recalled(gtin, lotHash, lot, manufacturer, reason);
    }

    /// @inheritdoc ISupplyAnchor
    function clearRecall(uint64 gtin, string calldata lot) external {
        address manufacturer = _msgSender();
        _requireManufacturer(manufacturer);
        bytes32 lotHash = keccak256(bytes(lot));
        Recall storage stored = _recalls[gtin][lotHash];
        address recaller = stored.manufacturer;
        if (recaller == address(0)) revert SupplyNotRecalled(gtin, lot);
        if (recaller != manufacturer) revert SupplyNotRecaller(manufacturer, recaller);

        delete _recalls[gtin][lotHash];
        emit RecallCleared(gtin, lotHash, lot, manufacturer);
    }

    /// @dev Reverts with the trust registry's error if `account`'s credential is no longer valid, and with
    ///      {SupplyNotManufacturer} unless it is an active manufacturer.
    function _requireManufacturer(address account) private view {
        (uint8 kind, bool active) = _partners.checkPartner(account);
        if (kind != KIND_MANUFACTURER || !active) revert SupplyNotManufacturer(account);
    }

    /// @inheritdoc ISupplyAnchor
    function isRecalled(uint64 gtin, string calldata lot) external view returns (bool) {
        return _recalls[gtin][keccak256(bytes(lot))].manufacturer != address(0);
    }

    /// @inheritdoc ISupplyAnchor
    function getRecall(uint64 gtin, string calldata lot) external view returns (Recall memory) {
        return _recalls[gtin][keccak256(bytes(lot))];
    }

    /// @notice ERC-165: {ISupplyAnchor} and ERC-165 itself.
    /// @param interfaceId The interface identifier to test.
    /// @return True if this contract implements `interfaceId`.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(ISupplyAnchor).interfaceId || super.supportsInterface(interfaceId);
    }
}
