// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISupplyAnchor} from "../../../contracts/supply/ISupplyAnchor.sol";
import {SupplyAnchor} from "../../../contracts/supply/SupplyAnchor.sol";
import {KIND_WHOLESALER, TRADING_PARTNER_CREDENTIAL} from "../../../contracts/supply/ITradingPartners.sol";
import {SupplyFixture} from "./SupplyFixture.sol";
import {StandardMerkle} from "./StandardMerkle.sol";

/// @notice Gas snapshots of SupplyAnchor (group "SupplyAnchor", snapshots/SupplyAnchor.json) on the supply chain of
///         {SupplyFixture}. Every test is its own transaction on the state its contract's setUp left.
contract SupplyAnchorGasTest is SupplyFixture {
    string internal constant GROUP = "SupplyAnchor";
    uint64 internal constant GLN_JOINER = 614141000081;

    address internal gs1;
    address internal joiner;

    function setUp() public override {
        super.setUp();
        gs1 = makeAddr("gs1");
        joiner = makeAddr("joiner");
        // a wholesaler registered by credential
        vm.prank(admin);
        trust.accredit(gs1, TRADING_PARTNER_CREDENTIAL);
        bytes32 credential = keccak256("trading partner credential 1");
        vm.prank(gs1);
        trust.registerCredentialWithClaims(
            credential, TRADING_PARTNER_CREDENTIAL, joiner, 0, 4_000_000_000, keccak256(abi.encode(KIND_WHOLESALER, GLN_SPARE, "0614199"))
        );
        vm.prank(joiner);
        partners.registerWithCredential(credential, KIND_WHOLESALER, GLN_SPARE, "0614199");
    }

    function test_Gas_Deploy() public {
        vm.startSnapshotGas(GROUP, "deploy");
        new SupplyAnchor(address(forwarder), address(partners));
        vm.stopSnapshotGas();
    }

    /// @dev The first batch (batchCount 0 -> 1): a manufacturer's root over 8 commissioning events. The gas does not
    ///      depend on the number of events.
    function test_Gas_AnchorBatch() public {
        bytes32 root = StandardMerkle.root(_events("commissioning", 8));
        vm.prank(manufacturer);
        anchor.anchorBatch(root, 8, keccak256("commissioning document"));
        vm.snapshotGasLastCall(GROUP, "anchorBatch");
    }

    /// @dev A relayed wholesaler anchors its shipping batch (its first relayed request).
    function test_Gas_AnchorBatch_ViaForwarder() public {
        bytes32 root = StandardMerkle.root(_events("wholesaler shipping", 4));
        relay(
            forwarder,
            relayer,
            wholesalerKey,
            address(anchor),
            abi.encodeCall(ISupplyAnchor.anchorBatch, (root, 4, keccak256("wholesaler shipping document")))
        );
        vm.snapshotGasLastCall(GROUP, "anchorBatch.viaForwarder");
        assertEq(anchor.getBatch(1).partner, wholesaler);
    }

    /// @dev A partner registered by credential anchors (its credential checked in the trust registry too).
    function test_Gas_AnchorBatch_CredentialPartner() public {
        bytes32 root = StandardMerkle.root(_events("credential partner shipping", 4));
        vm.prank(joiner);
        anchor.anchorBatch(root, 4, keccak256("credential partner document"));
        vm.snapshotGasLastCall(GROUP, "anchorBatch.credentialPartner");
    }

    /// @dev The manufacturer recalls a lot of one of its GTINs.
    function test_Gas_Recall() public {
        vm.prank(manufacturer);
        anchor.recall(GTIN, PREFIX, LOT, REASON);
        vm.snapshotGasLastCall(GROUP, "recall");
    }
}

contract SupplyAnchorRecalledGasTest is SupplyFixture {
    function setUp() public override {
        super.setUp();
        vm.prank(manufacturer);
        anchor.recall(GTIN, PREFIX, LOT, REASON);
    }

    /// @dev The manufacturer clears its recall.
    function test_Gas_ClearRecall() public {
        vm.prank(manufacturer);
        anchor.clearRecall(GTIN, LOT);
        vm.snapshotGasLastCall("SupplyAnchor", "clearRecall");
    }
}
