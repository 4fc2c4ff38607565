// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IRecordRegistry
/// @author medchain
/// @notice On-chain index of a patient's encrypted health-record batches. The ledger holds no personal
///         data: per batch only pseudonymous addresses, a coarse category bitmask, a record count, the
///         digest of the (encrypted) manifest blob and the Merkle root over the batch's record
///         commitments. Erasure is crypto-shredding: {shredBatch} marks the batch erased while the keys
///         are destroyed and the ciphertext unpinned off chain, so the stored commitments become meaningless.
///         Rotation is re-encryption: {rotateBatch} points the batch at a new manifest whose records are
///         sealed under new keys, so keys released before (for example before a revocation) open nothing
///         of the new version.
/// @dev Implementations are ERC-2771 recipients: every acting account is `_msgSender()`, so a relayer can
///      submit users' EIP-712-signed requests through the trusted forwarder and users never pay gas.
///      Batch ids are global: clients should derive them so that they cannot collide or be squatted
///      (for example a hash that includes the owner, the author and a nonce).
interface IRecordRegistry {
    /// @notice One appended batch of records. Packed into four storage slots.
    /// @dev Layout: slot 0 = owner, categories, count, version; slot 1 = author, erased, createdAt;
    ///      slot 2 = manifestDigest; slot 3 = merkleRoot.
    /// @param owner The patient (pseudonymous address) the records belong to.
    /// @param categories Bitmask of coarse category codes of the records in the batch (never zero).
    /// @param count Number of records in the batch (never zero).
    /// @param version Version of the batch entry; 1 when appended, +1 on every rotation.
    /// @param author The account that appended the batch: the owner or a writer it authorized at that time.
    /// @param erased True once the owner crypto-shredded the batch; never reset.
    /// @param createdAt Block timestamp of the append.
    /// @param manifestDigest The sha2-256 digest of the batch's current manifest blob. That blob's CID is
    ///        CIDv1 / raw codec / sha2-256 multihash, so the 32-byte digest determines the CID and is all
    ///        that needs to be stored (the CID is rebuilt off chain from these bytes).
    /// @param merkleRoot Merkle root over the batch's current record commitments (OpenZeppelin StandardMerkleTree
    ///        encoding).
    struct Batch {
        address owner;
        uint32 categories;
        uint32 count;
        uint32 version;
        address author;
        bool erased;
        uint64 createdAt;
        bytes32 manifestDigest;
        bytes32 merkleRoot;
    }

    /// @notice A required address argument (owner or writer) is the zero address.
    error RecordsZeroAddress();

    /// @notice `owner` tried to authorize itself; an owner is always allowed to write its own record.
    /// @param owner The owner that made the call.
    error RecordsSelfWriter(address owner);

    /// @notice `writer` is not allowed to write for `owner` (it is neither `owner` nor an authorized writer of it).
    /// @param owner The record owner.
    /// @param writer The account that is not a writer of `owner`.
    error RecordsNotWriter(address owner, address writer);

    /// @notice The batch id is the zero value, which is reserved.
    error RecordsZeroBatchId();

    /// @notice A batch with `batchId` was already appended (batch ids are never reused, even after shredding).
    /// @param batchId The id already in use.
    error RecordsBatchExists(bytes32 batchId);

    /// @notice The batch holds no record (`count` is zero).
    error RecordsEmptyBatch();

    /// @notice The batch carries no category (`categories` bitmask is zero).
    error RecordsNoCategory();

    /// @notice The manifest digest or the Merkle root is zero.
    error RecordsZeroCommitment();

    /// @notice No batch with `batchId` exists.
    /// @param batchId The unknown id.
    error RecordsUnknownBatch(bytes32 batchId);

    /// @notice `caller` is not the owner of batch `batchId`.
    /// @param batchId The batch.
    /// @param caller The account that is not its owner.
    error RecordsNotOwner(bytes32 batchId, address caller);

    /// @notice Batch `batchId` was already shredded.
    /// @param batchId The batch.
    error RecordsAlreadyErased(bytes32 batchId);

    /// @notice A rotation of batch `batchId` names the manifest the batch already points at.
    /// @param batchId The batch.
    error RecordsSameManifest(bytes32 batchId);

    /// @notice `owner` authorized `writer` to append batches to its record.
    /// @param owner The record owner.
    /// @param writer The authorized account.
    event WriterAuthorized(address indexed owner, address indexed writer);

    /// @notice `owner` revoked the authorization of `writer`.
    /// @param owner The record owner.
    /// @param writer The account that may no longer append.
    event WriterRevoked(address indexed owner, address indexed writer);

    /// @notice A batch was appended to the record of `owner` by `author`.
    /// @param batchId The new batch's id.
    /// @param owner The record owner.
    /// @param author The account that appended it (the owner or an authorized writer).
    /// @param categories Bitmask of coarse category codes.
    /// @param manifestDigest The sha2-256 digest of the manifest blob (CIDv1, raw, sha2-256).
    /// @param merkleRoot Merkle root over the batch's record commitments.
    /// @param count Number of records in the batch.
    /// @param version Version of the entry (1).
    event BatchAppended(
        bytes32 indexed batchId,
        address indexed owner,
        address indexed author,
        uint32 categories,
        bytes32 manifestDigest,
        bytes32 merkleRoot,
        uint32 count,
        uint32 version
    );

