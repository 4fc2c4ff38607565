// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {TrustRegistry} from "../../../contracts/identity/TrustRegistry.sol";
import {IConsentRegistry} from "../../../contracts/consent/IConsentRegistry.sol";
import {ConsentRegistry} from "../../../contracts/consent/ConsentRegistry.sol";
import {Test} from "../utils/Test.sol";
import {ForwarderSigner} from "../utils/ForwarderSigner.sol";

/// @notice Gas snapshots of ConsentRegistry (group "ConsentRegistry", snapshots/ConsentRegistry.json). Every test
///         is its own transaction on the state its contract's setUp left. Relayed requests are their signer's
///         first (nonce 0 -> 1).
abstract contract ConsentRegistryGasFixture is Test, ForwarderSigner {
    string internal constant GROUP = "ConsentRegistry";
    bytes32 internal constant CLINICIAN_TYPE = keccak256("ClinicianLicenceCredential");
    /// @dev Observations | medications, TREAT | CAREMGT, from a fixed past start to 2096.
    uint32 internal constant GRANT_CATEGORIES = 0x18;
    uint32 internal constant GRANT_PURPOSES = 0x101;
    uint64 internal constant GRANT_NOT_BEFORE = 1_700_000_000;
    uint64 internal constant GRANT_EXPIRES_AT = 4_000_000_000;
    uint32 internal constant BREAK_GLASS_CAP = 0x7D;
    uint64 internal constant BREAK_GLASS_DURATION = 4 hours;
    uint256 internal constant T0 = 1_800_000_000;

    MedchainForwarder internal forwarder;
    TrustRegistry internal trust;
    ConsentRegistry internal consent;
    address internal governance;
    address internal board;
    address internal patient;
    address internal delegate;
    address internal provider;
    address internal clinician;
    address internal relayedPatient;
    uint256 internal relayedPatientKey;
    address internal relayedDelegate;
    uint256 internal relayedDelegateKey;
    address internal relayedClinician;
    uint256 internal relayedClinicianKey;
    address internal relayer;

    function setUp() public virtual {
        vm.warp(T0);
        governance = makeAddr("governance");
        board = makeAddr("board");
        patient = makeAddr("patient");
        delegate = makeAddr("delegate");
        provider = makeAddr("provider");
        clinician = makeAddr("clinician");
        (relayedPatient, relayedPatientKey) = makeAddrAndKey("relayed consent patient");
        (relayedDelegate, relayedDelegateKey) = makeAddrAndKey("relayed consent delegate");
        (relayedClinician, relayedClinicianKey) = makeAddrAndKey("relayed consent clinician");
        relayer = makeAddr("relayer");

        forwarder = new MedchainForwarder();
        trust = new TrustRegistry(address(forwarder), governance);
        consent = new ConsentRegistry(address(forwarder), address(trust), BREAK_GLASS_CAP, BREAK_GLASS_DURATION);
        vm.prank(governance);
        trust.accredit(board, CLINICIAN_TYPE);
        _licence("licence 1", clinician);
        _licence("licence 2", relayedClinician);
    }

    function _licence(string memory label, address subject) internal {
        bytes32 id = keccak256(bytes(label));
        vm.prank(board);
        trust.registerCredential(id, CLINICIAN_TYPE, subject, GRANT_NOT_BEFORE, GRANT_EXPIRES_AT);
        vm.prank(subject);
        trust.claimRole(id);
    }

    function _grant(address from, address patient_) internal returns (uint256) {
        vm.prank(from);
        return consent.grant(patient_, provider, GRANT_CATEGORIES, GRANT_PURPOSES, GRANT_NOT_BEFORE, GRANT_EXPIRES_AT);
    }
}

