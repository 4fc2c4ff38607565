// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {ITrustRegistry} from "../../../contracts/identity/ITrustRegistry.sol";
import {TrustRegistry} from "../../../contracts/identity/TrustRegistry.sol";
import {Test} from "../utils/Test.sol";
import {ForwarderSigner} from "../utils/ForwarderSigner.sol";

/// @notice Gas snapshots of TrustRegistry (group "TrustRegistry", snapshots/TrustRegistry.json; its
///         `deploy.governance` entry is measured by MedchainGovernor.gas.t.sol). Every test is its own transaction
///         on the state its contract's setUp left.
abstract contract TrustRegistryGasFixture is Test, ForwarderSigner {
    string internal constant GROUP = "TrustRegistry";
    bytes32 internal constant CLINICIAN_TYPE = keccak256("ClinicianLicenceCredential");
    bytes32 internal constant TRADING_PARTNER_TYPE = keccak256("AuthorizedTradingPartnerCredential");
    uint64 internal constant NOT_BEFORE = 1_700_000_000;
    uint64 internal constant UNTIL = 4_000_000_000;
    uint256 internal constant T0 = 1_800_000_000;

    MedchainForwarder internal forwarder;
    TrustRegistry internal trust;
    address internal governance;
    address internal board;
    address internal gs1;
    address internal clinician;
    address internal joiner;
    address internal relayedClinician;
    uint256 internal relayedClinicianKey;
    address internal relayer;

    function setUp() public virtual {
        vm.warp(T0);
        governance = makeAddr("governance");
        board = makeAddr("board");
        gs1 = makeAddr("gs1");
        clinician = makeAddr("clinician");
        joiner = makeAddr("joiner");
        (relayedClinician, relayedClinicianKey) = makeAddrAndKey("relayed consent clinician");
        relayer = makeAddr("relayer");
        forwarder = new MedchainForwarder();
        trust = new TrustRegistry(address(forwarder), governance);
    }

    function _register(string memory label, address subject) internal {
        vm.prank(board);
        trust.registerCredential(keccak256(bytes(label)), CLINICIAN_TYPE, subject, NOT_BEFORE, UNTIL);
    }
}

contract TrustRegistryGasTest is TrustRegistryGasFixture {
    function test_Gas_Deploy() public {
        vm.startSnapshotGas(GROUP, "deploy");
        new TrustRegistry(address(forwarder), governance);
        vm.stopSnapshotGas();
    }

    /// @dev Governance accredits a medical board (the registry's first accreditation).
    function test_Gas_Accredit() public {
        vm.prank(governance);
        trust.accredit(board, CLINICIAN_TYPE);
        vm.snapshotGasLastCall(GROUP, "accredit");
    }
}

/// @dev The board accredited for clinician licences, a GS1 issuer for trading-partner credentials.
abstract contract TrustRegistryAccreditedGasFixture is TrustRegistryGasFixture {
    function setUp() public virtual override {
        super.setUp();
        vm.startPrank(governance);
        trust.accredit(board, CLINICIAN_TYPE);
        trust.accredit(gs1, TRADING_PARTNER_TYPE);
        vm.stopPrank();
    }
}

contract TrustRegistryAccreditedGasTest is TrustRegistryAccreditedGasFixture {
    /// @dev The board registers a clinician's licence (its first credential).
    function test_Gas_RegisterCredential() public {
        _register("licence 1", clinician);
        vm.snapshotGasLastCall(GROUP, "registerCredential");
    }

    /// @dev A GS1 issuer registers a trading-partner credential with its claims digest.
    function test_Gas_RegisterCredentialWithClaims() public {
        vm.prank(gs1);
        trust.registerCredentialWithClaims(
            keccak256("trading partner credential 1"), TRADING_PARTNER_TYPE, joiner, 0, UNTIL, keccak256(abi.encode(uint8(3), uint64(614141000067), "0614199"))
        );
        vm.snapshotGasLastCall(GROUP, "registerCredentialWithClaims");
    }
}

/// @dev Licences 1 (clinician) and 2 (relayed clinician) registered, neither claimed yet.
contract TrustRegistryCredentialedGasTest is TrustRegistryAccreditedGasFixture {
    function setUp() public override {
        super.setUp();
        _register("licence 1", clinician);
        _register("licence 2", relayedClinician);
    }

    /// @dev The board registers a further licence (not its first credential).
    function test_Gas_RegisterCredential_Second() public {
        _register("licence 3", relayer);
        vm.snapshotGasLastCall(GROUP, "registerCredential.second");
    }

    /// @dev The clinician claims the clinician role with its licence.
    function test_Gas_ClaimRole() public {
        vm.prank(clinician);
        trust.claimRole(keccak256("licence 1"));
        vm.snapshotGasLastCall(GROUP, "claimRole");
    }

    function test_Gas_ClaimRole_ViaForwarder() public {
        relay(forwarder, relayer, relayedClinicianKey, address(trust), abi.encodeCall(ITrustRegistry.claimRole, (keccak256("licence 2"))));
        vm.snapshotGasLastCall(GROUP, "claimRole.viaForwarder");
    }

    /// @dev The board revokes a licence (false -> true).
    function test_Gas_RevokeCredential() public {
        vm.prank(board);
        trust.revokeCredential(keccak256("licence 1"));
        vm.snapshotGasLastCall(GROUP, "revokeCredential");
    }

    /// @dev Governance withdraws the board's accreditation.
    function test_Gas_Deaccredit() public {
        vm.prank(governance);
        trust.deaccredit(board, CLINICIAN_TYPE);
        vm.snapshotGasLastCall(GROUP, "deaccredit");
    }
}
