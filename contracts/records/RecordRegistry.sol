// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";
import {ERC2771Recipient} from "../utils/ERC2771Recipient.sol";
import {IRecordRegistry} from "./IRecordRegistry.sol";

/// @title RecordRegistry
/// @author medchain
/// @notice Index of patients' encrypted record batches and of who may write them; see {IRecordRegistry}.
/// @dev ERC-2771 recipient of the trusted forwarder given at deployment (immutable).
contract RecordRegistry is IRecordRegistry, ERC165, ERC2771Recipient {
    mapping(bytes32 batchId => Batch batch) private _batches;
    mapping(address owner => mapping(address writer => bool authorized)) private _writers;
    mapping(address owner => uint256 count) private _batchCounts;

    /// @notice Deploys the registry.
    /// @param trustedForwarder The ERC-2771 forwarder whose relayed calls are attributed to their signer
    ///        (address(0) disables relaying).
    constructor(address trustedForwarder) ERC2771Recipient(trustedForwarder) {}

    /// @inheritdoc IRecordRegistry
    function authorizeWriter(address writer) external {
        address owner = _msgSender();
        if (writer == address(0)) revert RecordsZeroAddress();
        if (writer == owner) revert RecordsSelfWriter(owner);
        _writers[owner][writer] = true;
        emit WriterAuthorized(owner, writer);
    }

    /// @inheritdoc IRecordRegistry
    function revokeWriter(address writer) external {
        address owner = _msgSender();
        if (!_writers[owner][writer]) revert RecordsNotWriter(owner, writer);
        delete _writers[owner][writer];
        emit WriterRevoked(owner, writer);
    }

    /// @inheritdoc IRecordRegistry
    function isWriter(address owner, address writer) public view returns (bool) {
        return owner == writer || _writers[owner][writer];
    }

    /// @inheritdoc IRecordRegistry
    function appendBatch(
        bytes32 batchId,
        address owner,
        uint32 categories,
        bytes32 manifestDigest,
        bytes32 merkleRoot,
        uint32 count
    ) external {
        if (batchId == bytes32(0)) revert RecordsZeroBatchId();
        if (owner == address(0)) revert RecordsZeroAddress();
        if (count == 0) revert RecordsEmptyBatch();
        if (categories == 0) revert RecordsNoCategory();
        if (manifestDigest == bytes32(0) || merkleRoot == bytes32(0)) revert RecordsZeroCommitment();
        address author = _msgSender();
        if (!isWriter(owner, author)) revert RecordsNotWriter(owner, author);
        Batch storage batch = _batches[batchId];
        if (batch.owner != address(0)) revert RecordsBatchExists(batchId);

        batch.owner = owner;
        batch.categories = categories;
        batch.count = count;
        batch.version = 1;
        batch.author = author;
        batch.createdAt = uint64(block.timestamp);
        batch.manifestDigest = manifestDigest;
        batch.merkleRoot = merkleRoot;
        unchecked {
            ++_batchCounts[owner];
        }
        emit BatchAppended(batchId, owner, author, categories, manifestDigest, merkleRoot, count, 1);
    }

    /// @inheritdoc IRecordRegistry
    function shredBatch(bytes32 batchId) external {
        Batch storage batch = _batches[batchId];
        address owner = batch.owner;
        if (owner == address(0)) revert RecordsUnknownBatch(batchId);
        address caller = _msgSender();
        if (caller != owner) revert RecordsNotOwner(batchId, caller);
        if (batch.erased) revert RecordsAlreadyErased(batchId);
        batch.erased = true;
        emit BatchShredded(batchId, owner);
    }

    /// @inheritdoc IRecordRegistry
    function rotateBatch(bytes32 batchId, bytes32 manifestDigest, bytes32 merkleRoot) external {
        Batch storage batch = _batches[batchId];
        address owner = batch.owner;
        if (owner == address(0)) revert RecordsUnknownBatch(batchId);
        address caller = _msgSender();
        if (caller != owner) revert RecordsNotOwner(batchId, caller);
        if (batch.erased) revert RecordsAlreadyErased(batchId);
        if (manifestDigest == bytes32(0) || merkleRoot == bytes32(0)) revert RecordsZeroCommitment();
        if (manifestDigest == batch.manifestDigest) revert RecordsSameManifest(batchId);

        uint32 version = batch.version + 1;
        batch.version = version;
        batch.manifestDigest = manifestDigest;
        batch.merkleRoot = merkleRoot;
        emit BatchRotated(batchId, owner, version, manifestDigest, merkleRoot);
    }

    /// @inheritdoc IRecordRegistry
    function getBatch(bytes32 batchId) external view returns (Batch memory) {
        Batch memory batch = _batches[batchId];
        if (batch.owner == address(0)) revert RecordsUnknownBatch(batchId);
        return batch;
    }

    /// @inheritdoc IRecordRegistry
    function batchCount(address owner) external view returns (uint256) {
        return _batchCounts[owner];
    }

    /// @notice ERC-165: {IRecordRegistry} and ERC-165 itself.
    /// @param interfaceId The interface identifier to test.
    /// @return True if this contract implements `interfaceId`.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IRecordRegistry).interfaceId || super.supportsInterface(interfaceId);
    }
}