contract ConsentRegistryGasTest is ConsentRegistryGasFixture {
    function test_Gas_Deploy() public {
        vm.startSnapshotGas(GROUP, "deploy");
        new ConsentRegistry(address(forwarder), address(trust), BREAK_GLASS_CAP, BREAK_GLASS_DURATION);
        vm.stopSnapshotGas();
    }

    /// @dev The patient names a delegate (false -> true).
    function test_Gas_SetDelegate() public {
        vm.prank(patient);
        consent.setDelegate(delegate, true);
        vm.snapshotGasLastCall(GROUP, "setDelegate");
    }

    function test_Gas_SetDelegate_ViaForwarder() public {
        relay(forwarder, relayer, relayedPatientKey, address(consent), abi.encodeCall(IConsentRegistry.setDelegate, (relayedDelegate, true)));
        vm.snapshotGasLastCall(GROUP, "setDelegate.viaForwarder");
    }

    /// @dev The registry's first grant (grantCount 0 -> 1).
    function test_Gas_Grant() public {
        _grant(patient, patient);
        vm.snapshotGasLastCall(GROUP, "grant");
    }
}

/// @dev Delegates named (directly), grant 1 of the patient, grant 2 of the relayed patient.
contract ConsentRegistryGrantedGasTest is ConsentRegistryGasFixture {
    function setUp() public override {
        super.setUp();
        vm.prank(patient);
        consent.setDelegate(delegate, true);
        vm.prank(relayedPatient);
        consent.setDelegate(relayedDelegate, true);
        _grant(patient, patient);
        _grant(relayedPatient, relayedPatient);
    }

    /// @dev A delegate issues the patient's second grant (grantCount non-zero).
    function test_Gas_Grant_ByDelegate() public {
        _grant(delegate, patient);
        vm.snapshotGasLastCall(GROUP, "grant.byDelegate");
    }

    function test_Gas_Grant_ViaForwarder() public {
        relay(
            forwarder,
            relayer,
            relayedPatientKey,
            address(consent),
            abi.encodeCall(IConsentRegistry.grant, (relayedPatient, provider, GRANT_CATEGORIES, GRANT_PURPOSES, GRANT_NOT_BEFORE, GRANT_EXPIRES_AT))
        );
        vm.snapshotGasLastCall(GROUP, "grant.viaForwarder");
    }

    /// @dev A licensed clinician opens the registry's third grant (the trust registry's checkRole included).
    function test_Gas_BreakGlass() public {
        vm.prank(clinician);
        consent.breakGlass(patient, GRANT_CATEGORIES, keccak256("break-glass reason"));
        vm.snapshotGasLastCall(GROUP, "breakGlass");
    }

    function test_Gas_BreakGlass_ViaForwarder() public {
        relay(
            forwarder,
            relayer,
            relayedClinicianKey,
            address(consent),
            abi.encodeCall(IConsentRegistry.breakGlass, (relayedPatient, GRANT_CATEGORIES, keccak256("relayed break-glass reason")))
        );
        vm.snapshotGasLastCall(GROUP, "breakGlass.viaForwarder");
    }

    function test_Gas_Revoke() public {
        vm.prank(patient);
        consent.revoke(1);
        vm.snapshotGasLastCall(GROUP, "revoke");
    }

    function test_Gas_Revoke_ByDelegate() public {
        vm.prank(delegate);
        consent.revoke(1);
        vm.snapshotGasLastCall(GROUP, "revoke.byDelegate");
    }

    /// @dev A relayed delegate revokes the relayed patient's grant.
    function test_Gas_Revoke_ViaForwarder() public {
        relay(forwarder, relayer, relayedDelegateKey, address(consent), abi.encodeCall(IConsentRegistry.revoke, (2)));
        vm.snapshotGasLastCall(GROUP, "revoke.viaForwarder");
        assertTrue(consent.getGrant(2).revoked);
    }

    /// @dev The patient withdraws its delegate (true -> false).
    function test_Gas_SetDelegate_Withdraw() public {
        vm.prank(patient);
        consent.setDelegate(delegate, false);
        vm.snapshotGasLastCall(GROUP, "setDelegate.withdraw");
    }
}