    /// @notice The owner crypto-shredded batch `batchId`.
    /// @param batchId The erased batch.
    /// @param owner Its owner.
    event BatchShredded(bytes32 indexed batchId, address indexed owner);

    /// @notice The owner rotated batch `batchId`: its records were re-encrypted under new keys and the batch
    ///         now points at a new manifest and new commitments.
    /// @param batchId The rotated batch.
    /// @param owner Its owner.
    /// @param version The batch's new version (the previous one + 1).
    /// @param manifestDigest The sha2-256 digest of the new manifest blob (CIDv1, raw, sha2-256).
    /// @param merkleRoot Merkle root over the new record commitments.
    event BatchRotated(
        bytes32 indexed batchId, address indexed owner, uint32 version, bytes32 manifestDigest, bytes32 merkleRoot
    );

    /// @notice Lets `writer` append batches to the caller's record.
    /// @dev The owner is `_msgSender()`. Authorizing an already authorized writer is a no-op that emits again.
    ///      Reverts with {RecordsZeroAddress} if `writer` is zero and {RecordsSelfWriter} if `writer` is the caller.
    /// @param writer The account to authorize (for example a provider).
    function authorizeWriter(address writer) external;

    /// @notice Withdraws the authorization of `writer` to append to the caller's record.
    /// @dev The owner is `_msgSender()`. Batches already appended by `writer` stay. Reverts with
    ///      {RecordsNotWriter}`(owner, writer)` if `writer` is not currently authorized (this includes the owner itself).
    /// @param writer The account to revoke.
    function revokeWriter(address writer) external;

    /// @notice Tells whether `writer` may append batches for `owner`.
    /// @param owner The record owner.
    /// @param writer The account to check.
    /// @return True if `writer` is `owner` or currently authorized by it.
    function isWriter(address owner, address writer) external view returns (bool);

    /// @notice Appends a batch of encrypted records to the record of `owner`.
    /// @dev The author is `_msgSender()`. Checks, in this order: non-zero `batchId` ({RecordsZeroBatchId}),
    ///      non-zero `owner` ({RecordsZeroAddress}), `count > 0` ({RecordsEmptyBatch}), `categories != 0`
    ///      ({RecordsNoCategory}), non-zero `manifestDigest` and `merkleRoot` ({RecordsZeroCommitment}),
    ///      the author is `owner` or an authorized writer ({RecordsNotWriter}`(owner, author)`), and `batchId`
    ///      was never used ({RecordsBatchExists}). Stores version 1 and `createdAt = block.timestamp`.
    /// @param batchId Globally unique, non-zero batch id.
    /// @param owner The record owner.
    /// @param categories Bitmask of coarse category codes (non-zero).
    /// @param manifestDigest The sha2-256 digest of the manifest blob (its CID is CIDv1, raw, sha2-256).
    /// @param merkleRoot Merkle root over the batch's record commitments.
    /// @param count Number of records in the batch (non-zero).
    function appendBatch(
        bytes32 batchId,
        address owner,
        uint32 categories,
        bytes32 manifestDigest,
        bytes32 merkleRoot,
        uint32 count
    ) external;

    /// @notice Marks batch `batchId` as erased (crypto-shredding); the commitments stay but open nothing.
    /// @dev Only the owner (`_msgSender()`) may shred. Reverts with {RecordsUnknownBatch} if the batch does
    ///      not exist, {RecordsNotOwner} if the caller is not its owner and {RecordsAlreadyErased} if it
    ///      was already shredded.
    /// @param batchId The batch to erase.
    function shredBatch(bytes32 batchId) external;

    /// @notice Points batch `batchId` at a new manifest and Merkle root after the owner re-encrypted its
    ///         records under new keys (key rotation), and bumps its version by one.
    /// @dev Only the owner (`_msgSender()`) may rotate. Checks, in this order: the batch exists
    ///      ({RecordsUnknownBatch}), the caller is its owner ({RecordsNotOwner}), it is not erased
    ///      ({RecordsAlreadyErased}), `manifestDigest` and `merkleRoot` are non-zero ({RecordsZeroCommitment})
    ///      and `manifestDigest` differs from the current one ({RecordsSameManifest}). Owner, author, count,
    ///      categories and `createdAt` stay as appended: a rotation re-encrypts the same records.
    /// @param batchId The batch to rotate.
    /// @param manifestDigest The sha2-256 digest of the new manifest blob (its CID is CIDv1, raw, sha2-256).
    /// @param merkleRoot Merkle root over the new record commitments.
    function rotateBatch(bytes32 batchId, bytes32 manifestDigest, bytes32 merkleRoot) external;

    /// @notice Returns batch `batchId`. Reverts with {RecordsUnknownBatch} if it does not exist.
    /// @param batchId The batch.
    /// @return The stored batch.
    function getBatch(bytes32 batchId) external view returns (Batch memory);

    /// @notice Returns how many batches were appended to the record of `owner` (shredded ones included).
    /// @param owner The record owner.
    /// @return The number of batches appended for `owner`.
    function batchCount(address owner) external view returns (uint256);
}
