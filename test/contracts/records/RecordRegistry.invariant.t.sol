// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {IRecordRegistry} from "../../../contracts/records/IRecordRegistry.sol";
import {RecordRegistry} from "../../../contracts/records/RecordRegistry.sol";
import {Test} from "../utils/Test.sol";
import {ModelCheckedHandler} from "../utils/ModelCheckedHandler.sol";

/// @notice Drives RecordRegistry (authorize / revoke / append / shred / rotate, directly and through the forwarder)
///         from a few actors and keeps an independent model of who may write and what was written.
/// @dev A failed assertion inside a handler only counts as a reverted call, so every disagreement with the
///      model is recorded in `ghostViolations` (with the reason in `lastViolation`) and checked by the
///      invariants. Batch ids come from a small space so that collisions and repeated shreds happen.
contract RecordRegistryHandler is ModelCheckedHandler {
    /// @dev What an append fixed for good (a rotation re-encrypts the same records, so none of this changes).
    struct Written {
        address owner;
        address author;
        uint32 categories;
        uint32 count;
        uint64 createdAt;
    }

    /// @dev What a rotation replaces: the commitments, and the version that counts the rotations.
    struct Current {
        bytes32 manifestDigest;
        bytes32 merkleRoot;
        uint32 version;
        uint256 rotations;
    }

    RecordRegistry public immutable registry;
    MedchainForwarder public immutable forwarder;

    uint256 public constant ACTORS = 4;
    uint256 public constant BATCH_IDS = 24;
    address[ACTORS] public actors;
    uint256[ACTORS] internal actorKeys;
    mapping(address actor => uint256 index) internal _actorIndex;

    // model
    mapping(address owner => mapping(address writer => bool authorized)) public ghostAuthorized;
    mapping(address owner => uint256 appends) public ghostAppends;
    bytes32[] public ghostBatchIds;
    mapping(bytes32 batchId => bool exists) public ghostExists;
    mapping(bytes32 batchId => Written written) internal _written;
    mapping(bytes32 batchId => Current current) internal _current;
    /// @dev Whether, at the moment of the successful append, the model said the author could write for the owner.
    mapping(bytes32 batchId => bool allowed) public ghostAllowedAtAppend;
    mapping(bytes32 batchId => bool erased) public ghostErased;

    mapping(bytes4 selector => uint256 calls) public calls;
    uint256 public successes;

    constructor(RecordRegistry registry_, MedchainForwarder forwarder_) {
        registry = registry_;
        forwarder = forwarder_;
        for (uint256 i = 0; i < ACTORS; ++i) {
            (actors[i], actorKeys[i]) = makeAddrAndKey(string.concat("record-actor-", vm.toString(i)));
            _actorIndex[actors[i]] = i;
        }
    }

    // ------------------------------------------------------------------------------------- actions

    function authorizeWriter(uint256 ownerSeed, uint256 writerSeed, bool relayed) external {
        ++calls[this.authorizeWriter.selector];
        address owner = _actor(ownerSeed);
        address writer = _actor(writerSeed);
        bytes memory expected;
        if (writer == owner) expected = abi.encodeWithSelector(IRecordRegistry.RecordsSelfWriter.selector, owner);
        (bool ok, bytes memory reason) =
            _act(ownerSeed, relayed, abi.encodeCall(IRecordRegistry.authorizeWriter, (writer)));
        _checkAndCount(ok, reason, expected, relayed, "authorizeWriter");
        if (ok) ghostAuthorized[owner][writer] = true;
    }

    function revokeWriter(uint256 ownerSeed, uint256 writerSeed, bool relayed) external {
        ++calls[this.revokeWriter.selector];
        address owner = _actor(ownerSeed);
        address writer = _actor(writerSeed);
        bytes memory expected;
        if (!ghostAuthorized[owner][writer]) {
            expected = abi.encodeWithSelector(IRecordRegistry.RecordsNotWriter.selector, owner, writer);
        }
        (bool ok, bytes memory reason) = _act(ownerSeed, relayed, abi.encodeCall(IRecordRegistry.revokeWriter, (writer)));
        _checkAndCount(ok, reason, expected, relayed, "revokeWriter");
        if (ok) ghostAuthorized[owner][writer] = false;
    }

    struct AppendArgs {
        uint256 authorSeed;
        address author;
        address owner;
        bytes32 batchId;
        uint32 categories;
        uint32 count;
        bytes32 manifestDigest;
        bytes32 merkleRoot;
        bool relayed;
    }

    function appendBatch(
        uint256 authorSeed,
        uint256 ownerSeed,
        uint256 idSeed,
        uint32 categories,
        uint32 count,
        bytes32 merkleRoot,
        uint256 elapsed,
        bool relayed
    ) external {
        ++calls[this.appendBatch.selector];
        vm.warp(block.timestamp + bound(elapsed, 0, 7 days));
        bytes32 batchId = _batchId(idSeed);
        // bias towards valid appends: half of them by the owner itself, rare empty / uncategorized batches
        _append(
            AppendArgs({
                authorSeed: authorSeed,
                author: _actor(authorSeed),
                owner: ownerSeed % 2 == 0 ? _actor(authorSeed) : _actor(ownerSeed / 2),
                batchId: batchId,
                categories: categories % 16 == 0 ? 0 : categories,
                count: uint32(bound(count, 0, 15)),
                manifestDigest: sha256(abi.encode(batchId, merkleRoot)),
                merkleRoot: merkleRoot,
                relayed: relayed
            })
        );
    }

    function _append(AppendArgs memory a) private {
        bool allowed = a.owner == a.author || ghostAuthorized[a.owner][a.author];
        bytes memory expected;
        if (a.count == 0) expected = abi.encodeWithSelector(IRecordRegistry.RecordsEmptyBatch.selector);
        else if (a.categories == 0) expected = abi.encodeWithSelector(IRecordRegistry.RecordsNoCategory.selector);
        else if (a.merkleRoot == bytes32(0)) expected = abi.encodeWithSelector(IRecordRegistry.RecordsZeroCommitment.selector);
        else if (!allowed) expected = abi.encodeWithSelector(IRecordRegistry.RecordsNotWriter.selector, a.owner, a.author);
        else if (ghostExists[a.batchId]) expected = abi.encodeWithSelector(IRecordRegistry.RecordsBatchExists.selector, a.batchId);

        (bool ok, bytes memory reason) = _act(
            a.authorSeed,
            a.relayed,
            abi.encodeCall(
                IRecordRegistry.appendBatch, (a.batchId, a.owner, a.categories, a.manifestDigest, a.merkleRoot, a.count)
            )
        );
        _checkAndCount(ok, reason, expected, a.relayed, "appendBatch");
        // count every successful append, but keep the first write of an id as its reference snapshot
        if (ok) ++ghostAppends[a.owner];
        if (!ok || ghostExists[a.batchId]) return;

        ghostExists[a.batchId] = true;
        ghostBatchIds.push(a.batchId);
        ghostAllowedAtAppend[a.batchId] = allowed;
        _written[a.batchId] = Written({
            owner: a.owner,
            author: a.author,
            categories: a.categories,
            count: a.count,
            createdAt: uint64(block.timestamp)
        });
        _current[a.batchId] =
            Current({manifestDigest: a.manifestDigest, merkleRoot: a.merkleRoot, version: 1, rotations: 0});
    }

    function shredBatch(uint256 callerSeed, uint256 idSeed, bool relayed) external {
        ++calls[this.shredBatch.selector];
        // mostly target a batch that exists, sometimes an unknown one
        bytes32 batchId = ghostBatchIds.length > 0 && idSeed % 8 != 0
            ? ghostBatchIds[idSeed % ghostBatchIds.length]
            : _batchId(idSeed);
        // half of the time the caller is the batch's owner (when it exists)
        if (callerSeed % 2 == 0 && ghostExists[batchId]) callerSeed = _actorIndex[_written[batchId].owner];
        address caller = _actor(callerSeed);
        bytes memory expected;
        if (!ghostExists[batchId]) {
            expected = abi.encodeWithSelector(IRecordRegistry.RecordsUnknownBatch.selector, batchId);
        } else if (_written[batchId].owner != caller) {
            expected = abi.encodeWithSelector(IRecordRegistry.RecordsNotOwner.selector, batchId, caller);
        } else if (ghostErased[batchId]) {
            expected = abi.encodeWithSelector(IRecordRegistry.RecordsAlreadyErased.selector, batchId);
        }
        (bool ok, bytes memory reason) = _act(callerSeed, relayed, abi.encodeCall(IRecordRegistry.shredBatch, (batchId)));
        _checkAndCount(ok, reason, expected, relayed, "shredBatch");
        if (ok) ghostErased[batchId] = true;
        // shredding keeps the (now meaningless) commitments and the version
        if (ghostExists[batchId]) _checkCurrent(batchId, "shredBatch");
    }

    function rotateBatch(
        uint256 callerSeed,
        uint256 idSeed,
        bytes32 merkleRoot,
        uint8 digestMode,
        uint256 elapsed,
        bool relayed
    ) external {
        ++calls[this.rotateBatch.selector];
        vm.warp(block.timestamp + bound(elapsed, 0, 7 days));
        bytes32 batchId = ghostBatchIds.length > 0 && idSeed % 8 != 0
            ? ghostBatchIds[idSeed % ghostBatchIds.length]
            : _batchId(idSeed);
        // mostly the owner (when the batch exists); rare zero and repeated manifests
        if (callerSeed % 4 != 0 && ghostExists[batchId]) callerSeed = _actorIndex[_written[batchId].owner];
        address caller = _actor(callerSeed);
        Current memory before = _current[batchId];
        bytes32 manifestDigest;
        if (digestMode % 16 == 0) manifestDigest = bytes32(0);
        else if (digestMode % 16 == 1) manifestDigest = before.manifestDigest;
        else manifestDigest = sha256(abi.encode(batchId, merkleRoot, before.rotations + 1, digestMode));
        if (digestMode % 16 == 2) merkleRoot = bytes32(0);

        bytes memory expected;
        if (!ghostExists[batchId]) {
            expected = abi.encodeWithSelector(IRecordRegistry.RecordsUnknownBatch.selector, batchId);
        } else if (_written[batchId].owner != caller) {
            expected = abi.encodeWithSelector(IRecordRegistry.RecordsNotOwner.selector, batchId, caller);
        } else if (ghostErased[batchId]) {
            expected = abi.encodeWithSelector(IRecordRegistry.RecordsAlreadyErased.selector, batchId);
        } else if (manifestDigest == bytes32(0) || merkleRoot == bytes32(0)) {
            expected = abi.encodeWithSelector(IRecordRegistry.RecordsZeroCommitment.selector);
        } else if (manifestDigest == before.manifestDigest) {
            expected = abi.encodeWithSelector(IRecordRegistry.RecordsSameManifest.selector, batchId);
        }
        (bool ok, bytes memory reason) = _act(
            callerSeed, relayed, abi.encodeCall(IRecordRegistry.rotateBatch, (batchId, manifestDigest, merkleRoot))
        );
        _checkAndCount(ok, reason, expected, relayed, "rotateBatch");
        if (ok) {
            _current[batchId] = Current({
                manifestDigest: manifestDigest,
                merkleRoot: merkleRoot,
                version: before.version + 1,
                rotations: before.rotations + 1
            });
        }
        // a rotation moves the version by exactly one; a refused one changes nothing
        if (ghostExists[batchId]) _checkCurrent(batchId, "rotateBatch");
    }

    // ------------------------------------------------------------------------------------- views

    function batchIdsLength() external view returns (uint256) {
        return ghostBatchIds.length;
    }

    function written(bytes32 batchId) external view returns (Written memory) {
        return _written[batchId];
    }

    function current(bytes32 batchId) external view returns (Current memory) {
        return _current[batchId];
    }

    // ----------------------------------------------------------------------------------- helpers

    function _actor(uint256 seed) private view returns (address) {
        return actors[seed % ACTORS];
    }

    function _batchId(uint256 seed) private pure returns (bytes32) {
        return keccak256(abi.encode("batch", seed % BATCH_IDS));
    }

    /// @dev Performs `data` on the registry as actor `seed`, directly (prank) or relayed (signed request).
    function _act(uint256 seed, bool relayed, bytes memory data) private returns (bool ok, bytes memory reason) {
        uint256 i = seed % ACTORS;
        return _callAs(forwarder, actorKeys[i], actors[i], address(registry), relayed, data);
    }

    /// @dev As `_checkOutcome`, and counts successes.
    function _checkAndCount(bool ok, bytes memory reason, bytes memory expected, bool relayed, string memory action) private {
        _checkOutcome(ok, reason, expected, relayed, action);
        if (ok) ++successes;
    }

    /// @dev The registry's version and commitments of `batchId` equal the model's, right after an action on it.
    function _checkCurrent(bytes32 batchId, string memory action) private {
        IRecordRegistry.Batch memory b = registry.getBatch(batchId);
        Current memory c = _current[batchId];
        if (b.version != c.version) _violation(string.concat(action, ": version moved otherwise than by one rotation"));
        if (b.manifestDigest != c.manifestDigest || b.merkleRoot != c.merkleRoot) {
            _violation(string.concat(action, ": commitments changed otherwise than by a rotation"));
        }
    }

}

