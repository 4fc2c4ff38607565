// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {ISupplyAnchor} from "../../../contracts/supply/ISupplyAnchor.sol";
import {SupplyAnchor} from "../../../contracts/supply/SupplyAnchor.sol";
import {ITradingPartners, KIND_DISPENSER, KIND_MANUFACTURER} from "../../../contracts/supply/ITradingPartners.sol";
import {IMerkleRootAnchor} from "../../../contracts/utils/IMerkleRootAnchor.sol";
import {SupplyFixture} from "./SupplyFixture.sol";
import {StandardMerkle} from "./StandardMerkle.sol";
import {GS1Model} from "./GS1Model.sol";

abstract contract SupplyAnchorFixture is SupplyFixture {
    bytes32 internal constant ROOT = keccak256("supply root 1");
    bytes32 internal constant ROOT_2 = keccak256("supply root 2");
    bytes32 internal constant DIGEST = keccak256("epcis document 1");
    uint32 internal constant COUNT = 1_000;

    function _anchor(address caller, bytes32 root) internal returns (uint256) {
        vm.prank(caller);
        return anchor.anchorBatch(root, COUNT, DIGEST);
    }

    function _recall(address caller, uint64 gtin, string memory prefix, string memory lot) internal {
        vm.prank(caller);
        anchor.recall(gtin, prefix, lot, REASON);
    }

    function _notPartner(address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ISupplyAnchor.SupplyNotPartner.selector, account);
    }

    function _notManufacturer(address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ISupplyAnchor.SupplyNotManufacturer.selector, account);
    }

    /// @dev The event hashes of the JavaScript vectors: keccak256(abi.encode("medchain supply event", i)).
    function _jsEvents(uint256 n) internal pure returns (bytes32[] memory events) {
        events = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) events[i] = keccak256(abi.encode("medchain supply event", i));
    }
}

