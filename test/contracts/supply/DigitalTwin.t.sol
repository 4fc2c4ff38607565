// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IDigitalTwin} from "../../../contracts/supply/IDigitalTwin.sol";
import {DigitalTwin} from "../../../contracts/supply/DigitalTwin.sol";
import {SupplyAnchor} from "../../../contracts/supply/SupplyAnchor.sol";
import {TradingPartners} from "../../../contracts/supply/TradingPartners.sol";
import {KIND_DISPENSER, KIND_MANUFACTURER} from "../../../contracts/supply/ITradingPartners.sol";
import {SupplyFixture} from "./SupplyFixture.sol";
import {StandardMerkle} from "./StandardMerkle.sol";

abstract contract DigitalTwinFixture is SupplyFixture {
    /// @dev keccak256 of canonical Digital Link keys of three serialized packs.
    bytes32 internal constant UNIT = keccak256("https://id.gs1.org/01/00614141123452/21/SN0001");
    bytes32 internal constant UNIT_2 = keccak256("https://id.gs1.org/01/00614141123452/21/SN0002");
    bytes32 internal constant UNIT_3 = keccak256("https://id.gs1.org/01/00614141123452/21/SN0003");
    uint256 internal constant ID = uint256(UNIT);

    bytes32[] internal commissioning; // manufacturer's commissioning events
    bytes32[] internal mShipping; // manufacturer's shipping events
    bytes32[] internal wShipping; // wholesaler's shipping events
    bytes32[] internal dDispensing; // dispenser's dispensing events
    uint256 internal commissioningBatch;
    uint256 internal mShippingBatch;
    uint256 internal wShippingBatch;
    uint256 internal dDispensingBatch;

    function setUp() public virtual override {
        super.setUp();
        commissioning = _events("commissioning", 6);
        mShipping = _events("manufacturer shipping", 5);
        wShipping = _events("wholesaler shipping", 3);
        dDispensing = _events("dispensing", 4);
        commissioningBatch = _anchorEvents(manufacturer, commissioning);
        mShippingBatch = _anchorEvents(manufacturer, mShipping);
        wShippingBatch = _anchorEvents(wholesaler, wShipping);
        dDispensingBatch = _anchorEvents(dispenser, dDispensing);
    }

    function _mint(bytes32 unitKey, address to) internal returns (uint256) {
        vm.prank(manufacturer);
        return twin.mintTwin(commissioningBatch, commissioning[1], _proof(commissioning, 1), unitKey, to);
    }

    function _ship(address from, uint256 tokenId, address to) internal {
        (uint256 batchId, bytes32[] memory events) =
            from == manufacturer ? (mShippingBatch, mShipping) : (wShippingBatch, wShipping);
        vm.prank(from);
        twin.transferCustody(tokenId, to, batchId, events[0], _proof(events, 0));
    }

    function _dispense(uint256 tokenId) internal {
        vm.prank(dispenser);
        twin.decommission(tokenId, dDispensingBatch, dDispensing[2], _proof(dDispensing, 2));
    }

    /// @dev A unit minted to the manufacturer and shipped to the wholesaler, then to the dispenser.
    function _toDispenser(bytes32 unitKey) internal returns (uint256 tokenId) {
        tokenId = _mint(unitKey, manufacturer);
        _ship(manufacturer, tokenId, wholesaler);
        _ship(wholesaler, tokenId, dispenser);
    }

    function _err(bytes4 selector) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(selector);
    }
}

