// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {IRecordRegistry} from "../../../contracts/records/IRecordRegistry.sol";
import {RecordRegistry} from "../../../contracts/records/RecordRegistry.sol";
import {Test} from "../utils/Test.sol";
import {ForwarderSigner} from "../utils/ForwarderSigner.sol";

abstract contract RecordRegistryFixture is Test, ForwarderSigner {
    MedchainForwarder internal forwarder;
    RecordRegistry internal registry;

    address internal patient;
    uint256 internal patientKey;
    address internal provider;
    uint256 internal providerKey;
    address internal stranger;
    uint256 internal strangerKey;
    address internal relayer;

    bytes32 internal constant BATCH_ID = keccak256("batch-1");
    bytes32 internal constant BATCH_ID_2 = keccak256("batch-2");
    uint32 internal constant CATEGORIES = 0x5; // e.g. observations | medications
    /// @dev sha256("manifest blob"), written out: calling the sha256 precompile between `vm.prank` /
    ///      `vm.expectRevert` and the call under test would consume the cheatcode.
    bytes32 internal constant DIGEST = 0x3a019459214e50ace6019ade0f4c498fbd93e16755d8aa4acdad399b84d9621b;
    bytes32 internal constant ROOT = keccak256("merkle root");
    /// @dev sha256("rotated manifest blob"), written out for the same reason as DIGEST.
    bytes32 internal constant DIGEST_2 = 0x06e035c9455dee515066aa2c494ec55d8cc5ec79ca1650283978c0120713c9d7;
    bytes32 internal constant ROOT_2 = keccak256("rotated merkle root");
    uint32 internal constant COUNT = 3;
    uint256 internal constant T0 = 1_800_000_000;

    function setUp() public virtual {
        vm.warp(T0);
        forwarder = new MedchainForwarder();
        registry = new RecordRegistry(address(forwarder));
        (patient, patientKey) = makeAddrAndKey("patient");
        (provider, providerKey) = makeAddrAndKey("provider");
        (stranger, strangerKey) = makeAddrAndKey("stranger");
        relayer = makeAddr("relayer");
    }

    function _append(address author, bytes32 batchId, address owner) internal {
        vm.prank(author);
        registry.appendBatch(batchId, owner, CATEGORIES, DIGEST, ROOT, COUNT);
    }

    function _rotate(address caller, bytes32 batchId, bytes32 manifestDigest, bytes32 merkleRoot) internal {
        vm.prank(caller);
        registry.rotateBatch(batchId, manifestDigest, merkleRoot);
    }

    function _authorize(address owner, address writer) internal {
        vm.prank(owner);
        registry.authorizeWriter(writer);
    }

    function _appendCall(bytes32 batchId, address owner) internal pure returns (bytes memory) {
        return abi.encodeCall(IRecordRegistry.appendBatch, (batchId, owner, CATEGORIES, DIGEST, ROOT, COUNT));
    }

    function _err(bytes4 selector) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(selector);
    }
}