contract SupplyAnchorTest is SupplyAnchorFixture {
    // ------------------------------------------------------------------------------------ deployment

    function test_SupportsInterface() public view {
        assertTrue(anchor.supportsInterface(type(ISupplyAnchor).interfaceId));
        assertTrue(anchor.supportsInterface(type(IERC165).interfaceId));
        assertFalse(anchor.supportsInterface(0xffffffff));
    }

    function test_Deployment() public view {
        assertTrue(anchor.isTrustedForwarder(address(forwarder)));
        assertEq(address(anchor.tradingPartners()), address(partners));
        assertEq(anchor.batchCount(), 0);
        assertEq(anchor.MAX_REASON_LENGTH(), 256);
    }

    function test_RevertWhen_DeployingWithZeroPartners() public {
        vm.expectRevert(abi.encodeWithSelector(ISupplyAnchor.SupplyZeroAddress.selector));
        new SupplyAnchor(address(forwarder), address(0));
    }

    // ----------------------------------------------------------------------------------- anchorBatch

    function test_AnchorBatch_StoresEverythingAndEmits() public {
        vm.expectEmit(address(anchor));
        emit ISupplyAnchor.BatchAnchored(1, wholesaler, ROOT, COUNT, DIGEST);
        uint256 id = _anchor(wholesaler, ROOT);
        assertEq(id, 1);
        assertEq(anchor.batchCount(), 1);
        assertEq(anchor.batchIdOf(ROOT), 1);
        ISupplyAnchor.Batch memory b = anchor.getBatch(id);
        assertEq(b.partner, wholesaler);
        assertEq(uint256(b.anchoredAt), T0);
        assertEq(uint256(b.count), COUNT);
        assertEq(b.root, ROOT);
        assertEq(b.batchDigest, DIGEST);
        (address partner, bytes32 root) = anchor.batchRoot(id);
        assertEq(partner, wholesaler);
        assertEq(root, ROOT);
    }

    function test_AnchorBatch_EveryKindMayAnchor() public {
        address[6] memory accounts = [manufacturer, manufacturer2, repackager, wholesaler, dispenser, regulator];
        for (uint256 i = 0; i < accounts.length; ++i) {
            uint256 id = _anchor(accounts[i], keccak256(abi.encode("root of", i)));
            assertEq(id, i + 1, "sequential ids");
            assertEq(anchor.getBatch(id).partner, accounts[i]);
        }
        assertEq(anchor.batchCount(), accounts.length);
    }

    function test_AnchorBatch_IdsAreSequentialAndEarlierBatchesStay() public {
        _anchor(manufacturer, ROOT);
        vm.warp(T0 + 1 hours);
        assertEq(_anchor(wholesaler, ROOT_2), 2);
        ISupplyAnchor.Batch memory first = anchor.getBatch(1);
        assertEq(first.partner, manufacturer);
        assertEq(first.root, ROOT);
        assertEq(uint256(first.anchoredAt), T0);
        assertEq(uint256(anchor.getBatch(2).anchoredAt), T0 + 1 hours);
    }

    function test_AnchorBatch_AllowsAZeroDigestAndAnyCount() public {
        vm.prank(dispenser);
        uint256 id = anchor.anchorBatch(ROOT, type(uint32).max, bytes32(0));
        assertEq(anchor.getBatch(id).batchDigest, bytes32(0));
        assertEq(uint256(anchor.getBatch(id).count), type(uint32).max);
    }

    function test_RevertWhen_StrangerAnchors() public {
        vm.expectRevert(_notPartner(stranger));
        _anchor(stranger, ROOT);
        vm.expectRevert(_notPartner(registrar));
        _anchor(registrar, ROOT);
        vm.expectRevert(_notPartner(admin));
        _anchor(admin, ROOT);
        assertEq(anchor.batchCount(), 0);
        assertEq(anchor.batchIdOf(ROOT), 0);
    }

    function test_RevertWhen_SuspendedPartnerAnchors() public {
        _anchor(wholesaler, ROOT);
        _setActive(wholesaler, false);
        vm.expectRevert(_notPartner(wholesaler));
        _anchor(wholesaler, ROOT_2);
        assertEq(anchor.getBatch(1).partner, wholesaler, "its earlier batch stays");
        _setActive(wholesaler, true);
        assertEq(_anchor(wholesaler, ROOT_2), 2);
    }

    function test_AnchorBatch_ChecksThePartnerFirst() public {
        vm.expectRevert(_notPartner(stranger));
        vm.prank(stranger);
        anchor.anchorBatch(bytes32(0), 0, bytes32(0));
    }

    function test_RevertWhen_AnchoringAnEmptyBatch() public {
        vm.expectRevert(abi.encodeWithSelector(IMerkleRootAnchor.AnchorEmptyRoot.selector));
        _anchor(wholesaler, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IMerkleRootAnchor.AnchorEmptyRoot.selector));
        vm.prank(wholesaler);
        anchor.anchorBatch(ROOT, 0, DIGEST);
    }

    function test_RevertWhen_AnchoringARootTwice() public {
        _anchor(manufacturer, ROOT);
        bytes memory exists = abi.encodeWithSelector(IMerkleRootAnchor.AnchorRootExists.selector, ROOT);
        vm.expectRevert(exists);
        _anchor(manufacturer, ROOT);
        vm.expectRevert(exists);
        vm.prank(wholesaler);
        anchor.anchorBatch(ROOT, 7, keccak256("other digest"));
        assertEq(anchor.batchCount(), 1);
        assertEq(anchor.getBatch(1).partner, manufacturer);
        assertEq(uint256(anchor.getBatch(1).count), COUNT);
    }

    /// The gas of an anchor does not depend on how many events the batch holds.
    function test_AnchorBatch_GasIsIndependentOfCount() public {
        _anchor(wholesaler, ROOT); // the counter is non-zero and the partner's registry slot warm from here on
        // the first measured call is a warm-up (it also expands this test's memory); roots are allocated up
        // front so that nothing else moves memory between the measured calls
        uint32[5] memory counts = [uint32(1), 1, 100, 10_000, type(uint32).max];
        bytes32[5] memory roots;
        for (uint256 i = 0; i < roots.length; ++i) roots[i] = keccak256(abi.encode("gas root", i));
        uint256[5] memory used;
        for (uint256 i = 0; i < counts.length; ++i) {
            vm.prank(wholesaler);
            uint256 before = gasleft();
            anchor.anchorBatch(roots[i], counts[i], DIGEST);
            used[i] = before - gasleft();
        }
        // equal up to the 1-gas jitter that this harness shows between identical calls (even with equal counts)
        for (uint256 i = 2; i < counts.length; ++i) {
            uint256 diff = used[i] > used[1] ? used[i] - used[1] : used[1] - used[i];
            assertLe(diff, 1, "anchor gas depends on the count");
        }
    }

    // ----------------------------------------------------------------------------------- verifyEvent

    /// The Solidity tree builder of these tests gives the roots and proofs of the npm package openzeppelin merkle-tree 1.0
    /// (values computed with `StandardMerkleTree.of(values, ["bytes32"])` in Node), and the anchor verifies them.
    function test_VerifyEvent_MatchesStandardMerkleTreeVectors() public {
        uint256[7] memory sizes = [uint256(1), 2, 3, 5, 8, 13, 64];
        bytes32[7] memory roots = [
            bytes32(0x06de3b0c23f5417af78fe2f6877e1cf8b098b844e7f7d5e54e27b0556473b86c),
            0x4f20431b32707aa357277030556f36659b8be524843e099425ac367f935b36aa,
            0x3d4bc86f6e15c5887fbac8d08048c5396f04d7b71a944996e9d3d05debf04b3b,
            0xe741cb26c8fa013162c05c79483112c4c6a571a064eb405eeed18d2c5d4af7a3,
            0x7cfec3f13eab0351ed5e176e0021efb906fd41433a22104b6450fc72aa4bfc34,
            0xd595678a1f131dcfe54374c857c86fb5a76c2efd9e7586f26edefa1e63fcade1,
            0xecd54de5638ae5bfa04686fed65eaefd2854245fa407fa3afeac02454be494b2
        ];
        for (uint256 k = 0; k < sizes.length; ++k) {
            bytes32[] memory events = _jsEvents(sizes[k]);
            assertEq(StandardMerkle.root(events), roots[k], "root differs from the JavaScript library");
            uint256 id = _anchorEvents(manufacturer, events);
            for (uint256 i = 0; i < events.length; ++i) {
                assertTrue(anchor.verifyEvent(id, events[i], _proof(events, i)), "member not verified");
            }
        }
        // the proof of value 2 of the 5-event tree, as the JavaScript library gives it
        bytes32[] memory five = _jsEvents(5);
        bytes32[] memory proof = _proof(five, 2);
        assertEq(proof.length, 2);
        assertEq(proof[0], 0x3c54bd9200acf317d684634e31346230a9fa313114309c1239b3bb5b551584b5);
        assertEq(proof[1], 0xbd6e498a641c10d1aae36af1a3ee89dd40568a06bb02dc3028de0cafa25e4116);
    }

    function test_VerifyEvent_OnlyMembersOfThatBatch() public {
        bytes32[] memory events = _events("shipping", 7);
        bytes32[] memory others = _events("receiving", 7);
        uint256 id = _anchorEvents(wholesaler, events);
        uint256 otherId = _anchorEvents(dispenser, others);
        for (uint256 i = 0; i < events.length; ++i) {
            bytes32[] memory proof = _proof(events, i);
            assertTrue(anchor.verifyEvent(id, events[i], proof));
            assertFalse(anchor.verifyEvent(otherId, events[i], proof), "member of another batch");
            assertFalse(anchor.verifyEvent(id, events[(i + 1) % 7], proof), "proof of another leaf");
            assertFalse(anchor.verifyEvent(id, keccak256("not an event"), proof), "non-member");
            assertFalse(anchor.verifyEvent(0, events[i], proof), "batch 0");
            assertFalse(anchor.verifyEvent(3, events[i], proof), "unknown batch");
        }
        assertFalse(anchor.verifyEvent(id, events[0], _noProof()), "empty proof in a batch of seven");
    }

    function test_VerifyEvent_SingleEventBatchTakesAnEmptyProof() public {
        bytes32 eventHash = keccak256("commissioning");
        uint256 id = _anchorOne(manufacturer, eventHash);
        assertEq(anchor.getBatch(id).root, StandardMerkle.leaf(eventHash));
        assertTrue(anchor.verifyEvent(id, eventHash, _noProof()));
        assertFalse(anchor.verifyEvent(id, keccak256("other"), _noProof()));
    }

    /// Leaves are double-hashed: neither a leaf nor an inner node passes as an event hash.
    function test_VerifyEvent_RejectsLeavesAndInnerNodesAsEvents() public {
        bytes32[] memory events = _events("aggregation", 4);
        uint256 id = _anchorEvents(manufacturer, events);
        (bytes32[] memory tree, uint256[] memory index) = StandardMerkle.build(events);
        // tree: 0 root, 1..2 inner nodes, 3..6 leaves
        for (uint256 node = 1; node < tree.length; ++node) {
            bytes32[] memory proof = StandardMerkle.proofAt(tree, node);
            assertFalse(anchor.verifyEvent(id, tree[node], proof), "a node passed as an event");
        }
        assertTrue(anchor.verifyEvent(id, events[0], StandardMerkle.proofAt(tree, index[0])));
        assertFalse(anchor.verifyEvent(id, tree[0], _noProof()), "the root as an event");
    }

    function test_EventLeaf_IsTheStandardLeaf() public view {
        bytes32 eventHash = keccak256("an event");
        assertEq(anchor.eventLeaf(eventHash), keccak256(bytes.concat(keccak256(abi.encode(eventHash)))));
        assertEq(anchor.eventLeaf(eventHash), StandardMerkle.leaf(eventHash));
    }

    // ------------------------------------------------------------------------------------------ views

    function test_RevertWhen_GettingUnknownBatch() public {
        vm.expectRevert(abi.encodeWithSelector(IMerkleRootAnchor.AnchorUnknownId.selector, uint256(0)));
        anchor.getBatch(0);
        _anchor(wholesaler, ROOT);
        vm.expectRevert(abi.encodeWithSelector(IMerkleRootAnchor.AnchorUnknownId.selector, uint256(2)));
        anchor.getBatch(2);
    }

    function test_UnknownBatchesReadAsZero() public view {
        (address partner, bytes32 root) = anchor.batchRoot(1);
        assertEq(partner, address(0));
        assertEq(root, bytes32(0));
        assertEq(anchor.batchIdOf(ROOT), 0);
        assertEq(anchor.batchIdOf(bytes32(0)), 0);
    }

    // ---------------------------------------------------------------------------------------- recall

    function test_Recall_StoresAndEmits() public {
        vm.warp(T0 + 3 days);
        vm.expectEmit(address(anchor));
        emit ISupplyAnchor.Recalled(GTIN, keccak256(bytes(LOT)), LOT, manufacturer, REASON);
        _recall(manufacturer, GTIN, PREFIX, LOT);
        assertTrue(anchor.isRecalled(GTIN, LOT));
        ISupplyAnchor.Recall memory r = anchor.getRecall(GTIN, LOT);
        assertEq(r.manufacturer, manufacturer);
        assertEq(uint256(r.recalledAt), T0 + 3 days);
        // exactly that lot of that GTIN
        assertFalse(anchor.isRecalled(GTIN, "LOT-2026/A2"));
        assertFalse(anchor.isRecalled(GTIN, "lot-2026/a1"), "lots are case-sensitive");
        assertFalse(anchor.isRecalled(GTIN_CASE, LOT), "another GTIN (packaging level)");
        assertEq(anchor.getRecall(GTIN, "other").manufacturer, address(0));
    }

    function test_Recall_AnyPackagingLevelUnderThePrefix() public {
        _recall(manufacturer, GTIN_CASE, PREFIX, LOT);
        assertTrue(anchor.isRecalled(GTIN_CASE, LOT));
        _recall(manufacturer2, GTIN_2, PREFIX_2, LOT);
        assertTrue(anchor.isRecalled(GTIN_2, LOT));
    }

    function test_Recall_WithASecondPrefix() public {
        vm.prank(registrar);
        partners.addCompanyPrefix(manufacturer, "0614142");
        _recall(manufacturer, GTIN_OTHER_PREFIX, "0614142", LOT);
        assertTrue(anchor.isRecalled(GTIN_OTHER_PREFIX, LOT));
    }

    function test_RevertWhen_NonManufacturerRecalls() public {
        address[6] memory callers = [stranger, repackager, wholesaler, dispenser, regulator, registrar];
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.expectRevert(_notManufacturer(callers[i]));
            _recall(callers[i], GTIN, PREFIX, LOT);
        }
    }

    function test_RevertWhen_SuspendedManufacturerRecalls() public {
        _setActive(manufacturer, false);
        vm.expectRevert(_notManufacturer(manufacturer));
        _recall(manufacturer, GTIN, PREFIX, LOT);
    }

    function test_RevertWhen_GtinIsInvalid() public {
        uint64[4] memory gtins = [uint64(0), GTIN + 1, 100000000000000, type(uint64).max];
        for (uint256 i = 0; i < gtins.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(ISupplyAnchor.SupplyInvalidGtin.selector, gtins[i]));
            _recall(manufacturer, gtins[i], PREFIX, LOT);
        }
    }

    function test_RevertWhen_LotIsInvalid() public {
        string[6] memory lots = ["", "123456789012345678901", "LOT 1", "LOT#1", "LOT\x001", unicode"LOTé"];
        for (uint256 i = 0; i < lots.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(ISupplyAnchor.SupplyInvalidLot.selector, lots[i]));
            _recall(manufacturer, GTIN, PREFIX, lots[i]);
        }
    }

    function test_Recall_AcceptsEveryCharacterOfCset82() public {
        bytes memory all = GS1Model.CSET82;
        for (uint256 start = 0; start < all.length; start += 20) {
            uint256 end = start + 20 > all.length ? all.length : start + 20;
            bytes memory lot = new bytes(end - start);
            for (uint256 i = start; i < end; ++i) lot[i - start] = all[i];
            _recall(manufacturer, GTIN, PREFIX, string(lot));
            assertTrue(anchor.isRecalled(GTIN, string(lot)));
        }
    }

    function test_RevertWhen_ReasonIsEmptyOrTooLong() public {
        vm.expectRevert(abi.encodeWithSelector(ISupplyAnchor.SupplyInvalidReason.selector, uint256(0)));
        vm.prank(manufacturer);
        anchor.recall(GTIN, PREFIX, LOT, "");
        string memory tooLong = string(new bytes(257));
        vm.expectRevert(abi.encodeWithSelector(ISupplyAnchor.SupplyInvalidReason.selector, uint256(257)));
        vm.prank(manufacturer);
        anchor.recall(GTIN, PREFIX, LOT, tooLong);
        vm.prank(manufacturer);
        anchor.recall(GTIN, PREFIX, LOT, string(new bytes(256)));
        assertTrue(anchor.isRecalled(GTIN, LOT));
    }

    function test_RevertWhen_RecallingWithAPrefixNotOwned() public {
        string[4] memory prefixes = [PREFIX, "061414", "0614141x", ""];
        for (uint256 i = 0; i < prefixes.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(ISupplyAnchor.SupplyNotPrefixOwner.selector, manufacturer2, prefixes[i])
            );
            _recall(manufacturer2, GTIN, prefixes[i], LOT);
        }
    }

    function test_RevertWhen_PrefixDoesNotBeginTheGtin() public {
        vm.expectRevert(abi.encodeWithSelector(ISupplyAnchor.SupplyPrefixMismatch.selector, GTIN_2, PREFIX));
        _recall(manufacturer, GTIN_2, PREFIX, LOT);
        vm.expectRevert(abi.encodeWithSelector(ISupplyAnchor.SupplyPrefixMismatch.selector, GTIN_OTHER_PREFIX, PREFIX));
        _recall(manufacturer, GTIN_OTHER_PREFIX, PREFIX, LOT);
        // the prefix must start right after the indicator digit: 10614141123459 begins with "1061414" but its
        // body begins with "0614141"
        vm.prank(registrar);
        partners.addCompanyPrefix(manufacturer2, "1061414");
        vm.expectRevert(abi.encodeWithSelector(ISupplyAnchor.SupplyPrefixMismatch.selector, GTIN_CASE, "1061414"));
        _recall(manufacturer2, GTIN_CASE, "1061414", LOT);
    }

    function test_RevertWhen_RecallingTwice() public {
        _recall(manufacturer, GTIN, PREFIX, LOT);
        vm.expectRevert(abi.encodeWithSelector(ISupplyAnchor.SupplyAlreadyRecalled.selector, GTIN, LOT));
        _recall(manufacturer, GTIN, PREFIX, LOT);
    }

    function test_Recall_ChecksInOrder() public {
        // not a manufacturer beats everything else
        vm.expectRevert(_notManufacturer(wholesaler));
        vm.prank(wholesaler);
        anchor.recall(0, "", "", "");
        // then the GTIN, the lot, the reason, the prefix, the match
        vm.expectRevert(abi.encodeWithSelector(ISupplyAnchor.SupplyInvalidGtin.selector, uint64(0)));
        vm.prank(manufacturer);
        anchor.recall(0, "", "", "");
        vm.expectRevert(abi.encodeWithSelector(ISupplyAnchor.SupplyInvalidLot.selector, ""));
        vm.prank(manufacturer);
        anchor.recall(GTIN_2, "", "", "");
        vm.expectRevert(abi.encodeWithSelector(ISupplyAnchor.SupplyInvalidReason.selector, uint256(0)));
        vm.prank(manufacturer);
        anchor.recall(GTIN_2, "", LOT, "");
        vm.expectRevert(abi.encodeWithSelector(ISupplyAnchor.SupplyNotPrefixOwner.selector, manufacturer, ""));
        vm.prank(manufacturer);
        anchor.recall(GTIN_2, "", LOT, REASON);
        vm.expectRevert(abi.encodeWithSelector(ISupplyAnchor.SupplyPrefixMismatch.selector, GTIN_2, PREFIX));
        vm.prank(manufacturer);
        anchor.recall(GTIN_2, PREFIX, LOT, REASON);
    }

    // ----------------------------------------------------------------------------------- clearRecall

    function test_ClearRecall_ClearsAndEmitsAndAllowsANewRecall() public {
        _recall(manufacturer, GTIN, PREFIX, LOT);
        vm.expectEmit(address(anchor));
        emit ISupplyAnchor.RecallCleared(GTIN, keccak256(bytes(LOT)), LOT, manufacturer);
        vm.prank(manufacturer);
        anchor.clearRecall(GTIN, LOT);
        assertFalse(anchor.isRecalled(GTIN, LOT));
        assertEq(anchor.getRecall(GTIN, LOT).manufacturer, address(0));
        vm.warp(T0 + 1 days);
        _recall(manufacturer, GTIN, PREFIX, LOT);
        assertEq(uint256(anchor.getRecall(GTIN, LOT).recalledAt), T0 + 1 days);
    }

    function test_RevertWhen_ClearingALotThatIsNotRecalled() public {
        vm.expectRevert(abi.encodeWithSelector(ISupplyAnchor.SupplyNotRecalled.selector, GTIN, LOT));
        vm.prank(manufacturer);
        anchor.clearRecall(GTIN, LOT);
    }

    function test_RevertWhen_AnotherPartyClearsARecall() public {
        _recall(manufacturer, GTIN, PREFIX, LOT);
        vm.expectRevert(abi.encodeWithSelector(ISupplyAnchor.SupplyNotRecaller.selector, manufacturer2, manufacturer));
        vm.prank(manufacturer2);
        anchor.clearRecall(GTIN, LOT);
        vm.expectRevert(_notManufacturer(regulator));
        vm.prank(regulator);
        anchor.clearRecall(GTIN, LOT);
        _setActive(manufacturer, false);
        vm.expectRevert(_notManufacturer(manufacturer));
        vm.prank(manufacturer);
        anchor.clearRecall(GTIN, LOT);
        assertTrue(anchor.isRecalled(GTIN, LOT));
    }

    // ---------------------------------------------------------------------------------- via forwarder

    function test_Relayed_PartnerAnchorsAndIsRecorded() public {
        vm.expectEmit(address(anchor));
        emit ISupplyAnchor.BatchAnchored(1, wholesaler, ROOT, COUNT, DIGEST);
        vm.prank(relayer);
        forwarder.execute(
            signedRequest(
                forwarder, wholesalerKey, address(anchor), abi.encodeCall(ISupplyAnchor.anchorBatch, (ROOT, COUNT, DIGEST))
            )
        );
        assertEq(anchor.getBatch(1).partner, wholesaler);
        assertEq(forwarder.nonces(wholesaler), 1);
    }

    function test_Relayed_ManufacturerRecallsAndClears() public {
        vm.expectEmit(address(anchor));
        emit ISupplyAnchor.Recalled(GTIN, keccak256(bytes(LOT)), LOT, manufacturer, REASON);
        vm.startPrank(relayer);
        forwarder.execute(
            signedRequest(
                forwarder, manufacturerKey, address(anchor), abi.encodeCall(ISupplyAnchor.recall, (GTIN, PREFIX, LOT, REASON))
            )
        );
        assertEq(anchor.getRecall(GTIN, LOT).manufacturer, manufacturer);
        forwarder.execute(
            signedRequest(forwarder, manufacturerKey, address(anchor), abi.encodeCall(ISupplyAnchor.clearRecall, (GTIN, LOT)))
        );
        vm.stopPrank();
        assertFalse(anchor.isRecalled(GTIN, LOT));
    }

    function test_Relayed_StrangerAnchorIsRejected() public {
        ERC2771Forwarder.ForwardRequestData memory request = signedRequest(
            forwarder, strangerKey, address(anchor), abi.encodeCall(ISupplyAnchor.anchorBatch, (ROOT, COUNT, DIGEST))
        );
        vm.expectRevert();
        vm.prank(relayer);
        forwarder.execute(request);
        assertEq(anchor.batchCount(), 0);
    }

    function test_Relayed_ForgedSignatureDoesNothing() public {
        ERC2771Forwarder.ForwardRequestData memory request = signRequest(
            forwarder,
            forwardRequest(manufacturer, address(anchor), abi.encodeCall(ISupplyAnchor.recall, (GTIN, PREFIX, LOT, REASON))),
            strangerKey
        );
        vm.expectRevert(
            abi.encodeWithSelector(ERC2771Forwarder.ERC2771ForwarderInvalidSigner.selector, stranger, manufacturer)
        );
        vm.prank(relayer);
        forwarder.execute(request);
        assertFalse(anchor.isRecalled(GTIN, LOT));
    }

    function test_DirectCallWithSpoofedSuffixActsAsTheCaller() public {
        bytes memory spoofed =
            abi.encodePacked(abi.encodeCall(ISupplyAnchor.anchorBatch, (ROOT, COUNT, DIGEST)), wholesaler);
        vm.prank(stranger);
        (bool ok, bytes memory reason) = address(anchor).call(spoofed);
        assertFalse(ok);
        assertEq(reason, _notPartner(stranger));
    }
}

