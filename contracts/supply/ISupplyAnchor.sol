// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IMerkleRootAnchor} from "../utils/IMerkleRootAnchor.sol";
import {ITradingPartners} from "./ITradingPartners.sol";

/// @title ISupplyAnchor
/// @author medchain
/// @notice Anchors of the supply chain's EPCIS events, and recalls. Each trading partner batches its EPCIS
///         events (commissioning, aggregation, shipping, receiving, dispensing, decommissioning...) off chain
///         into a Merkle tree over their canonical event hashes and anchors only the root here, whatever the
///         number of events: the gas of an anchor does not depend on it. Anyone holding an event and its
///         proof checks it with {verifyEvent}. Manufacturers recall lots of the GTINs under their GS1 Company
///         Prefixes. GTINs, lots and event hashes are not personal data.
///
///         Leaf encoding (OpenZeppelin `StandardMerkleTree.of(values, ["bytes32"])`, sorted pairs):
///         `leaf = keccak256(bytes.concat(keccak256(abi.encode(eventHash))))`, where `eventHash` is the
///         32-byte digest of the CBV 2.0 event hash (`ni:///sha-256;<hex>?ver=CBV2.0`).
/// @dev Implementations are ERC-2771 recipients: the acting account is `_msgSender()`, so partners anchor and
///      recall gaslessly through the trusted forwarder. Partner status, kinds and prefix ownership are read from
///      the {ITradingPartners} registry given at deployment, at the time of each call, through
///      {ITradingPartners-checkPartner}: a partner registered by credential whose credential is no longer valid
///      is refused first, with the trust registry's error (`TrustCredentialRevoked`, `TrustCredentialExpired`,
///      `TrustIssuerDeaccredited`). Batch ids are sequential from 1; anchors are immutable. The anchoring errors
///      ({AnchorEmptyRoot}, {AnchorRootExists}, {AnchorUnknownId}) are the shared ones of {IMerkleRootAnchor}.
interface ISupplyAnchor is IMerkleRootAnchor {
    /// @notice One anchored batch of supply events. Packed into three storage slots.
    /// @dev Layout: slot 0 = partner, anchoredAt, count; slot 1 = root; slot 2 = batchDigest.
    /// @param partner The trading partner that anchored it (the author of its events).
    /// @param anchoredAt Block timestamp of the anchoring.
    /// @param count Number of events (leaves) under the root (never zero).
    /// @param root Merkle root over the batch's event hashes (never zero; unique among batches).
    /// @param batchDigest Digest of the batch as stored off chain (for example of its EPCIS document); may be zero.
    struct Batch {
        address partner;
        uint64 anchoredAt;
        uint32 count;
        bytes32 root;
        bytes32 batchDigest;
    }

    /// @notice An open recall of one lot of one GTIN. One storage slot.
    /// @param manufacturer The manufacturer that recalled it (the only one that may clear it).
    /// @param recalledAt Block timestamp of the recall.
    struct Recall {
        address manufacturer;
        uint64 recalledAt;
    }

    /// @notice The trading-partner registry given at deployment is the zero address.
    error SupplyZeroAddress();

    /// @notice `account` is not a registered, active trading partner.
    /// @param account The caller.
    error SupplyNotPartner(address account);

    /// @notice `account` is not a registered, active manufacturer.
    /// @param account The caller.
    error SupplyNotManufacturer(address account);

    /// @notice `gtin` is not a GTIN-14: zero, more than 14 digits, or a wrong check digit.
    /// @param gtin The rejected GTIN.
    error SupplyInvalidGtin(uint64 gtin);

    /// @notice `lot` is not a lot number (AI 10): 1 to 20 characters of GS1 character set 82.
    /// @param lot The rejected lot.
    error SupplyInvalidLot(string lot);

    /// @notice The recall reason is empty or longer than {MAX_REASON_LENGTH} bytes.
    /// @param length Its length in bytes.
    error SupplyInvalidReason(uint256 length);