contract RecordRegistryTest is RecordRegistryFixture {
    // ------------------------------------------------------------------------------------ deployment

    function test_SupportsInterface() public view {
        assertTrue(registry.supportsInterface(type(IRecordRegistry).interfaceId));
        assertTrue(registry.supportsInterface(type(IERC165).interfaceId));
        assertFalse(registry.supportsInterface(0xffffffff));
    }

    function test_TrustsTheForwarder() public view {
        assertTrue(registry.isTrustedForwarder(address(forwarder)));
        assertEq(registry.trustedForwarder(), address(forwarder));
        assertEq(registry.batchCount(patient), 0);
    }

    // ------------------------------------------------------------------------------- authorizeWriter

    function test_AuthorizeWriter_GrantsAndEmits() public {
        assertFalse(registry.isWriter(patient, provider));
        vm.expectEmit(address(registry));
        emit IRecordRegistry.WriterAuthorized(patient, provider);
        _authorize(patient, provider);
        assertTrue(registry.isWriter(patient, provider));
    }

    function test_AuthorizeWriter_IsIdempotent() public {
        _authorize(patient, provider);
        vm.expectEmit(address(registry));
        emit IRecordRegistry.WriterAuthorized(patient, provider);
        _authorize(patient, provider);
        assertTrue(registry.isWriter(patient, provider));
        // one revocation is enough after two authorizations
        vm.prank(patient);
        registry.revokeWriter(provider);
        assertFalse(registry.isWriter(patient, provider));
    }

    function test_AuthorizeWriter_IsPerOwner() public {
        _authorize(patient, provider);
        assertFalse(registry.isWriter(stranger, provider));
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsNotWriter.selector, stranger, provider));
        _append(provider, BATCH_ID, stranger);
    }

    function test_RevertWhen_AuthorizingZeroAddress() public {
        vm.expectRevert(_err(IRecordRegistry.RecordsZeroAddress.selector));
        _authorize(patient, address(0));
    }

    function test_RevertWhen_AuthorizingSelf() public {
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsSelfWriter.selector, patient));
        _authorize(patient, patient);
    }

    // ---------------------------------------------------------------------------------- revokeWriter

    function test_RevokeWriter_RemovesAndEmits() public {
        _authorize(patient, provider);
        vm.expectEmit(address(registry));
        emit IRecordRegistry.WriterRevoked(patient, provider);
        vm.prank(patient);
        registry.revokeWriter(provider);
        assertFalse(registry.isWriter(patient, provider));
    }

    function test_RevertWhen_RevokingNonWriter() public {
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsNotWriter.selector, patient, provider));
        vm.prank(patient);
        registry.revokeWriter(provider);
    }

    function test_RevertWhen_RevokingTwice() public {
        _authorize(patient, provider);
        vm.startPrank(patient);
        registry.revokeWriter(provider);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsNotWriter.selector, patient, provider));
        registry.revokeWriter(provider);
        vm.stopPrank();
    }

    function test_RevertWhen_RevokingSelf() public {
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsNotWriter.selector, patient, patient));
        vm.prank(patient);
        registry.revokeWriter(patient);
        assertTrue(registry.isWriter(patient, patient));
    }

    function test_RevertWhen_RevokingAnotherOwnersWriter() public {
        _authorize(patient, provider);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsNotWriter.selector, stranger, provider));
        vm.prank(stranger);
        registry.revokeWriter(provider);
        assertTrue(registry.isWriter(patient, provider));
    }

    // -------------------------------------------------------------------------------------- isWriter

    function test_IsWriter_OwnerAlwaysWritesItsOwnRecord() public view {
        assertTrue(registry.isWriter(patient, patient));
        assertFalse(registry.isWriter(patient, stranger));
    }

    // ----------------------------------------------------------------------------------- appendBatch

    function test_AppendBatch_ByOwnerStoresEverything() public {
        vm.expectEmit(address(registry));
        emit IRecordRegistry.BatchAppended(BATCH_ID, patient, patient, CATEGORIES, DIGEST, ROOT, COUNT, 1);
        _append(patient, BATCH_ID, patient);

        IRecordRegistry.Batch memory b = registry.getBatch(BATCH_ID);
        assertEq(b.owner, patient);
        assertEq(b.author, patient);
        assertEq(uint256(b.categories), CATEGORIES);
        assertEq(uint256(b.count), COUNT);
        assertEq(uint256(b.version), 1);
        assertFalse(b.erased);
        assertEq(uint256(b.createdAt), T0);
        assertEq(b.manifestDigest, DIGEST);
        assertEq(b.merkleRoot, ROOT);
        assertEq(registry.batchCount(patient), 1);
    }

    function test_AppendBatch_ByAuthorizedWriterRecordsAuthor() public {
        _authorize(patient, provider);
        vm.warp(T0 + 1 days);
        vm.expectEmit(address(registry));
        emit IRecordRegistry.BatchAppended(BATCH_ID, patient, provider, CATEGORIES, DIGEST, ROOT, COUNT, 1);
        _append(provider, BATCH_ID, patient);

        IRecordRegistry.Batch memory b = registry.getBatch(BATCH_ID);
        assertEq(b.owner, patient);
        assertEq(b.author, provider);
        assertEq(uint256(b.createdAt), T0 + 1 days);
        assertEq(registry.batchCount(patient), 1);
        assertEq(registry.batchCount(provider), 0);
    }

    function test_RevertWhen_AppendingZeroBatchId() public {
        vm.expectRevert(_err(IRecordRegistry.RecordsZeroBatchId.selector));
        _append(patient, bytes32(0), patient);
    }

    function test_RevertWhen_AppendingForZeroOwner() public {
        vm.expectRevert(_err(IRecordRegistry.RecordsZeroAddress.selector));
        _append(patient, BATCH_ID, address(0));
    }

    function test_RevertWhen_AppendingEmptyBatch() public {
        vm.expectRevert(_err(IRecordRegistry.RecordsEmptyBatch.selector));
        vm.prank(patient);
        registry.appendBatch(BATCH_ID, patient, CATEGORIES, DIGEST, ROOT, 0);
    }

    function test_RevertWhen_AppendingWithoutCategory() public {
        vm.expectRevert(_err(IRecordRegistry.RecordsNoCategory.selector));
        vm.prank(patient);
        registry.appendBatch(BATCH_ID, patient, 0, DIGEST, ROOT, COUNT);
    }

    function test_RevertWhen_AppendingZeroManifestDigest() public {
        vm.expectRevert(_err(IRecordRegistry.RecordsZeroCommitment.selector));
        vm.prank(patient);
        registry.appendBatch(BATCH_ID, patient, CATEGORIES, bytes32(0), ROOT, COUNT);
    }

    function test_RevertWhen_AppendingZeroMerkleRoot() public {
        vm.expectRevert(_err(IRecordRegistry.RecordsZeroCommitment.selector));
        vm.prank(patient);
        registry.appendBatch(BATCH_ID, patient, CATEGORIES, DIGEST, bytes32(0), COUNT);
    }

    function test_RevertWhen_StrangerAppends() public {
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsNotWriter.selector, patient, stranger));
        _append(stranger, BATCH_ID, patient);
        assertEq(registry.batchCount(patient), 0);
    }

    function test_RevertWhen_RevokedWriterAppends() public {
        _authorize(patient, provider);
        _append(provider, BATCH_ID, patient);
        vm.prank(patient);
        registry.revokeWriter(provider);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsNotWriter.selector, patient, provider));
        _append(provider, BATCH_ID_2, patient);
        // what was written before the revocation stays
        assertEq(registry.getBatch(BATCH_ID).author, provider);
        assertEq(registry.batchCount(patient), 1);
    }

    function test_RevertWhen_AppendingExistingBatchId() public {
        _append(patient, BATCH_ID, patient);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsBatchExists.selector, BATCH_ID));
        _append(patient, BATCH_ID, patient);
    }

    function test_RevertWhen_AppendingBatchIdOfAnotherOwner() public {
        _append(patient, BATCH_ID, patient);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsBatchExists.selector, BATCH_ID));
        _append(stranger, BATCH_ID, stranger);
        assertEq(registry.getBatch(BATCH_ID).owner, patient);
    }

    function test_RevertWhen_ReusingShreddedBatchId() public {
        _append(patient, BATCH_ID, patient);
        vm.prank(patient);
        registry.shredBatch(BATCH_ID);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsBatchExists.selector, BATCH_ID));
        _append(patient, BATCH_ID, patient);
    }

    function test_AppendBatch_ChecksAuthorizationBeforeExistence() public {
        _append(patient, BATCH_ID, patient);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsNotWriter.selector, patient, stranger));
        _append(stranger, BATCH_ID, patient);
    }

    // ------------------------------------------------------------------------------------ shredBatch

    function test_ShredBatch_ByOwnerErasesAndKeepsCommitments() public {
        _authorize(patient, provider);
        _append(provider, BATCH_ID, patient);
        vm.expectEmit(address(registry));
        emit IRecordRegistry.BatchShredded(BATCH_ID, patient);
        vm.prank(patient);
        registry.shredBatch(BATCH_ID);

        IRecordRegistry.Batch memory b = registry.getBatch(BATCH_ID);
        assertTrue(b.erased);
        assertEq(b.owner, patient);
        assertEq(b.author, provider);
        assertEq(b.manifestDigest, DIGEST);
        assertEq(b.merkleRoot, ROOT);
        assertEq(uint256(b.version), 1);
        assertEq(registry.batchCount(patient), 1);
    }

    function test_RevertWhen_ShreddingUnknownBatch() public {
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsUnknownBatch.selector, BATCH_ID));
        vm.prank(patient);
        registry.shredBatch(BATCH_ID);
    }

    function test_RevertWhen_AuthorShredsSomeoneElsesBatch() public {
        _authorize(patient, provider);
        _append(provider, BATCH_ID, patient);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsNotOwner.selector, BATCH_ID, provider));
        vm.prank(provider);
        registry.shredBatch(BATCH_ID);
        assertFalse(registry.getBatch(BATCH_ID).erased);
    }

    function test_RevertWhen_ShreddingTwice() public {
        _append(patient, BATCH_ID, patient);
        vm.startPrank(patient);
        registry.shredBatch(BATCH_ID);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsAlreadyErased.selector, BATCH_ID));
        registry.shredBatch(BATCH_ID);
        vm.stopPrank();
    }

    // ----------------------------------------------------------------------------------- rotateBatch

    function test_RotateBatch_ByOwnerReplacesCommitmentsAndBumpsVersion() public {
        _authorize(patient, provider);
        _append(provider, BATCH_ID, patient);
        vm.warp(T0 + 1 days);
        vm.expectEmit(address(registry));
        emit IRecordRegistry.BatchRotated(BATCH_ID, patient, 2, DIGEST_2, ROOT_2);
        _rotate(patient, BATCH_ID, DIGEST_2, ROOT_2);

        IRecordRegistry.Batch memory b = registry.getBatch(BATCH_ID);
        assertEq(uint256(b.version), 2);
        assertEq(b.manifestDigest, DIGEST_2);
        assertEq(b.merkleRoot, ROOT_2);
        // what a rotation re-encrypts stays the same records: owner, author, categories, count, creation time
        assertEq(b.owner, patient);
        assertEq(b.author, provider);
        assertEq(uint256(b.categories), CATEGORIES);
        assertEq(uint256(b.count), COUNT);
        assertEq(uint256(b.createdAt), T0);
        assertFalse(b.erased);
        assertEq(registry.batchCount(patient), 1);
    }

    function test_RotateBatch_AgainBumpsVersionEachTime() public {
        _append(patient, BATCH_ID, patient);
        _rotate(patient, BATCH_ID, DIGEST_2, ROOT_2);
        vm.expectEmit(address(registry));
        emit IRecordRegistry.BatchRotated(BATCH_ID, patient, 3, DIGEST, ROOT);
        // back to an earlier manifest is allowed: only the current one is refused
        _rotate(patient, BATCH_ID, DIGEST, ROOT);
        IRecordRegistry.Batch memory b = registry.getBatch(BATCH_ID);
        assertEq(uint256(b.version), 3);
        assertEq(b.manifestDigest, DIGEST);
        assertEq(b.merkleRoot, ROOT);
    }

    function test_RotateBatch_SameRootWithNewManifestIsAllowed() public {
        _append(patient, BATCH_ID, patient);
        _rotate(patient, BATCH_ID, DIGEST_2, ROOT);
        assertEq(uint256(registry.getBatch(BATCH_ID).version), 2);
    }

    function test_RotateBatch_LeavesOtherBatchesAlone() public {
        _append(patient, BATCH_ID, patient);
        _append(patient, BATCH_ID_2, patient);
        _rotate(patient, BATCH_ID, DIGEST_2, ROOT_2);
        IRecordRegistry.Batch memory other = registry.getBatch(BATCH_ID_2);
        assertEq(uint256(other.version), 1);
        assertEq(other.manifestDigest, DIGEST);
        assertEq(other.merkleRoot, ROOT);
    }

    function test_RevertWhen_RotatingUnknownBatch() public {
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsUnknownBatch.selector, BATCH_ID));
        _rotate(patient, BATCH_ID, DIGEST_2, ROOT_2);
    }

    function test_RevertWhen_AuthorRotatesSomeoneElsesBatch() public {
        _authorize(patient, provider);
        _append(provider, BATCH_ID, patient);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsNotOwner.selector, BATCH_ID, provider));
        _rotate(provider, BATCH_ID, DIGEST_2, ROOT_2);
        assertEq(uint256(registry.getBatch(BATCH_ID).version), 1);
    }

    function test_RevertWhen_RotatingErasedBatch() public {
        _append(patient, BATCH_ID, patient);
        vm.prank(patient);
        registry.shredBatch(BATCH_ID);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsAlreadyErased.selector, BATCH_ID));
        _rotate(patient, BATCH_ID, DIGEST_2, ROOT_2);
    }

    function test_RevertWhen_RotatingToZeroCommitments() public {
        _append(patient, BATCH_ID, patient);
        vm.expectRevert(_err(IRecordRegistry.RecordsZeroCommitment.selector));
        _rotate(patient, BATCH_ID, bytes32(0), ROOT_2);
        vm.expectRevert(_err(IRecordRegistry.RecordsZeroCommitment.selector));
        _rotate(patient, BATCH_ID, DIGEST_2, bytes32(0));
    }

    function test_RevertWhen_RotatingToTheSameManifest() public {
        _append(patient, BATCH_ID, patient);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsSameManifest.selector, BATCH_ID));
        _rotate(patient, BATCH_ID, DIGEST, ROOT_2);
        assertEq(registry.getBatch(BATCH_ID).merkleRoot, ROOT);
    }

    function test_RotateBatch_ChecksOwnershipBeforeErasureAndInput() public {
        _append(patient, BATCH_ID, patient);
        vm.prank(patient);
        registry.shredBatch(BATCH_ID);
        // a stranger learns nothing beyond "not yours", even with invalid input on an erased batch
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsNotOwner.selector, BATCH_ID, stranger));
        _rotate(stranger, BATCH_ID, bytes32(0), bytes32(0));
        // the owner: erased comes before the input checks
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsAlreadyErased.selector, BATCH_ID));
        _rotate(patient, BATCH_ID, bytes32(0), bytes32(0));
    }

    function test_ShredBatch_AfterRotationKeepsTheRotatedCommitments() public {
        _append(patient, BATCH_ID, patient);
        _rotate(patient, BATCH_ID, DIGEST_2, ROOT_2);
        vm.prank(patient);
        registry.shredBatch(BATCH_ID);
        IRecordRegistry.Batch memory b = registry.getBatch(BATCH_ID);
        assertTrue(b.erased);
        assertEq(uint256(b.version), 2);
        assertEq(b.manifestDigest, DIGEST_2);
    }

    // ------------------------------------------------------------------------- getBatch / batchCount

    function test_RevertWhen_GettingUnknownBatch() public {
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsUnknownBatch.selector, BATCH_ID));
        registry.getBatch(BATCH_ID);
    }

    function test_BatchCount_CountsPerOwnerIncludingShredded() public {
        _authorize(patient, provider);
        _append(patient, BATCH_ID, patient);
        _append(provider, BATCH_ID_2, patient);
        _append(stranger, keccak256("batch-3"), stranger);
        vm.prank(patient);
        registry.shredBatch(BATCH_ID);
        assertEq(registry.batchCount(patient), 2);
        assertEq(registry.batchCount(stranger), 1);
        assertEq(registry.batchCount(provider), 0);
    }

    // --------------------------------------------------------------------------------- via forwarder

    function test_Relayed_FullFlowIsAttributedToSigners() public {
        // patient authorizes the provider, the provider appends, the patient shreds: all relayed
        vm.startPrank(relayer);
        forwarder.execute(
            signedRequest(forwarder, patientKey, address(registry), abi.encodeCall(IRecordRegistry.authorizeWriter, (provider)))
        );
        assertTrue(registry.isWriter(patient, provider));

        vm.expectEmit(address(registry));
        emit IRecordRegistry.BatchAppended(BATCH_ID, patient, provider, CATEGORIES, DIGEST, ROOT, COUNT, 1);
        forwarder.execute(signedRequest(forwarder, providerKey, address(registry), _appendCall(BATCH_ID, patient)));
        assertEq(registry.getBatch(BATCH_ID).author, provider);

        vm.expectEmit(address(registry));
        emit IRecordRegistry.BatchShredded(BATCH_ID, patient);
        forwarder.execute(
            signedRequest(forwarder, patientKey, address(registry), abi.encodeCall(IRecordRegistry.shredBatch, (BATCH_ID)))
        );
        assertTrue(registry.getBatch(BATCH_ID).erased);

        forwarder.execute(
            signedRequest(forwarder, patientKey, address(registry), abi.encodeCall(IRecordRegistry.revokeWriter, (provider)))
        );
        vm.stopPrank();
        assertFalse(registry.isWriter(patient, provider));
        assertFalse(registry.isWriter(patient, relayer));
        assertEq(forwarder.nonces(patient), 3);
        assertEq(forwarder.nonces(provider), 1);
    }

    function test_Relayed_RotateIsAttributedToTheSigningOwner() public {
        _authorize(patient, provider);
        _append(provider, BATCH_ID, patient);
        bytes memory rotate = abi.encodeCall(IRecordRegistry.rotateBatch, (BATCH_ID, DIGEST_2, ROOT_2));
        // the author's signed rotation is refused by the registry (wrapped as FailedCall by the forwarder)
        ERC2771Forwarder.ForwardRequestData memory byAuthor =
            signedRequest(forwarder, providerKey, address(registry), rotate);
        vm.expectRevert();
        vm.prank(relayer);
        forwarder.execute(byAuthor);
        assertEq(uint256(registry.getBatch(BATCH_ID).version), 1);
        assertEq(forwarder.nonces(provider), 0);

        ERC2771Forwarder.ForwardRequestData memory byOwner = signedRequest(forwarder, patientKey, address(registry), rotate);
        vm.expectEmit(address(registry));
        emit IRecordRegistry.BatchRotated(BATCH_ID, patient, 2, DIGEST_2, ROOT_2);
        vm.prank(relayer);
        forwarder.execute(byOwner);
        IRecordRegistry.Batch memory b = registry.getBatch(BATCH_ID);
        assertEq(uint256(b.version), 2);
        assertEq(b.manifestDigest, DIGEST_2);
        assertEq(b.author, provider);
    }

    function test_Relayed_ForgedSignatureDoesNotAct() public {
        _authorize(patient, provider);
        // the stranger signs a request that claims to come from the authorized provider
        ERC2771Forwarder.ForwardRequestData memory request =
            signRequest(forwarder, forwardRequest(provider, address(registry), _appendCall(BATCH_ID, patient)), strangerKey);
        assertFalse(forwarder.verify(request));
        vm.expectRevert(
            abi.encodeWithSelector(ERC2771Forwarder.ERC2771ForwarderInvalidSigner.selector, stranger, provider)
        );
        vm.prank(relayer);
        forwarder.execute(request);
        assertEq(registry.batchCount(patient), 0);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsUnknownBatch.selector, BATCH_ID));
        registry.getBatch(BATCH_ID);
    }

    function test_Relayed_StrangerSignedAppendIsRejectedByRegistry() public {
        ERC2771Forwarder.ForwardRequestData memory request =
            signedRequest(forwarder, strangerKey, address(registry), _appendCall(BATCH_ID, patient));
        assertTrue(forwarder.verify(request));
        // the inner RecordsNotWriter is wrapped by the forwarder as FailedCall; the nonce is not consumed
        vm.expectRevert();
        vm.prank(relayer);
        forwarder.execute(request);
        assertEq(registry.batchCount(patient), 0);
        assertEq(forwarder.nonces(stranger), 0);
    }

    function test_Relayed_ReplayIsRejected() public {
        ERC2771Forwarder.ForwardRequestData memory request =
            signedRequest(forwarder, patientKey, address(registry), _appendCall(BATCH_ID, patient));
        vm.startPrank(relayer);
        forwarder.execute(request);
        // same request again: the nonce moved on, so the recovered signer no longer matches
        assertFalse(forwarder.verify(request));
        vm.expectRevert();
        forwarder.execute(request);
        vm.stopPrank();
        assertEq(registry.batchCount(patient), 1);
    }

    function test_Relayed_ExpiredRequestIsRejected() public {
        ERC2771Forwarder.ForwardRequestData memory request =
            signedRequest(forwarder, patientKey, address(registry), _appendCall(BATCH_ID, patient));
        vm.warp(uint256(request.deadline) + 1);
        vm.expectRevert(
            abi.encodeWithSelector(ERC2771Forwarder.ERC2771ForwarderExpiredRequest.selector, request.deadline)
        );
        vm.prank(relayer);
        forwarder.execute(request);
    }

    function test_Relayed_UntrustingTargetIsRejected() public {
        RecordRegistry other = new RecordRegistry(address(0));
        ERC2771Forwarder.ForwardRequestData memory request =
            signedRequest(forwarder, patientKey, address(other), _appendCall(BATCH_ID, patient));
        vm.expectRevert(
            abi.encodeWithSelector(ERC2771Forwarder.ERC2771UntrustfulTarget.selector, address(other), address(forwarder))
        );
        vm.prank(relayer);
        forwarder.execute(request);
    }

    function test_DirectCallWithSpoofedSuffixActsAsTheCaller() public {
        _authorize(patient, provider);
        // a stranger appends the provider's address to the calldata: ignored, since it is not the forwarder
        bytes memory spoofed = abi.encodePacked(_appendCall(BATCH_ID, patient), provider);
        vm.prank(stranger);
        (bool ok, bytes memory reason) = address(registry).call(spoofed);
        assertFalse(ok);
        assertEq(reason, abi.encodeWithSelector(IRecordRegistry.RecordsNotWriter.selector, patient, stranger));
    }
}

