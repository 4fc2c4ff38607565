// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {
    KIND_DISPENSER,
    KIND_MANUFACTURER,
    KIND_REGULATOR,
    KIND_REPACKAGER,
    KIND_WHOLESALER
} from "../../../contracts/supply/ITradingPartners.sol";
import {TrustRegistry} from "../../../contracts/identity/TrustRegistry.sol";
import {TradingPartners} from "../../../contracts/supply/TradingPartners.sol";
import {SupplyAnchor} from "../../../contracts/supply/SupplyAnchor.sol";
import {DigitalTwin} from "../../../contracts/supply/DigitalTwin.sol";
import {Test} from "../utils/Test.sol";
import {ForwarderSigner} from "../utils/ForwarderSigner.sol";
import {StandardMerkle} from "./StandardMerkle.sol";

/// @notice The supply chain of the supply tests: a forwarder, the three supply contracts, a registrar and one
///         partner of every kind (two manufacturers), with GS1 identifiers whose check digits are right.
abstract contract SupplyFixture is Test, ForwarderSigner {
    MedchainForwarder internal forwarder;
    TrustRegistry internal trust;
    TradingPartners internal partners;
    SupplyAnchor internal anchor;
    DigitalTwin internal twin;

    address internal admin;
    uint256 internal adminKey;
    address internal registrar;
    uint256 internal registrarKey;
    address internal manufacturer;
    uint256 internal manufacturerKey;
    address internal manufacturer2;
    uint256 internal manufacturer2Key;
    address internal repackager;
    address internal wholesaler;
    uint256 internal wholesalerKey;
    address internal dispenser;
    uint256 internal dispenserKey;
    address internal regulator;
    address internal stranger;
    uint256 internal strangerKey;
    address internal relayer;

    bytes32 internal constant DEFAULT_ADMIN_ROLE = 0x00;
    bytes32 internal constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");
    uint256 internal constant T0 = 1_800_000_000;

    // GLNs (13 digits, valid check digits)
    uint64 internal constant GLN_MANUFACTURER = 614141000012;
    uint64 internal constant GLN_MANUFACTURER_2 = 4012345000016;
    uint64 internal constant GLN_REPACKAGER = 614141000029;
    uint64 internal constant GLN_WHOLESALER = 614141000036;
    uint64 internal constant GLN_DISPENSER = 614141000043;
    uint64 internal constant GLN_REGULATOR = 614141000050;
    uint64 internal constant GLN_SPARE = 614141000067;
    uint64 internal constant GLN_SPARE_2 = 614141000074;

    // GS1 Company Prefixes and GTIN-14s under them
    string internal constant PREFIX = "0614141";
    string internal constant PREFIX_2 = "4012345";
    uint64 internal constant GTIN = 614141123452; // (01)00614141123452
    uint64 internal constant GTIN_CASE = 10614141123459; // (01)10614141123459, indicator 1
    uint64 internal constant GTIN_2 = 4012345000115; // (01)04012345000115
    uint64 internal constant GTIN_OTHER_PREFIX = 614142123451; // (01)00614142123451
    string internal constant LOT = "LOT-2026/A1";
    string internal constant REASON = "out-of-specification dissolution results";

    function setUp() public virtual {
        vm.warp(T0);
        (admin, adminKey) = makeAddrAndKey("admin");
        (registrar, registrarKey) = makeAddrAndKey("registrar");
        (manufacturer, manufacturerKey) = makeAddrAndKey("manufacturer");
        (manufacturer2, manufacturer2Key) = makeAddrAndKey("manufacturer-2");
        repackager = makeAddr("repackager");
        (wholesaler, wholesalerKey) = makeAddrAndKey("wholesaler");
        (dispenser, dispenserKey) = makeAddrAndKey("dispenser");
        regulator = makeAddr("regulator");
        (stranger, strangerKey) = makeAddrAndKey("stranger");
        relayer = makeAddr("relayer");

        forwarder = new MedchainForwarder();
        trust = new TrustRegistry(address(forwarder), admin);
        partners = new TradingPartners(address(forwarder), admin, address(trust));
        anchor = new SupplyAnchor(address(forwarder), address(partners));
        twin = new DigitalTwin(address(forwarder), address(anchor), address(partners));

        vm.prank(admin);
        partners.grantRole(REGISTRAR_ROLE, registrar);
        _register(manufacturer, KIND_MANUFACTURER, GLN_MANUFACTURER, PREFIX);
        _register(manufacturer2, KIND_MANUFACTURER, GLN_MANUFACTURER_2, PREFIX_2);
        _register(repackager, KIND_REPACKAGER, GLN_REPACKAGER, "");
        _register(wholesaler, KIND_WHOLESALER, GLN_WHOLESALER, "");
        _register(dispenser, KIND_DISPENSER, GLN_DISPENSER, "");
        _register(regulator, KIND_REGULATOR, GLN_REGULATOR, "");
    }

    function _register(address account, uint8 kind, uint64 gln, string memory prefix) internal {
        vm.prank(registrar);
        partners.registerPartner(account, kind, gln, prefix);
    }

    function _setActive(address account, bool active) internal {
        vm.prank(registrar);
        partners.setPartnerActive(account, active);
    }

    /// @dev `n` distinct event hashes derived from `label`.
    function _events(string memory label, uint256 n) internal pure returns (bytes32[] memory events) {
        events = new bytes32[](n);
        for (uint256 i = 0; i < n; ++i) events[i] = keccak256(abi.encode(label, i));
    }

    /// @dev `partner` anchors the tree over `events`; returns the batch id.
    function _anchorEvents(address partner, bytes32[] memory events) internal returns (uint256) {
        bytes32 root = StandardMerkle.root(events);
        vm.prank(partner);
        return anchor.anchorBatch(root, uint32(events.length), keccak256(abi.encode("digest", root)));
    }

    /// @dev `partner` anchors a batch of one event (root = its leaf, empty proof).
    function _anchorOne(address partner, bytes32 eventHash) internal returns (uint256) {
        bytes32[] memory events = new bytes32[](1);
        events[0] = eventHash;
        return _anchorEvents(partner, events);
    }

    function _proof(bytes32[] memory events, uint256 index) internal pure returns (bytes32[] memory proof) {
        (, proof) = StandardMerkle.rootAndProof(events, index);
    }

    function _noProof() internal pure returns (bytes32[] memory) {
        return new bytes32[](0);
    }

    function _unauthorized(address account, bytes32 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, account, role);
    }
}
