// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IDigitalTwin} from "../../../contracts/supply/IDigitalTwin.sol";
import {DigitalTwin} from "../../../contracts/supply/DigitalTwin.sol";
import {SupplyFixture} from "./SupplyFixture.sol";
import {OzMintBaseline} from "./OzMintBaseline.sol";

/// @notice Gas snapshots of DigitalTwin (group "DigitalTwin", snapshots/DigitalTwin.json) and of the OpenZeppelin
///         mint baseline (group "Baseline"), on the supply chain of {SupplyFixture}: batches anchored by the
///         manufacturer (8 commissioning events, 4 shipping events), the wholesaler (4 shipping events) and the
///         dispenser (4 dispensing events). Every test is its own transaction on the state its contract's setUp left.
abstract contract DigitalTwinGasFixture is SupplyFixture {
    string internal constant GROUP = "DigitalTwin";

    bytes32[] internal commissioning;
    bytes32[] internal mShipping;
    bytes32[] internal wShipping;
    bytes32[] internal dispensing;
    uint256 internal commissioningBatch;
    uint256 internal mShippingBatch;
    uint256 internal wShippingBatch;
    uint256 internal dispensingBatch;
    bytes32 internal unit1;
    bytes32 internal unit2;

    function setUp() public virtual override {
        super.setUp();
        commissioning = _events("commissioning", 8);
        mShipping = _events("manufacturer shipping", 4);
        wShipping = _events("wholesaler shipping", 4);
        dispensing = _events("dispensing", 4);
        commissioningBatch = _anchorEvents(manufacturer, commissioning);
        wShippingBatch = _anchorEvents(wholesaler, wShipping);
        mShippingBatch = _anchorEvents(manufacturer, mShipping);
        dispensingBatch = _anchorEvents(dispenser, dispensing);
        unit1 = keccak256("https://id.gs1.org/01/00614141123452/21/SN0001");
        unit2 = keccak256("https://id.gs1.org/01/00614141123452/21/SN0002");
    }

    function _mint(bytes32 unit) internal {
        vm.prank(manufacturer);
        twin.mintTwin(commissioningBatch, commissioning[1], _proof(commissioning, 1), unit, manufacturer);
    }
}

contract DigitalTwinGasTest is DigitalTwinGasFixture {
    function test_Gas_Deploy() public {
        vm.startSnapshotGas(GROUP, "deploy");
        new DigitalTwin(address(forwarder), address(anchor), address(partners));
        vm.stopSnapshotGas();
    }

    /// @dev The manufacturer mints a twin to itself (its balance 0 -> 1), proving a commissioning event (3 nodes).
    function test_Gas_MintTwin() public {
        bytes32[] memory proof = _proof(commissioning, 1);
        vm.prank(manufacturer);
        twin.mintTwin(commissioningBatch, commissioning[1], proof, unit1, manufacturer);
        vm.snapshotGasLastCall(GROUP, "mintTwin");
    }
}

/// @dev Unit 1 minted to the manufacturer; unit 2 minted and moved to the wholesaler.
contract DigitalTwinMintedGasTest is DigitalTwinGasFixture {
    function setUp() public override {
        super.setUp();
        _mint(unit1);
        _mint(unit2);
        vm.prank(manufacturer);
        twin.transferCustody(uint256(unit2), wholesaler, mShippingBatch, mShipping[1], _proof(mShipping, 1));
    }

    /// @dev A second twin to the same holder (its balance 1 -> 2).
    function test_Gas_MintTwin_SameHolder() public {
        bytes32[] memory proof = _proof(commissioning, 1);
        bytes32 unit3 = keccak256("https://id.gs1.org/01/00614141123452/21/SN0003");
        vm.prank(manufacturer);
        twin.mintTwin(commissioningBatch, commissioning[1], proof, unit3, manufacturer);
        vm.snapshotGasLastCall(GROUP, "mintTwin.sameHolder");
    }

    /// @dev Manufacturer -> wholesaler, proving the manufacturer's shipping event.
    function test_Gas_TransferCustody() public {
        bytes32[] memory proof = _proof(mShipping, 0);
        vm.prank(manufacturer);
        twin.transferCustody(uint256(unit1), wholesaler, mShippingBatch, mShipping[0], proof);
        vm.snapshotGasLastCall(GROUP, "transferCustody");
    }

    /// @dev A relayed wholesaler -> dispenser, proving the wholesaler's shipping event (its first relayed request).
    function test_Gas_TransferCustody_ViaForwarder() public {
        bytes memory data = abi.encodeCall(
            IDigitalTwin.transferCustody, (uint256(unit2), dispenser, wShippingBatch, wShipping[0], _proof(wShipping, 0))
        );
        relay(forwarder, relayer, wholesalerKey, address(twin), data);
        vm.snapshotGasLastCall(GROUP, "transferCustody.viaForwarder");
        assertEq(twin.ownerOf(uint256(unit2)), dispenser);
    }
}

/// @dev Unit 2 held by the dispenser.
contract DigitalTwinDispensedGasTest is DigitalTwinGasFixture {
    function setUp() public override {
        super.setUp();
        _mint(unit2);
        vm.prank(manufacturer);
        twin.transferCustody(uint256(unit2), wholesaler, mShippingBatch, mShipping[1], _proof(mShipping, 1));
        vm.prank(wholesaler);
        twin.transferCustody(uint256(unit2), dispenser, wShippingBatch, wShipping[0], _proof(wShipping, 0));
    }

    /// @dev The dispenser burns the twin, proving its dispensing event.
    function test_Gas_Decommission() public {
        bytes32[] memory proof = _proof(dispensing, 2);
        vm.prank(dispenser);
        twin.decommission(uint256(unit2), dispensingBatch, dispensing[2], proof);
        vm.snapshotGasLastCall(GROUP, "decommission");
    }
}

/// @notice OpenZeppelin ERC721 `_safeMint` of one token to an EOA: what one token per unit costs without any
///         provenance, next to {DigitalTwin-mintTwin} and SupplyAnchor's `anchorBatch`.
contract OzMintBaselineGasTest is DigitalTwinGasFixture {
    OzMintBaseline internal baseline;

    function setUp() public override {
        super.setUp();
        baseline = new OzMintBaseline();
    }

    /// @dev The holder's balance 0 -> 1.
    function test_Gas_OzMint() public {
        vm.prank(manufacturer);
        baseline.mint(manufacturer, uint256(unit1));
        vm.snapshotGasLastCall("Baseline", "ozMint");
    }
}

contract OzMintBaselineSameHolderGasTest is DigitalTwinGasFixture {
    OzMintBaseline internal baseline;

    function setUp() public override {
        super.setUp();
        baseline = new OzMintBaseline();
        baseline.mint(manufacturer, uint256(unit1));
    }

    /// @dev The holder's balance 1 -> 2.
    function test_Gas_OzMint_SameHolder() public {
        vm.prank(manufacturer);
        baseline.mint(manufacturer, uint256(unit2));
        vm.snapshotGasLastCall("Baseline", "ozMint.sameHolder");
    }
}