contract RecordRegistryFuzzTest is RecordRegistryFixture {
    function _assumeActor(address account) internal view {
        vm.assume(account != address(0) && account != address(forwarder));
    }

    function testFuzz_OnlyOwnerOrAuthorizedWriterAppends(address owner, address author, bool authorize, bytes32 batchId)
        public
    {
        _assumeActor(owner);
        _assumeActor(author);
        vm.assume(batchId != bytes32(0));
        if (authorize && owner != author) _authorize(owner, author);
        bool allowed = owner == author || authorize;

        if (!allowed) {
            vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsNotWriter.selector, owner, author));
        }
        _append(author, batchId, owner);

        assertEq(registry.batchCount(owner), allowed ? 1 : 0);
        if (allowed) {
            IRecordRegistry.Batch memory b = registry.getBatch(batchId);
            assertEq(b.owner, owner);
            assertEq(b.author, author);
        }
    }

    function testFuzz_RevokedWriterCannotAppend(address owner, address writer, bytes32 batchId) public {
        _assumeActor(owner);
        _assumeActor(writer);
        vm.assume(owner != writer && batchId != bytes32(0));
        _authorize(owner, writer);
        vm.prank(owner);
        registry.revokeWriter(writer);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsNotWriter.selector, owner, writer));
        _append(writer, batchId, owner);
    }

    function testFuzz_AppendStoresExactlyWhatWasGiven(
        bytes32 batchId,
        uint32 categories,
        bytes32 manifestDigest,
        bytes32 merkleRoot,
        uint32 count,
        uint64 timestamp
    ) public {
        vm.assume(batchId != bytes32(0) && manifestDigest != bytes32(0) && merkleRoot != bytes32(0));
        vm.assume(categories != 0 && count != 0);
        vm.warp(timestamp);
        vm.expectEmit(address(registry));
        emit IRecordRegistry.BatchAppended(batchId, patient, patient, categories, manifestDigest, merkleRoot, count, 1);
        vm.prank(patient);
        registry.appendBatch(batchId, patient, categories, manifestDigest, merkleRoot, count);

        IRecordRegistry.Batch memory b = registry.getBatch(batchId);
        assertEq(b.owner, patient);
        assertEq(b.author, patient);
        assertEq(uint256(b.categories), categories);
        assertEq(uint256(b.count), count);
        assertEq(uint256(b.version), 1);
        assertFalse(b.erased);
        assertEq(uint256(b.createdAt), timestamp);
        assertEq(b.manifestDigest, manifestDigest);
        assertEq(b.merkleRoot, merkleRoot);
    }

    function testFuzz_InvalidInputIsRejectedWithItsError(
        uint8 which,
        bytes32 batchId,
        uint32 categories,
        bytes32 manifestDigest,
        bytes32 merkleRoot,
        uint32 count
    ) public {
        vm.assume(batchId != bytes32(0) && manifestDigest != bytes32(0) && merkleRoot != bytes32(0));
        vm.assume(categories != 0 && count != 0);
        address owner = patient;
        bytes memory expected;
        uint256 field = bound(which, 0, 5);
        if (field == 0) {
            batchId = bytes32(0);
            expected = _err(IRecordRegistry.RecordsZeroBatchId.selector);
        } else if (field == 1) {
            owner = address(0);
            expected = _err(IRecordRegistry.RecordsZeroAddress.selector);
        } else if (field == 2) {
            count = 0;
            expected = _err(IRecordRegistry.RecordsEmptyBatch.selector);
        } else if (field == 3) {
            categories = 0;
            expected = _err(IRecordRegistry.RecordsNoCategory.selector);
        } else if (field == 4) {
            manifestDigest = bytes32(0);
            expected = _err(IRecordRegistry.RecordsZeroCommitment.selector);
        } else {
            merkleRoot = bytes32(0);
            expected = _err(IRecordRegistry.RecordsZeroCommitment.selector);
        }
        vm.expectRevert(expected);
        vm.prank(patient);
        registry.appendBatch(batchId, owner, categories, manifestDigest, merkleRoot, count);
    }

    function testFuzz_OnlyOwnerShreds(address owner, address caller, bool authorizeCaller, bytes32 batchId) public {
        _assumeActor(owner);
        _assumeActor(caller);
        vm.assume(batchId != bytes32(0));
        if (authorizeCaller && caller != owner) _authorize(owner, caller);
        _append(owner, batchId, owner);

        if (caller != owner) {
            vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsNotOwner.selector, batchId, caller));
        }
        vm.prank(caller);
        registry.shredBatch(batchId);
        assertEq(registry.getBatch(batchId).erased, caller == owner);
    }

    function testFuzz_OnlyOwnerRotates(address owner, address caller, bool authorizeCaller, bytes32 batchId) public {
        _assumeActor(owner);
        _assumeActor(caller);
        vm.assume(batchId != bytes32(0));
        if (authorizeCaller && caller != owner) _authorize(owner, caller);
        _append(owner, batchId, owner);

        if (caller != owner) {
            vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsNotOwner.selector, batchId, caller));
        }
        _rotate(caller, batchId, DIGEST_2, ROOT_2);
        IRecordRegistry.Batch memory b = registry.getBatch(batchId);
        assertEq(uint256(b.version), caller == owner ? 2 : 1);
        assertEq(b.manifestDigest, caller == owner ? DIGEST_2 : DIGEST);
    }

    function testFuzz_RotationsReplaceOnlyCommitmentsAndCountVersions(
        bytes32[4] calldata digests,
        bytes32[4] calldata roots,
        uint8 rotations,
        uint64 timestamp
    ) public {
        vm.warp(timestamp);
        _append(patient, BATCH_ID, patient);
        uint256 n = bound(rotations, 1, 4);
        bytes32 current = DIGEST;
        uint32 version = 1;
        for (uint256 i = 0; i < n; ++i) {
            bytes32 digest = digests[i];
            bytes32 root = roots[i];
            if (digest == bytes32(0) || root == bytes32(0)) {
                vm.expectRevert(_err(IRecordRegistry.RecordsZeroCommitment.selector));
            } else if (digest == current) {
                vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsSameManifest.selector, BATCH_ID));
            } else {
                ++version;
                current = digest;
                vm.expectEmit(address(registry));
                emit IRecordRegistry.BatchRotated(BATCH_ID, patient, version, digest, root);
            }
            _rotate(patient, BATCH_ID, digest, root);
            IRecordRegistry.Batch memory b = registry.getBatch(BATCH_ID);
            assertEq(uint256(b.version), version);
            assertEq(b.manifestDigest, current);
            assertEq(b.owner, patient);
            assertEq(b.author, patient);
            assertEq(uint256(b.categories), CATEGORIES);
            assertEq(uint256(b.count), COUNT);
            assertEq(uint256(b.createdAt), timestamp);
            assertFalse(b.erased);
        }
    }

    function testFuzz_RelayedRotateActsAsSigner(uint256 signerKey, bytes32 batchId, bytes32 digest, bytes32 root) public {
        signerKey = bound(signerKey, 1, 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140);
        vm.assume(batchId != bytes32(0) && digest != bytes32(0) && root != bytes32(0) && digest != DIGEST);
        address signer = vm.addr(signerKey);
        vm.startPrank(relayer);
        forwarder.execute(signedRequest(forwarder, signerKey, address(registry), _appendCall(batchId, signer)));
        forwarder.execute(
            signedRequest(
                forwarder, signerKey, address(registry), abi.encodeCall(IRecordRegistry.rotateBatch, (batchId, digest, root))
            )
        );
        vm.stopPrank();
        IRecordRegistry.Batch memory b = registry.getBatch(batchId);
        assertEq(uint256(b.version), 2);
        assertEq(b.manifestDigest, digest);
        assertEq(b.merkleRoot, root);
    }

    function testFuzz_BatchIdsAreGlobal(address ownerA, address ownerB, bytes32 batchId) public {
        _assumeActor(ownerA);
        _assumeActor(ownerB);
        vm.assume(batchId != bytes32(0));
        _append(ownerA, batchId, ownerA);
        vm.expectRevert(abi.encodeWithSelector(IRecordRegistry.RecordsBatchExists.selector, batchId));
        _append(ownerB, batchId, ownerB);
        assertEq(registry.getBatch(batchId).owner, ownerA);
    }

    function testFuzz_RelayedAppendActsAsSigner(uint256 signerKey, bytes32 batchId) public {
        signerKey = bound(signerKey, 1, 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140);
        vm.assume(batchId != bytes32(0));
        address signer = vm.addr(signerKey);
        vm.prank(relayer);
        forwarder.execute(signedRequest(forwarder, signerKey, address(registry), _appendCall(batchId, signer)));
        IRecordRegistry.Batch memory b = registry.getBatch(batchId);
        assertEq(b.owner, signer);
        assertEq(b.author, signer);
        assertEq(registry.batchCount(relayer), 0);
    }

    function testFuzz_ForgedRelayedAppendNeverActs(uint256 signerKey, uint256 victimKey, bytes32 batchId) public {
        signerKey = bound(signerKey, 1, 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140);
        victimKey = bound(victimKey, 1, 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140);
        vm.assume(signerKey != victimKey && batchId != bytes32(0));
        address victim = vm.addr(victimKey);
        ERC2771Forwarder.ForwardRequestData memory request =
            signRequest(forwarder, forwardRequest(victim, address(registry), _appendCall(batchId, victim)), signerKey);
        vm.prank(relayer);
        (bool ok,) = address(forwarder).call(abi.encodeCall(ERC2771Forwarder.execute, (request)));
        assertFalse(ok);
        assertEq(registry.batchCount(victim), 0);
    }
}