    /// @notice `account` does not own company prefix `companyPrefix` (or it is not a valid prefix).
    /// @param account The caller.
    /// @param companyPrefix The prefix it named.
    error SupplyNotPrefixOwner(address account, string companyPrefix);

    /// @notice `companyPrefix` does not begin the GTIN-13 body of `gtin`.
    /// @param gtin The GTIN.
    /// @param companyPrefix The prefix.
    error SupplyPrefixMismatch(uint64 gtin, string companyPrefix);

    /// @notice Lot `lot` of `gtin` is already recalled.
    /// @param gtin The GTIN.
    /// @param lot The lot.
    error SupplyAlreadyRecalled(uint64 gtin, string lot);

    /// @notice Lot `lot` of `gtin` is not recalled.
    /// @param gtin The GTIN.
    /// @param lot The lot.
    error SupplyNotRecalled(uint64 gtin, string lot);

    /// @notice `account` did not recall this lot: only `manufacturer`, which did, may clear it.
    /// @param account The caller.
    /// @param manufacturer The manufacturer that recalled it.
    error SupplyNotRecaller(address account, address manufacturer);

    /// @notice Partner `partner` anchored `root` over `count` supply events as batch `batchId`.
    /// @param batchId The new batch's id.
    /// @param partner The anchoring partner.
    /// @param root Merkle root over the batch's event hashes.
    /// @param count Number of events under the root.
    /// @param batchDigest Digest of the batch as stored off chain.
    event BatchAnchored(
        uint256 indexed batchId, address indexed partner, bytes32 indexed root, uint32 count, bytes32 batchDigest
    );

    /// @notice Manufacturer `manufacturer` recalled lot `lot` of `gtin`.
    /// @param gtin The GTIN-14.
    /// @param lotHash `keccak256(bytes(lot))`, for filtering.
    /// @param lot The lot number.
    /// @param manufacturer The manufacturer owning the GTIN's company prefix.
    /// @param reason The public reason of the recall (a safety notice; never patient data).
    event Recalled(uint64 indexed gtin, bytes32 indexed lotHash, string lot, address manufacturer, string reason);

    /// @notice Manufacturer `manufacturer` withdrew its recall of lot `lot` of `gtin`.
    /// @param gtin The GTIN-14.
    /// @param lotHash `keccak256(bytes(lot))`.
    /// @param lot The lot number.
    /// @param manufacturer The manufacturer that had recalled it.
    event RecallCleared(uint64 indexed gtin, bytes32 indexed lotHash, string lot, address manufacturer);

    /// @notice The longest recall reason accepted: 256 bytes.
    /// @return The bound, in bytes.
    function MAX_REASON_LENGTH() external view returns (uint256);

    /// @notice The trading-partner registry this contract reads (immutable).
    /// @return The registry.
    function tradingPartners() external view returns (ITradingPartners);

    /// @notice Anchors the Merkle root of a batch of the caller's supply events.
    /// @dev The partner is `_msgSender()`; its credential, if it registered with one, must be valid (trust
    ///      registry errors), and it must be a registered, active partner of any kind ({SupplyNotPartner}). Then reverts with {AnchorEmptyRoot} if `root` or `count` is zero and
    ///      {AnchorRootExists} if `root` was anchored before. Stores `anchoredAt = block.timestamp`.
    ///      The gas does not depend on `count`. Emits {BatchAnchored}.
    /// @param root Merkle root over the batch's event hashes (leaf encoding in the interface notice).
    /// @param count Number of events under the root.
    /// @param batchDigest Digest of the batch as stored off chain (may be zero).
    /// @return batchId The new batch's id (sequential from 1).
    function anchorBatch(bytes32 root, uint32 count, bytes32 batchDigest) external returns (uint256 batchId);