contract RecordRegistryInvariantTest is Test {
    RecordRegistry internal registry;
    RecordRegistryHandler internal handler;

    function setUp() public {
        vm.warp(1_800_000_000);
        MedchainForwarder forwarder = new MedchainForwarder();
        registry = new RecordRegistry(address(forwarder));
        handler = new RecordRegistryHandler(registry, forwarder);

        bytes4[] memory selectors = new bytes4[](5);
        selectors[0] = RecordRegistryHandler.authorizeWriter.selector;
        selectors[1] = RecordRegistryHandler.revokeWriter.selector;
        selectors[2] = RecordRegistryHandler.appendBatch.selector;
        selectors[3] = RecordRegistryHandler.shredBatch.selector;
        selectors[4] = RecordRegistryHandler.rotateBatch.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// Every call (success or exact error) behaved as the model predicts.
    function invariant_OutcomesMatchModel() public view {
        assertEq(handler.ghostViolations(), 0, handler.lastViolation());
    }

    /// A batch is only ever appended by its owner or by a writer the owner authorized at that time.
    function invariant_BatchesAppendedOnlyByOwnerOrWriterAuthorizedAtTheTime() public view {
        uint256 n = handler.batchIdsLength();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 batchId = handler.ghostBatchIds(i);
            assertTrue(handler.ghostAllowedAtAppend(batchId), "append by a non-writer");
        }
    }

    /// An erased batch never becomes un-erased, and only shredding erases.
    function invariant_ErasureIsPermanent() public view {
        uint256 n = handler.batchIdsLength();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 batchId = handler.ghostBatchIds(i);
            assertEq(registry.getBatch(batchId).erased, handler.ghostErased(batchId), "erased flag");
        }
    }

    /// batchCount equals the number of successful appends per owner.
    function invariant_BatchCountEqualsSuccessfulAppends() public view {
        uint256 total;
        for (uint256 i = 0; i < handler.ACTORS(); ++i) {
            address owner = handler.actors(i);
            assertEq(registry.batchCount(owner), handler.ghostAppends(owner), "batchCount");
            total += registry.batchCount(owner);
        }
        assertEq(total, handler.batchIdsLength(), "total appends");
    }

    /// A batch's owner, author, categories, count and creation time never change once written.
    function invariant_WrittenBatchesKeepWhatTheAppendFixed() public view {
        uint256 n = handler.batchIdsLength();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 batchId = handler.ghostBatchIds(i);
            IRecordRegistry.Batch memory b = registry.getBatch(batchId);
            RecordRegistryHandler.Written memory w = handler.written(batchId);
            assertEq(b.owner, w.owner, "owner");
            assertEq(b.author, w.author, "author");
            assertEq(uint256(b.categories), uint256(w.categories), "categories");
            assertEq(uint256(b.count), uint256(w.count), "count");
            assertEq(uint256(b.createdAt), uint256(w.createdAt), "createdAt");
        }
    }

    /// A batch's manifest digest and Merkle root change only by a successful rotation, each of which bumps the
    /// version by exactly one: the version is 1 + the number of rotations (so it only ever increases), and the
    /// commitments are the last rotation's (or the append's).
    function invariant_CommitmentsChangeOnlyByRotationWhichCountsVersions() public view {
        uint256 n = handler.batchIdsLength();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 batchId = handler.ghostBatchIds(i);
            IRecordRegistry.Batch memory b = registry.getBatch(batchId);
            RecordRegistryHandler.Current memory c = handler.current(batchId);
            assertEq(uint256(b.version), 1 + c.rotations, "version = 1 + rotations");
            assertEq(uint256(b.version), uint256(c.version), "version");
            assertEq(b.manifestDigest, c.manifestDigest, "manifestDigest");
            assertEq(b.merkleRoot, c.merkleRoot, "merkleRoot");
            assertTrue(b.manifestDigest != bytes32(0) && b.merkleRoot != bytes32(0), "zero commitment");
        }
    }

    /// isWriter agrees with the model of authorizations for every pair of actors.
    function invariant_WriterSetMatchesModel() public view {
        for (uint256 i = 0; i < handler.ACTORS(); ++i) {
            for (uint256 j = 0; j < handler.ACTORS(); ++j) {
                address owner = handler.actors(i);
                address writer = handler.actors(j);
                bool expected = owner == writer || handler.ghostAuthorized(owner, writer);
                assertEq(registry.isWriter(owner, writer), expected, "isWriter");
            }
        }
    }

    /// Unknown ids stay unknown: every id outside the appended set reverts RecordsUnknownBatch.
    function invariant_UnappendedIdsAreUnknown() public view {
        for (uint256 k = 0; k < handler.BATCH_IDS(); ++k) {
            bytes32 batchId = keccak256(abi.encode("batch", k));
            if (handler.ghostExists(batchId)) continue;
            try registry.getBatch(batchId) returns (IRecordRegistry.Batch memory) {
                assertTrue(false, "unknown id readable");
            } catch (bytes memory reason) {
                assertEq(reason, abi.encodeWithSelector(IRecordRegistry.RecordsUnknownBatch.selector, batchId));
            }
        }
    }
}