contract SupplyAnchorFuzzTest is SupplyAnchorFixture {
    /// Proofs over random trees of 1..64 events, built like StandardMerkleTree: every member verifies with its
    /// proof and only with it; a tampered proof, a non-member and another batch fail.
    function testFuzz_ProofsOverRandomTrees(uint256 seed, uint8 sizeSeed, uint256 pick) public {
        uint256 n = 1 + sizeSeed % 64;
        bytes32[] memory events = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) events[i] = keccak256(abi.encode(seed, i));
        (bytes32[] memory tree, uint256[] memory treeIndex) = StandardMerkle.build(events);
        uint256 id = _anchorEvents(wholesaler, events);
        assertEq(anchor.getBatch(id).root, tree[0]);
        for (uint256 i = 0; i < n; ++i) {
            bytes32[] memory proof = StandardMerkle.proofAt(tree, treeIndex[i]);
            assertEq(StandardMerkle.processProof(StandardMerkle.leaf(events[i]), proof), tree[0], "builder");
            assertTrue(anchor.verifyEvent(id, events[i], proof), "member");
        }
        uint256 k = pick % n;
        bytes32[] memory p = StandardMerkle.proofAt(tree, treeIndex[k]);
        assertFalse(anchor.verifyEvent(id, keccak256(abi.encode(seed, n)), p), "non-member");
        if (p.length > 0) {
            uint256 j = (pick >> 128) % p.length;
            p[j] = p[j] ^ bytes32(uint256(1) << (pick % 256));
            assertFalse(anchor.verifyEvent(id, events[k], p), "tampered proof");
        }
        assertFalse(anchor.verifyEvent(id + 1, events[k], StandardMerkle.proofAt(tree, treeIndex[k])), "other batch");
    }

    function testFuzz_AnchorStoresExactlyWhatWasGiven(bytes32 root, uint32 count, bytes32 digest, uint64 timestamp)
        public
    {
        vm.assume(root != bytes32(0) && count != 0);
        vm.warp(timestamp);
        vm.expectEmit(address(anchor));
        emit ISupplyAnchor.BatchAnchored(1, dispenser, root, count, digest);
        vm.prank(dispenser);
        uint256 id = anchor.anchorBatch(root, count, digest);
        ISupplyAnchor.Batch memory b = anchor.getBatch(id);
        assertEq(b.partner, dispenser);
        assertEq(uint256(b.anchoredAt), timestamp);
        assertEq(uint256(b.count), count);
        assertEq(b.root, root);
        assertEq(b.batchDigest, digest);
        assertEq(anchor.batchIdOf(root), id);
    }

    function testFuzz_OnlyActivePartnersAnchor(address caller, bytes32 root, bool suspend) public {
        vm.assume(caller != address(forwarder) && root != bytes32(0));
        bool registered = caller == manufacturer || caller == manufacturer2 || caller == repackager
            || caller == wholesaler || caller == dispenser || caller == regulator;
        if (registered && suspend) _setActive(caller, false);
        bool allowed = registered && !suspend;
        if (!allowed) vm.expectRevert(_notPartner(caller));
        _anchor(caller, root);
        assertEq(anchor.batchCount(), allowed ? 1 : 0);
        assertEq(anchor.batchIdOf(root), allowed ? 1 : 0);
    }

    function testFuzz_RootIsAnchoredOnlyOnce(bytes32 root, uint32 count, bytes32 digest, bool samePartner) public {
        vm.assume(root != bytes32(0) && count != 0);
        _anchor(manufacturer, root);
        vm.expectRevert(abi.encodeWithSelector(IMerkleRootAnchor.AnchorRootExists.selector, root));
        vm.prank(samePartner ? manufacturer : wholesaler);
        anchor.anchorBatch(root, count, digest);
        assertEq(anchor.getBatch(1).batchDigest, DIGEST);
        assertEq(anchor.getBatch(1).partner, manufacturer);
    }

    /// Recall input validation (GTIN check digit, lot character set and length, prefix match) agrees with the
    /// reference model. GTINs are mostly built under the manufacturer's prefix so that all branches are hit.
    function testFuzz_RecallValidationMatchesModel(uint64 gtinSeed, uint8 mode, bytes memory lotSeed) public {
        uint64 gtin;
        if (mode % 4 == 0) {
            gtin = gtinSeed; // anything
        } else {
            // a GTIN-14 under "0614141" (or, mode 3, "0614142"), with a right check digit unless mode % 8 == 1
            bytes memory body = GS1Model.decimal(gtinSeed % 1e13, 13);
            bytes memory prefix = mode % 4 == 3 ? bytes("0614142") : bytes(PREFIX);
            for (uint256 i = 0; i < prefix.length; ++i) body[1 + i] = prefix[i];
            gtin = uint64(GS1Model.withCheckDigit(body));
            if (mode % 8 == 1) gtin = gtin % 10 == 9 ? gtin - 9 : gtin + 1;
        }
        // lots: bytes mostly from CSET 82 with sometimes a stray byte, up to 24 long
        bytes memory lot = new bytes(lotSeed.length % 25);
        for (uint256 i = 0; i < lot.length; ++i) {
            uint8 b = uint8(lotSeed[i % lotSeed.length]);
            lot[i] = b % 16 == 0 ? bytes1(b) : GS1Model.CSET82[b % GS1Model.CSET82.length];
        }

        bytes memory expected;
        if (!GS1Model.isValidGtin(gtin)) {
            expected = abi.encodeWithSelector(ISupplyAnchor.SupplyInvalidGtin.selector, gtin);
        } else if (!GS1Model.isValidLot(lot)) {
            expected = abi.encodeWithSelector(ISupplyAnchor.SupplyInvalidLot.selector, string(lot));
        } else if (!GS1Model.startsWith(GS1Model.gtinBody(gtin), bytes(PREFIX))) {
            expected = abi.encodeWithSelector(ISupplyAnchor.SupplyPrefixMismatch.selector, gtin, PREFIX);
        }
        if (expected.length != 0) vm.expectRevert(expected);
        _recall(manufacturer, gtin, PREFIX, string(lot));
        assertEq(anchor.isRecalled(gtin, string(lot)), expected.length == 0);
        if (expected.length == 0) assertEq(partners.ownerOfGtin(gtin), manufacturer, "ownerOfGtin agrees");
    }
}
