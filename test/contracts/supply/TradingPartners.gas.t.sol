// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {TrustRegistry} from "../../../contracts/identity/TrustRegistry.sol";
import {
    ITradingPartners,
    KIND_MANUFACTURER,
    KIND_WHOLESALER,
    TRADING_PARTNER_CREDENTIAL
} from "../../../contracts/supply/ITradingPartners.sol";
import {TradingPartners} from "../../../contracts/supply/TradingPartners.sol";
import {Test} from "../utils/Test.sol";
import {ForwarderSigner} from "../utils/ForwarderSigner.sol";

/// @notice Gas snapshots of TradingPartners (group "TradingPartners", snapshots/TradingPartners.json). Every test
///         is its own transaction on the state its contract's setUp left. Relayed requests are their signer's first.
abstract contract TradingPartnersGasFixture is Test, ForwarderSigner {
    string internal constant GROUP = "TradingPartners";
    bytes32 internal constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");
    // GLNs with valid check digits
    uint64 internal constant GLN_0 = 614141000012;
    uint64 internal constant GLN_1 = 614141000029;
    uint64 internal constant GLN_2 = 614141000036;
    uint64 internal constant GLN_3 = 614141000043;
    uint64 internal constant GLN_4 = 614141000050;
    uint64 internal constant GLN_5 = 614141000067;
    uint64 internal constant GLN_6 = 614141000074;
    string internal constant JOINER_PREFIX = "0614199";
    uint64 internal constant UNTIL = 4_000_000_000;
    uint256 internal constant T0 = 1_800_000_000;

    MedchainForwarder internal forwarder;
    TrustRegistry internal trust;
    TradingPartners internal partners;
    address internal admin;
    address internal registrar;
    address internal relayedRegistrar;
    uint256 internal relayedRegistrarKey;
    address internal manufacturer;
    address internal wholesaler;
    address internal spare;
    address internal gs1;
    address internal joiner;
    address internal relayedJoiner;
    uint256 internal relayedJoinerKey;
    address internal relayer;

    function setUp() public virtual {
        vm.warp(T0);
        admin = makeAddr("admin");
        registrar = makeAddr("registrar");
        (relayedRegistrar, relayedRegistrarKey) = makeAddrAndKey("relayed supply registrar");
        manufacturer = makeAddr("manufacturer");
        wholesaler = makeAddr("wholesaler");
        spare = makeAddr("spare");
        gs1 = makeAddr("gs1");
        joiner = makeAddr("joiner");
        (relayedJoiner, relayedJoinerKey) = makeAddrAndKey("relayed credential wholesaler");
        relayer = makeAddr("relayer");
        forwarder = new MedchainForwarder();
        trust = new TrustRegistry(address(forwarder), admin);
        partners = new TradingPartners(address(forwarder), admin, address(trust));
    }

    function _claims(uint64 gln) internal pure returns (bytes32) {
        return keccak256(abi.encode(KIND_WHOLESALER, gln, JOINER_PREFIX));
    }

    function _credential(bytes32 id, address subject, uint64 gln) internal {
        vm.prank(gs1);
        trust.registerCredentialWithClaims(id, TRADING_PARTNER_CREDENTIAL, subject, 0, UNTIL, _claims(gln));
    }
}

contract TradingPartnersGasTest is TradingPartnersGasFixture {
    function test_Gas_Deploy() public {
        vm.startSnapshotGas(GROUP, "deploy");
        new TradingPartners(address(forwarder), admin, address(trust));
        vm.stopSnapshotGas();
    }

    /// @dev The admin grants REGISTRAR_ROLE.
    function test_Gas_GrantRole() public {
        vm.prank(admin);
        partners.grantRole(REGISTRAR_ROLE, registrar);
        vm.snapshotGasLastCall(GROUP, "grantRole");
    }
}

/// @dev Registrars granted (direct and relayed), a GS1 issuer accredited, credentials of the two joiners registered.
abstract contract TradingPartnersRegistrarGasFixture is TradingPartnersGasFixture {
    function setUp() public virtual override {
        super.setUp();
        vm.startPrank(admin);
        partners.grantRole(REGISTRAR_ROLE, registrar);
        partners.grantRole(REGISTRAR_ROLE, relayedRegistrar);
        trust.accredit(gs1, TRADING_PARTNER_CREDENTIAL);
        vm.stopPrank();
        _credential(keccak256("trading partner credential 1"), joiner, GLN_5);
        _credential(keccak256("trading partner credential 2"), relayedJoiner, GLN_6);
    }
}