    /// @notice Tells whether `eventHash` is a leaf of batch `batchId`, by its Merkle proof.
    /// @dev Never reverts: an unknown batch gives false. Uses OpenZeppelin `MerkleProof` (sorted pairs).
    /// @param batchId The batch.
    /// @param eventHash The event's 32-byte hash.
    /// @param proof The sibling hashes from the leaf up (empty for a batch of one event).
    /// @return True if the proof shows the event under the batch's root.
    function verifyEvent(uint256 batchId, bytes32 eventHash, bytes32[] calldata proof) external view returns (bool);

    /// @notice Returns the anchoring partner and the root of batch `batchId`, for contracts that check
    ///         proofs themselves (the digital twins).
    /// @param batchId The batch.
    /// @return partner The partner that anchored it, or zero if the batch does not exist.
    /// @return root Its root, or zero if the batch does not exist.
    function batchRoot(uint256 batchId) external view returns (address partner, bytes32 root);

    /// @notice Returns batch `batchId`. Reverts with {AnchorUnknownId} if it does not exist.
    /// @param batchId The batch.
    /// @return The stored batch.
    function getBatch(uint256 batchId) external view returns (Batch memory);

    /// @notice Returns the id of the batch of `root`.
    /// @param root A Merkle root.
    /// @return The batch id, or 0 if `root` was never anchored.
    function batchIdOf(bytes32 root) external view returns (uint256);

    /// @notice Returns how many batches exist; the last id issued.
    /// @return The number of batches.
    function batchCount() external view returns (uint256);

    /// @notice Returns the Merkle leaf of an event hash (the encoding of the interface notice).
    /// @param eventHash The event's 32-byte hash.
    /// @return `keccak256(bytes.concat(keccak256(abi.encode(eventHash))))`.
    function eventLeaf(bytes32 eventHash) external pure returns (bytes32);

    /// @notice Recalls lot `lot` of `gtin`.
    /// @dev The manufacturer is `_msgSender()`. Checks, in this order: it is a registered, active manufacturer
    ///      ({SupplyNotManufacturer}); `gtin` is a GTIN-14 ({SupplyInvalidGtin}); `lot` is 1..20 CSET 82
    ///      characters ({SupplyInvalidLot}); `reason` is 1..{MAX_REASON_LENGTH} bytes ({SupplyInvalidReason});
    ///      the caller owns `companyPrefix` ({SupplyNotPrefixOwner}); `companyPrefix` begins the GTIN-13 body
    ///      of `gtin` ({SupplyPrefixMismatch}; the rule is in {GS1}); the lot is not recalled already
    ///      ({SupplyAlreadyRecalled}). Emits {Recalled}.
    /// @param gtin The GTIN-14 as an integer.
    /// @param companyPrefix The caller's company prefix that begins the GTIN (digits, leading zeros kept).
    /// @param lot The lot number (AI 10), as printed.
    /// @param reason The public reason (a safety notice; never patient data).
    function recall(uint64 gtin, string calldata companyPrefix, string calldata lot, string calldata reason) external;

    /// @notice Withdraws the caller's recall of lot `lot` of `gtin`.
    /// @dev The manufacturer is `_msgSender()` and must be a registered, active manufacturer
    ///      ({SupplyNotManufacturer}). Reverts with {SupplyNotRecalled} if the lot is not recalled and
    ///      {SupplyNotRecaller} if another manufacturer recalled it. Emits {RecallCleared}. The lot may be
    ///      recalled again later.
    /// @param gtin The GTIN-14 as an integer.
    /// @param lot The lot number.
    function clearRecall(uint64 gtin, string calldata lot) external;

    /// @notice Tells whether lot `lot` of `gtin` is recalled now.
    /// @param gtin The GTIN-14 as an integer.
    /// @param lot The lot number (exact bytes).
    /// @return True if a recall is open.
    function isRecalled(uint64 gtin, string calldata lot) external view returns (bool);

    /// @notice Returns the open recall of lot `lot` of `gtin` (all zero if none).
    /// @param gtin The GTIN-14 as an integer.
    /// @param lot The lot number (exact bytes).
    /// @return The recall.
    function getRecall(uint64 gtin, string calldata lot) external view returns (Recall memory);
}