contract DigitalTwinTest is DigitalTwinFixture {
    // ------------------------------------------------------------------------------------ deployment

    function test_Deployment() public view {
        assertEq(bytes(twin.name()), bytes("medchain digital twin"));
        assertEq(bytes(twin.symbol()), bytes("MEDTWIN"));
        assertEq(address(twin.supplyAnchor()), address(anchor));
        assertEq(address(twin.tradingPartners()), address(partners));
        assertTrue(twin.isTrustedForwarder(address(forwarder)));
    }

    function test_SupportsInterfaces() public view {
        assertTrue(twin.supportsInterface(type(IDigitalTwin).interfaceId));
        assertTrue(twin.supportsInterface(type(IERC721).interfaceId));
        assertTrue(twin.supportsInterface(type(IERC721Metadata).interfaceId));
        assertTrue(twin.supportsInterface(type(IERC165).interfaceId));
        assertFalse(twin.supportsInterface(0xffffffff));
    }

    function test_RevertWhen_DeployingWithZeroAddresses() public {
        vm.expectRevert(_err(IDigitalTwin.TwinZeroAddress.selector));
        new DigitalTwin(address(forwarder), address(0), address(partners));
        vm.expectRevert(_err(IDigitalTwin.TwinZeroAddress.selector));
        new DigitalTwin(address(forwarder), address(anchor), address(0));
    }

    function test_RevertWhen_AnchorReadsAnotherRegistry() public {
        TradingPartners other = new TradingPartners(address(forwarder), admin, address(trust));
        vm.expectRevert(
            abi.encodeWithSelector(IDigitalTwin.TwinRegistryMismatch.selector, address(partners), address(other))
        );
        new DigitalTwin(address(forwarder), address(anchor), address(other));
        SupplyAnchor otherAnchor = new SupplyAnchor(address(forwarder), address(other));
        vm.expectRevert(
            abi.encodeWithSelector(IDigitalTwin.TwinRegistryMismatch.selector, address(other), address(partners))
        );
        new DigitalTwin(address(forwarder), address(otherAnchor), address(partners));
    }

    // -------------------------------------------------------------------------------------- mintTwin

    function test_MintTwin_MintsAndEmits() public {
        vm.warp(T0 + 2 hours);
        vm.expectEmit(address(twin));
        emit IERC721.Transfer(address(0), manufacturer, ID);
        vm.expectEmit(address(twin));
        emit IDigitalTwin.TwinMinted(ID, manufacturer, manufacturer, commissioningBatch, commissioning[1]);
        uint256 tokenId = _mint(UNIT, manufacturer);
        assertEq(tokenId, ID, "token id is the unit key");
        assertEq(twin.ownerOf(ID), manufacturer);
        assertEq(twin.balanceOf(manufacturer), 1);
        IDigitalTwin.Twin memory t = twin.twinOf(ID);
        assertEq(t.manufacturer, manufacturer);
        assertEq(uint256(t.mintedAt), T0 + 2 hours);
        assertFalse(t.decommissioned);
        assertFalse(twin.isDecommissioned(ID));
    }

    function test_MintTwin_ToAnotherActivePartner() public {
        _mint(UNIT, wholesaler);
        assertEq(twin.ownerOf(ID), wholesaler);
        assertEq(twin.twinOf(ID).manufacturer, manufacturer);
    }

    function test_MintTwin_ManyUnitsFromOneCommissioningEvent() public {
        _mint(UNIT, manufacturer);
        _mint(UNIT_2, manufacturer);
        _mint(UNIT_3, dispenser);
        assertEq(twin.balanceOf(manufacturer), 2);
        assertEq(twin.balanceOf(dispenser), 1);
    }

    function test_MintTwin_FromASingleEventBatch() public {
        bytes32 eventHash = keccak256("one commissioning");
        uint256 batchId = _anchorOne(manufacturer2, eventHash);
        vm.prank(manufacturer2);
        twin.mintTwin(batchId, eventHash, _noProof(), UNIT, manufacturer2);
        assertEq(twin.ownerOf(ID), manufacturer2);
    }

    function test_RevertWhen_NonManufacturerMints() public {
        address[5] memory callers = [stranger, repackager, wholesaler, dispenser, regulator];
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinNotManufacturer.selector, callers[i]));
            vm.prank(callers[i]);
            twin.mintTwin(wShippingBatch, wShipping[0], _proof(wShipping, 0), UNIT, callers[i]);
        }
        _setActive(manufacturer, false);
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinNotManufacturer.selector, manufacturer));
        _mint(UNIT, wholesaler);
    }

    function test_RevertWhen_RecipientIsNotAnActivePartner() public {
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinInvalidRecipient.selector, stranger));
        _mint(UNIT, stranger);
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinInvalidRecipient.selector, address(0)));
        _mint(UNIT, address(0));
        _setActive(wholesaler, false);
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinInvalidRecipient.selector, wholesaler));
        _mint(UNIT, wholesaler);
    }

    function test_RevertWhen_UnitKeyIsZero() public {
        vm.expectRevert(_err(IDigitalTwin.TwinZeroUnitKey.selector));
        _mint(bytes32(0), manufacturer);
    }

    function test_RevertWhen_MintingAUnitTwice() public {
        _mint(UNIT, manufacturer);
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinAlreadyMinted.selector, UNIT));
        _mint(UNIT, wholesaler);
        // not even another manufacturer with its own commissioning event
        bytes32 eventHash = keccak256("clone commissioning");
        uint256 batchId = _anchorOne(manufacturer2, eventHash);
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinAlreadyMinted.selector, UNIT));
        vm.prank(manufacturer2);
        twin.mintTwin(batchId, eventHash, _noProof(), UNIT, manufacturer2);
    }

    function test_RevertWhen_ReMintingADecommissionedUnit() public {
        uint256 tokenId = _toDispenser(UNIT);
        _dispense(tokenId);
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinAlreadyMinted.selector, UNIT));
        _mint(UNIT, manufacturer);
    }

    function test_RevertWhen_BatchIsNotTheManufacturers() public {
        bytes32 eventHash = keccak256("m2 commissioning");
        uint256 m2Batch = _anchorOne(manufacturer2, eventHash);
        uint256[4] memory batches = [m2Batch, wShippingBatch, 0, 999];
        for (uint256 i = 0; i < batches.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinNotCommissioner.selector, batches[i], manufacturer));
            vm.prank(manufacturer);
            twin.mintTwin(batches[i], eventHash, _noProof(), UNIT, manufacturer);
        }
    }

    function test_RevertWhen_CommissioningProofIsInvalid() public {
        bytes32[] memory proof = _proof(commissioning, 1);
        // another event with this proof, a stranger's event, and this event with a tampered proof
        bytes32[3] memory hashes = [commissioning[2], keccak256("forged"), commissioning[1]];
        for (uint256 i = 0; i < hashes.length; ++i) {
            if (i == 2) proof[0] = keccak256("tampered");
            vm.expectRevert(
                abi.encodeWithSelector(IDigitalTwin.TwinInvalidProof.selector, commissioningBatch, hashes[i])
            );
            vm.prank(manufacturer);
            twin.mintTwin(commissioningBatch, hashes[i], proof, UNIT, manufacturer);
        }
        // an event of the manufacturer's other batch is not in this one
        vm.expectRevert(
            abi.encodeWithSelector(IDigitalTwin.TwinInvalidProof.selector, commissioningBatch, mShipping[0])
        );
        vm.prank(manufacturer);
        twin.mintTwin(commissioningBatch, mShipping[0], _proof(mShipping, 0), UNIT, manufacturer);
    }

    function test_MintTwin_ChecksInOrder() public {
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinNotManufacturer.selector, stranger));
        vm.prank(stranger);
        twin.mintTwin(0, 0, _noProof(), 0, address(0));
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinInvalidRecipient.selector, address(0)));
        vm.prank(manufacturer);
        twin.mintTwin(0, 0, _noProof(), 0, address(0));
        vm.expectRevert(_err(IDigitalTwin.TwinZeroUnitKey.selector));
        vm.prank(manufacturer);
        twin.mintTwin(0, 0, _noProof(), 0, manufacturer);
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinNotCommissioner.selector, 0, manufacturer));
        vm.prank(manufacturer);
        twin.mintTwin(0, 0, _noProof(), UNIT, manufacturer);
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinInvalidProof.selector, commissioningBatch, bytes32(0)));
        vm.prank(manufacturer);
        twin.mintTwin(commissioningBatch, 0, _noProof(), UNIT, manufacturer);
    }

    // ------------------------------------------------------------------------------- transferCustody

    function test_TransferCustody_MovesAndEmits() public {
        _mint(UNIT, manufacturer);
        vm.expectEmit(address(twin));
        emit IERC721.Transfer(manufacturer, wholesaler, ID);
        vm.expectEmit(address(twin));
        emit IDigitalTwin.CustodyTransferred(ID, manufacturer, wholesaler, mShippingBatch, mShipping[0]);
        _ship(manufacturer, ID, wholesaler);
        assertEq(twin.ownerOf(ID), wholesaler);
        assertEq(twin.balanceOf(manufacturer), 0);
        assertEq(twin.balanceOf(wholesaler), 1);
        assertEq(twin.twinOf(ID).manufacturer, manufacturer, "provenance kept");
    }

    function test_TransferCustody_AlongTheChainAndBack() public {
        _toDispenser(UNIT);
        assertEq(twin.ownerOf(ID), dispenser);
        // a return to the wholesaler, with the dispenser's own (returns) event
        vm.prank(dispenser);
        twin.transferCustody(ID, wholesaler, dDispensingBatch, dDispensing[0], _proof(dDispensing, 0));
        assertEq(twin.ownerOf(ID), wholesaler);
        // the same shipping event may move several units (one event lists many EPCs)
        _mint(UNIT_2, manufacturer);
        _ship(manufacturer, uint256(UNIT_2), repackager);
        assertEq(twin.ownerOf(uint256(UNIT_2)), repackager);
    }

    function test_RevertWhen_TransferringAnUnknownOrDecommissionedUnit() public {
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinUnknownUnit.selector, ID));
        _ship(manufacturer, ID, wholesaler);
        _toDispenser(UNIT);
        _dispense(ID);
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinAlreadyDecommissioned.selector, ID));
        vm.prank(dispenser);
        twin.transferCustody(ID, wholesaler, dDispensingBatch, dDispensing[0], _proof(dDispensing, 0));
    }

    function test_RevertWhen_NonCustodianTransfers() public {
        _mint(UNIT, manufacturer);
        _ship(manufacturer, ID, wholesaler);
        // the previous custodian, with its own valid shipping event
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinNotCustodian.selector, ID, manufacturer));
        _ship(manufacturer, ID, dispenser);
        // the manufacturer of the unit and a stranger
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinNotCustodian.selector, ID, stranger));
        vm.prank(stranger);
        twin.transferCustody(ID, stranger, wShippingBatch, wShipping[0], _proof(wShipping, 0));
        assertEq(twin.ownerOf(ID), wholesaler);
    }

    function test_RevertWhen_SuspendedCustodianTransfers() public {
        _mint(UNIT, wholesaler);
        _setActive(wholesaler, false);
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinNotPartner.selector, wholesaler));
        _ship(wholesaler, ID, dispenser);
        _setActive(wholesaler, true);
        _ship(wholesaler, ID, dispenser);
    }

    function test_RevertWhen_TransferRecipientIsInvalid() public {
        _mint(UNIT, wholesaler);
        address[3] memory recipients = [stranger, address(0), wholesaler];
        for (uint256 i = 0; i < recipients.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinInvalidRecipient.selector, recipients[i]));
            _ship(wholesaler, ID, recipients[i]);
        }
        _setActive(dispenser, false);
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinInvalidRecipient.selector, dispenser));
        _ship(wholesaler, ID, dispenser);
    }

    function test_RevertWhen_ShippingEventIsNotTheCustodians() public {
        _mint(UNIT, wholesaler);
        // the manufacturer's (valid) shipping event, an unknown batch, batch 0
        uint256[3] memory batches = [mShippingBatch, 999, 0];
        for (uint256 i = 0; i < batches.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(IDigitalTwin.TwinEventNotFromCustodian.selector, batches[i], wholesaler)
            );
            vm.prank(wholesaler);
            twin.transferCustody(ID, dispenser, batches[i], mShipping[0], _proof(mShipping, 0));
        }
    }

    function test_RevertWhen_ShippingProofIsInvalid() public {
        _mint(UNIT, wholesaler);
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinInvalidProof.selector, wShippingBatch, wShipping[1]));
        vm.prank(wholesaler);
        twin.transferCustody(ID, dispenser, wShippingBatch, wShipping[1], _proof(wShipping, 0));
        bytes32 unanchored = keccak256("never anchored");
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinInvalidProof.selector, wShippingBatch, unanchored));
        vm.prank(wholesaler);
        twin.transferCustody(ID, dispenser, wShippingBatch, unanchored, _noProof());
        assertEq(twin.ownerOf(ID), wholesaler);
    }

    function test_TransferCustody_ChecksInOrder() public {
        _mint(UNIT, wholesaler);
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinUnknownUnit.selector, uint256(1)));
        vm.prank(stranger);
        twin.transferCustody(1, address(0), 0, 0, _noProof());
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinNotCustodian.selector, ID, stranger));
        vm.prank(stranger);
        twin.transferCustody(ID, address(0), 0, 0, _noProof());
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinInvalidRecipient.selector, address(0)));
        vm.prank(wholesaler);
        twin.transferCustody(ID, address(0), 0, 0, _noProof());
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinEventNotFromCustodian.selector, 0, wholesaler));
        vm.prank(wholesaler);
        twin.transferCustody(ID, dispenser, 0, 0, _noProof());
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinInvalidProof.selector, wShippingBatch, bytes32(0)));
        vm.prank(wholesaler);
        twin.transferCustody(ID, dispenser, wShippingBatch, 0, _noProof());
    }

    // ---------------------------------------------------------------------------------- decommission

    function test_Decommission_BurnsAndEmits() public {
        _toDispenser(UNIT);
        vm.expectEmit(address(twin));
        emit IERC721.Transfer(dispenser, address(0), ID);
        vm.expectEmit(address(twin));
        emit IDigitalTwin.TwinDecommissioned(ID, dispenser, dDispensingBatch, dDispensing[2]);
        _dispense(ID);
        assertEq(twin.balanceOf(dispenser), 0);
        assertTrue(twin.isDecommissioned(ID));
        IDigitalTwin.Twin memory t = twin.twinOf(ID);
        assertTrue(t.decommissioned);
        assertEq(t.manufacturer, manufacturer);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, ID));
        twin.ownerOf(ID);
    }

    function test_RevertWhen_NonDispenserDecommissions() public {
        _mint(UNIT, wholesaler);
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinNotDispenser.selector, wholesaler));
        vm.prank(wholesaler);
        twin.decommission(ID, wShippingBatch, wShipping[0], _proof(wShipping, 0));
        // a dispenser that is not the custodian
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinNotCustodian.selector, ID, dispenser));
        _dispense(ID);
        _ship(wholesaler, ID, dispenser);
        _setActive(dispenser, false);
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinNotDispenser.selector, dispenser));
        _dispense(ID);
        _setActive(dispenser, true);
        _dispense(ID);
    }

    function test_RevertWhen_DecommissioningAnUnknownOrDecommissionedUnit() public {
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinUnknownUnit.selector, ID));
        _dispense(ID);
        _toDispenser(UNIT);
        _dispense(ID);
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinAlreadyDecommissioned.selector, ID));
        _dispense(ID);
    }

    function test_RevertWhen_DecommissioningEventIsNotProven() public {
        _toDispenser(UNIT);
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinEventNotFromCustodian.selector, wShippingBatch, dispenser));
        vm.prank(dispenser);
        twin.decommission(ID, wShippingBatch, wShipping[0], _proof(wShipping, 0));
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinInvalidProof.selector, dDispensingBatch, dDispensing[3]));
        vm.prank(dispenser);
        twin.decommission(ID, dDispensingBatch, dDispensing[3], _proof(dDispensing, 2));
        assertFalse(twin.isDecommissioned(ID));
    }

    // ------------------------------------------------------------------------- ERC-721 moves disabled

    function test_RevertWhen_UsingErc721TransfersOrApprovals() public {
        _mint(UNIT, wholesaler);
        bytes memory disabled = _err(IDigitalTwin.TwinTransferDisabled.selector);
        vm.startPrank(wholesaler);
        vm.expectRevert(disabled);
        twin.transferFrom(wholesaler, dispenser, ID);
        vm.expectRevert(disabled);
        twin.safeTransferFrom(wholesaler, dispenser, ID);
        vm.expectRevert(disabled);
        twin.safeTransferFrom(wholesaler, dispenser, ID, "");
        vm.expectRevert(disabled);
        twin.approve(dispenser, ID);
        vm.expectRevert(disabled);
        twin.setApprovalForAll(dispenser, true);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InvalidReceiver.selector, address(0)));
        twin.transferFrom(wholesaler, address(0), ID);
        vm.stopPrank();
        assertEq(twin.ownerOf(ID), wholesaler);
        assertEq(twin.getApproved(ID), address(0));
        assertFalse(twin.isApprovedForAll(wholesaler, dispenser));
    }

    /// Regression (found by the fuzzer): OpenZeppelin passes the caller as `auth`, which is zero for a call
    /// from address(0) (an `eth_call` can have that sender); the owner's own transfer is refused too.
    function test_RevertWhen_ZeroSenderOrOwnerUsesTransferFrom() public {
        _mint(UNIT, wholesaler);
        address[2] memory callers = [address(0), wholesaler];
        for (uint256 i = 0; i < callers.length; ++i) {
            vm.expectRevert(_err(IDigitalTwin.TwinTransferDisabled.selector));
            vm.prank(callers[i]);
            twin.transferFrom(wholesaler, dispenser, ID);
        }
        assertEq(twin.ownerOf(ID), wholesaler);
    }

    // ---------------------------------------------------------------------------------- via forwarder

    function test_Relayed_MintShipAndDispense() public {
        vm.startPrank(relayer);
        vm.expectEmit(address(twin));
        emit IDigitalTwin.TwinMinted(ID, manufacturer, manufacturer, commissioningBatch, commissioning[1]);
        forwarder.execute(
            signedRequest(
                forwarder,
                manufacturerKey,
                address(twin),
                abi.encodeCall(
                    IDigitalTwin.mintTwin,
                    (commissioningBatch, commissioning[1], _proof(commissioning, 1), UNIT, manufacturer)
                )
            )
        );
        vm.expectEmit(address(twin));
        emit IDigitalTwin.CustodyTransferred(ID, manufacturer, wholesaler, mShippingBatch, mShipping[0]);
        forwarder.execute(
            signedRequest(
                forwarder,
                manufacturerKey,
                address(twin),
                abi.encodeCall(IDigitalTwin.transferCustody, (ID, wholesaler, mShippingBatch, mShipping[0], _proof(mShipping, 0)))
            )
        );
        forwarder.execute(
            signedRequest(
                forwarder,
                wholesalerKey,
                address(twin),
                abi.encodeCall(IDigitalTwin.transferCustody, (ID, dispenser, wShippingBatch, wShipping[0], _proof(wShipping, 0)))
            )
        );
        vm.expectEmit(address(twin));
        emit IDigitalTwin.TwinDecommissioned(ID, dispenser, dDispensingBatch, dDispensing[2]);
        forwarder.execute(
            signedRequest(
                forwarder,
                dispenserKey,
                address(twin),
                abi.encodeCall(IDigitalTwin.decommission, (ID, dDispensingBatch, dDispensing[2], _proof(dDispensing, 2)))
            )
        );
        vm.stopPrank();
        assertTrue(twin.isDecommissioned(ID));
        assertEq(forwarder.nonces(manufacturer), 2);
    }

    function test_Relayed_StrangerCannotMoveATwin() public {
        _mint(UNIT, wholesaler);
        ERC2771Forwarder.ForwardRequestData memory request = signedRequest(
            forwarder,
            strangerKey,
            address(twin),
            abi.encodeCall(IDigitalTwin.transferCustody, (ID, dispenser, wShippingBatch, wShipping[0], _proof(wShipping, 0)))
        );
        vm.expectRevert();
        vm.prank(relayer);
        forwarder.execute(request);
        assertEq(twin.ownerOf(ID), wholesaler);
    }

    function test_DirectCallWithSpoofedSuffixActsAsTheCaller() public {
        _mint(UNIT, wholesaler);
        bytes memory spoofed = abi.encodePacked(
            abi.encodeCall(IDigitalTwin.transferCustody, (ID, dispenser, wShippingBatch, wShipping[0], _proof(wShipping, 0))),
            wholesaler
        );
        vm.prank(stranger);
        (bool ok, bytes memory reason) = address(twin).call(spoofed);
        assertFalse(ok);
        assertEq(reason, abi.encodeWithSelector(IDigitalTwin.TwinNotCustodian.selector, ID, stranger));
    }
}