contract TradingPartnersRegisterGasTest is TradingPartnersRegistrarGasFixture {
    /// @dev A manufacturer with a 7-digit prefix (the registry's first partner; prefix node + 3 marks).
    function test_Gas_RegisterPartner_WithPrefix() public {
        vm.prank(registrar);
        partners.registerPartner(manufacturer, KIND_MANUFACTURER, GLN_0, "0614141");
        vm.snapshotGasLastCall(GROUP, "registerPartner.withPrefix");
    }

    /// @dev A wholesaler, no company prefix (the registry's first partner).
    function test_Gas_RegisterPartner() public {
        vm.prank(registrar);
        partners.registerPartner(wholesaler, KIND_WHOLESALER, GLN_1, "");
        vm.snapshotGasLastCall(GROUP, "registerPartner");
    }

    /// @dev A relayed registrar registers a wholesaler.
    function test_Gas_RegisterPartner_ViaForwarder() public {
        relay(
            forwarder,
            relayer,
            relayedRegistrarKey,
            address(partners),
            abi.encodeCall(ITradingPartners.registerPartner, (spare, KIND_WHOLESALER, GLN_4, ""))
        );
        vm.snapshotGasLastCall(GROUP, "registerPartner.viaForwarder");
        assertTrue(partners.isActivePartner(spare));
    }

    /// @dev A wholesaler joins with its credential (checked in the trust registry, claims digest compared).
    function test_Gas_RegisterWithCredential() public {
        vm.prank(joiner);
        partners.registerWithCredential(keccak256("trading partner credential 1"), KIND_WHOLESALER, GLN_5, JOINER_PREFIX);
        vm.snapshotGasLastCall(GROUP, "registerWithCredential");
    }

    function test_Gas_RegisterWithCredential_ViaForwarder() public {
        relay(
            forwarder,
            relayer,
            relayedJoinerKey,
            address(partners),
            abi.encodeCall(
                ITradingPartners.registerWithCredential,
                (keccak256("trading partner credential 2"), KIND_WHOLESALER, GLN_6, JOINER_PREFIX)
            )
        );
        vm.snapshotGasLastCall(GROUP, "registerWithCredential.viaForwarder");
        assertTrue(partners.isActivePartner(relayedJoiner));
    }
}

/// @dev The manufacturer (with prefix 0614141), a spare wholesaler and the joiner (by credential) registered; the
///      joiner's credential then revoked and a new one registered for it.
contract TradingPartnersRegisteredGasTest is TradingPartnersRegistrarGasFixture {
    function setUp() public override {
        super.setUp();
        vm.startPrank(registrar);
        partners.registerPartner(manufacturer, KIND_MANUFACTURER, GLN_0, "0614141");
        partners.registerPartner(spare, KIND_WHOLESALER, GLN_3, "");
        vm.stopPrank();
        vm.prank(joiner);
        partners.registerWithCredential(keccak256("trading partner credential 1"), KIND_WHOLESALER, GLN_5, JOINER_PREFIX);
        vm.prank(gs1);
        trust.revokeCredential(keccak256("trading partner credential 1"));
        _credential(keccak256("trading partner credential 3"), joiner, GLN_5);
    }

    /// @dev A second 7-digit prefix of the manufacturer.
    function test_Gas_AddCompanyPrefix() public {
        vm.prank(registrar);
        partners.addCompanyPrefix(manufacturer, "0614142");
        vm.snapshotGasLastCall(GROUP, "addCompanyPrefix");
    }

    /// @dev The registrar suspends a partner (true -> false).
    function test_Gas_SetPartnerActive() public {
        vm.prank(registrar);
        partners.setPartnerActive(spare, false);
        vm.snapshotGasLastCall(GROUP, "setPartnerActive");
    }

    /// @dev After its credential was revoked, the wholesaler renews with a new one (old claims digest read, new
    ///      credential checked, credential slot rewritten).
    function test_Gas_RenewCredential() public {
        vm.prank(joiner);
        partners.renewCredential(keccak256("trading partner credential 3"), KIND_WHOLESALER, GLN_5, JOINER_PREFIX);
        vm.snapshotGasLastCall(GROUP, "renewCredential");
        assertTrue(partners.isActivePartner(joiner));
    }
}