contract DigitalTwinFuzzTest is DigitalTwinFixture {
    /// A twin mints only with a member proof of a commissioning batch of random size (1..64).
    function testFuzz_MintNeedsAProvenCommissioning(uint256 seed, uint8 sizeSeed, uint256 pick, bytes32 unitKey)
        public
    {
        vm.assume(unitKey != bytes32(0));
        uint256 n = 1 + sizeSeed % 64;
        bytes32[] memory events = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) events[i] = keccak256(abi.encode(seed, i));
        uint256 batchId = _anchorEvents(manufacturer2, events);
        uint256 k = pick % n;
        bytes32[] memory proof = _proof(events, k);
        bool tamper = proof.length > 0 && (pick >> 200) % 2 == 0;
        if (tamper) {
            uint256 j = (pick >> 8) % proof.length;
            proof[j] = proof[j] ^ bytes32(uint256(1) << ((pick >> 16) % 256));
            vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinInvalidProof.selector, batchId, events[k]));
        }
        vm.prank(manufacturer2);
        twin.mintTwin(batchId, events[k], proof, unitKey, wholesaler);
        if (!tamper) assertEq(twin.ownerOf(uint256(unitKey)), wholesaler);
        else assertEq(twin.balanceOf(wholesaler), 0);
    }

    /// Only the current custodian moves a twin, whoever calls.
    function testFuzz_OnlyTheCustodianMovesTheTwin(address caller) public {
        vm.assume(caller != address(forwarder));
        _mint(UNIT, manufacturer);
        if (caller != manufacturer) {
            vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinNotCustodian.selector, ID, caller));
        }
        vm.prank(caller);
        twin.transferCustody(ID, wholesaler, mShippingBatch, mShipping[0], _proof(mShipping, 0));
        assertEq(twin.ownerOf(ID), caller == manufacturer ? wholesaler : manufacturer);
    }

    /// ERC-721 transfers never move a twin, whoever calls and whatever the arguments.
    function testFuzz_Erc721TransfersAlwaysRevert(address caller, address from, address to, bool safe) public {
        vm.assume(to != address(0));
        _mint(UNIT, manufacturer);
        vm.expectRevert(_err(IDigitalTwin.TwinTransferDisabled.selector));
        vm.prank(caller);
        if (safe) twin.safeTransferFrom(from, to, ID);
        else twin.transferFrom(from, to, ID);
        assertEq(twin.ownerOf(ID), manufacturer);
    }
}
