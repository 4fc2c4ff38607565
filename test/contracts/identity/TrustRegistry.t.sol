// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {ITrustRegistry} from "../../../contracts/identity/ITrustRegistry.sol";
import {TrustRegistry} from "../../../contracts/identity/TrustRegistry.sol";
import {Test} from "../utils/Test.sol";
import {ForwarderSigner} from "../utils/ForwarderSigner.sol";

abstract contract TrustRegistryFixture is Test, ForwarderSigner {
    MedchainForwarder internal forwarder;
    TrustRegistry internal registry;

    /// @dev `governance` plays the consortium's timelock; `board` a medical board, `gs1` a GS1 member organisation.
    address internal governance;
    address internal board;
    uint256 internal boardKey;
    address internal gs1;
    address internal clinician;
    uint256 internal clinicianKey;
    address internal stranger;
    uint256 internal strangerKey;
    address internal relayer;

    bytes32 internal constant GOVERNANCE_ROLE = keccak256("GOVERNANCE_ROLE");
    bytes32 internal constant CLINICIAN = keccak256("ClinicianLicenceCredential");
    bytes32 internal constant PARTNER = keccak256("AuthorizedTradingPartnerCredential");
    bytes32 internal constant LICENCE = keccak256("urn:uuid:2f1c3a52-licence");
    uint256 internal constant T0 = 1_800_000_000;
    uint64 internal constant FROM = uint64(T0 - 1 days);
    uint64 internal constant UNTIL = uint64(T0 + 365 days);

    function setUp() public virtual {
        vm.warp(T0);
        governance = makeAddr("governance");
        (board, boardKey) = makeAddrAndKey("board");
        gs1 = makeAddr("gs1");
        (clinician, clinicianKey) = makeAddrAndKey("clinician");
        (stranger, strangerKey) = makeAddrAndKey("stranger");
        relayer = makeAddr("relayer");
        forwarder = new MedchainForwarder();
        registry = new TrustRegistry(address(forwarder), governance);
        vm.prank(governance);
        registry.accredit(board, CLINICIAN);
    }

    function _register(bytes32 id, address subject) internal {
        vm.prank(board);
        registry.registerCredential(id, CLINICIAN, subject, FROM, UNTIL);
    }

    function _claim(address account, bytes32 id) internal {
        vm.prank(account);
        registry.claimRole(id);
    }

    function _err(bytes4 selector, bytes32 id) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(selector, id);
    }

    function _unauthorized(address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, account, GOVERNANCE_ROLE);
    }
}

contract TrustRegistryTest is TrustRegistryFixture {
    // ------------------------------------------------------------------------------------ deployment

    function test_Deployment_GivesGovernanceItsRoles() public view {
        assertEq(registry.GOVERNANCE_ROLE(), GOVERNANCE_ROLE);
        assertTrue(registry.hasRole(GOVERNANCE_ROLE, governance));
        assertTrue(registry.hasRole(0x00, governance));
        assertFalse(registry.hasRole(GOVERNANCE_ROLE, address(this)));
        assertTrue(registry.isTrustedForwarder(address(forwarder)));
        assertTrue(registry.supportsInterface(type(ITrustRegistry).interfaceId));
        assertTrue(registry.supportsInterface(type(IAccessControl).interfaceId));
        assertTrue(registry.supportsInterface(type(IERC165).interfaceId));
        assertFalse(registry.supportsInterface(0xffffffff));
    }

    function test_RevertWhen_DeployingWithZeroGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustZeroAddress.selector));
        new TrustRegistry(address(forwarder), address(0));
    }

    // -------------------------------------------------------------------------------- accreditation

    function test_Accredit_OpensAFreshEpoch() public {
        (uint32 epoch, uint64 since) = registry.accreditation(board, CLINICIAN);
        assertEq(uint256(epoch), 1);
        assertEq(uint256(since), T0);
        vm.warp(T0 + 10);
        vm.expectEmit(address(registry));
        emit ITrustRegistry.IssuerAccredited(gs1, PARTNER, 2);
        vm.prank(governance);
        registry.accredit(gs1, PARTNER);
        assertTrue(registry.isAccredited(gs1, PARTNER));
        assertFalse(registry.isAccredited(gs1, CLINICIAN), "per type");
        (epoch, since) = registry.accreditation(gs1, PARTNER);
        assertEq(uint256(epoch), 2);
        assertEq(uint256(since), T0 + 10);
    }

    function test_RevertWhen_NonGovernanceAccredits() public {
        vm.expectRevert(_unauthorized(board));
        vm.prank(board);
        registry.accredit(stranger, CLINICIAN);
        vm.expectRevert(_unauthorized(stranger));
        vm.prank(stranger);
        registry.accredit(stranger, CLINICIAN);
        assertFalse(registry.isAccredited(stranger, CLINICIAN));
    }

    function test_RevertWhen_NonGovernanceDeaccredits() public {
        vm.expectRevert(_unauthorized(board));
        vm.prank(board);
        registry.deaccredit(board, CLINICIAN);
        assertTrue(registry.isAccredited(board, CLINICIAN));
    }

    function test_RevertWhen_AccreditingTwiceOrInvalid() public {
        vm.startPrank(governance);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustAlreadyAccredited.selector, board, CLINICIAN));
        registry.accredit(board, CLINICIAN);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustZeroAddress.selector));
        registry.accredit(address(0), CLINICIAN);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustInvalidType.selector));
        registry.accredit(gs1, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustIssuerNotAccredited.selector, gs1, PARTNER));
        registry.deaccredit(gs1, PARTNER);
        vm.stopPrank();
    }

    function test_Deaccredit_EmitsAndClears() public {
        vm.expectEmit(address(registry));
        emit ITrustRegistry.IssuerDeaccredited(board, CLINICIAN, 1);
        vm.prank(governance);
        registry.deaccredit(board, CLINICIAN);
        assertFalse(registry.isAccredited(board, CLINICIAN));
        (uint32 epoch, uint64 since) = registry.accreditation(board, CLINICIAN);
        assertEq(uint256(epoch), 0);
        assertEq(uint256(since), 0);
    }

    // ---------------------------------------------------------------------------------- credentials

    function test_RegisterCredential_StoresAndEmits() public {
        vm.expectEmit(address(registry));
        emit ITrustRegistry.CredentialRegistered(LICENCE, CLINICIAN, board, clinician, FROM, UNTIL, 1);
        _register(LICENCE, clinician);
        ITrustRegistry.Credential memory c = registry.getCredential(LICENCE);
        assertEq(c.typeId, CLINICIAN);
        assertEq(c.issuer, board);
        assertEq(c.subject, clinician);
        assertEq(uint256(c.validFrom), FROM);
        assertEq(uint256(c.validUntil), UNTIL);
        assertEq(uint256(c.accreditationEpoch), 1);
        assertFalse(c.revoked);
        assertEq(uint256(registry.credentialStatus(LICENCE)), uint256(ITrustRegistry.CredentialStatus.Valid));
        assertFalse(registry.isRevoked(LICENCE));
    }

    function test_RevertWhen_NonAccreditedIssuerRegisters() public {
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustIssuerNotAccredited.selector, stranger, CLINICIAN));
        vm.prank(stranger);
        registry.registerCredential(LICENCE, CLINICIAN, clinician, FROM, UNTIL);
        // accredited for one type is not accredited for another
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustIssuerNotAccredited.selector, board, PARTNER));
        vm.prank(board);
        registry.registerCredential(LICENCE, PARTNER, clinician, FROM, UNTIL);
        assertEq(uint256(registry.credentialStatus(LICENCE)), uint256(ITrustRegistry.CredentialStatus.Unknown));
    }

    function test_RevertWhen_DeaccreditedIssuerRegisters() public {
        vm.prank(governance);
        registry.deaccredit(board, CLINICIAN);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustIssuerNotAccredited.selector, board, CLINICIAN));
        _register(LICENCE, clinician);
    }

    function test_RevertWhen_RegisteringInvalidCredentials() public {
        vm.startPrank(board);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustInvalidCredentialId.selector));
        registry.registerCredential(bytes32(0), CLINICIAN, clinician, FROM, UNTIL);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustZeroAddress.selector));
        registry.registerCredential(LICENCE, CLINICIAN, address(0), FROM, UNTIL);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustInvalidValidity.selector, UNTIL, UNTIL));
        registry.registerCredential(LICENCE, CLINICIAN, clinician, UNTIL, UNTIL);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustInvalidValidity.selector, FROM, uint64(T0)));
        registry.registerCredential(LICENCE, CLINICIAN, clinician, FROM, uint64(T0));
        registry.registerCredential(LICENCE, CLINICIAN, clinician, FROM, uint64(T0 + 1)); // shortest valid
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustCredentialExists.selector, LICENCE));
        registry.registerCredential(LICENCE, CLINICIAN, stranger, FROM, UNTIL);
        vm.stopPrank();
    }

    function test_RevokeCredential_ByIssuerOrGovernance() public {
        bytes32 other = keccak256("other");
        _register(LICENCE, clinician);
        _register(other, clinician);
        vm.expectEmit(address(registry));
        emit ITrustRegistry.CredentialRevoked(LICENCE, board);
        vm.prank(board);
        registry.revokeCredential(LICENCE);
        vm.expectEmit(address(registry));
        emit ITrustRegistry.CredentialRevoked(other, governance);
        vm.prank(governance);
        registry.revokeCredential(other);
        assertTrue(registry.isRevoked(LICENCE));
        assertTrue(registry.isRevoked(other));
        assertEq(uint256(registry.credentialStatus(LICENCE)), uint256(ITrustRegistry.CredentialStatus.Revoked));
    }

    function test_RevertWhen_OthersRevoke() public {
        _register(LICENCE, clinician);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustNotIssuer.selector, LICENCE, clinician));
        vm.prank(clinician);
        registry.revokeCredential(LICENCE);
        vm.prank(governance);
        registry.accredit(gs1, CLINICIAN);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustNotIssuer.selector, LICENCE, gs1));
        vm.prank(gs1);
        registry.revokeCredential(LICENCE);
        vm.expectRevert(_err(ITrustRegistry.TrustUnknownCredential.selector, keccak256("nope")));
        vm.prank(board);
        registry.revokeCredential(keccak256("nope"));
        vm.prank(board);
        registry.revokeCredential(LICENCE);
        vm.expectRevert(_err(ITrustRegistry.TrustAlreadyRevoked.selector, LICENCE));
        vm.prank(board);
        registry.revokeCredential(LICENCE);
    }

    function test_RevokeCredential_StillByDeaccreditedIssuer() public {
        _register(LICENCE, clinician);
        vm.prank(governance);
        registry.deaccredit(board, CLINICIAN);
        vm.prank(board);
        registry.revokeCredential(LICENCE);
        assertTrue(registry.isRevoked(LICENCE));
    }

    // ---------------------------------------------------------------------------------------- roles

    function test_ClaimRole_GivesTheRoleWhileValid() public {
        _register(LICENCE, clinician);
        assertFalse(registry.hasValidRole(CLINICIAN, clinician));
        vm.expectEmit(address(registry));
        emit ITrustRegistry.RoleClaimed(clinician, CLINICIAN, LICENCE);
        _claim(clinician, LICENCE);
        assertTrue(registry.hasValidRole(CLINICIAN, clinician));
        assertEq(registry.checkRole(CLINICIAN, clinician), LICENCE);
        assertEq(registry.roleCredential(CLINICIAN, clinician), LICENCE);
        assertFalse(registry.hasValidRole(PARTNER, clinician), "per type");
    }

    function test_RevertWhen_NonSubjectClaims() public {
        _register(LICENCE, clinician);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustNotSubject.selector, LICENCE, stranger));
        _claim(stranger, LICENCE);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustNotSubject.selector, LICENCE, board));
        _claim(board, LICENCE);
        vm.expectRevert(_err(ITrustRegistry.TrustUnknownCredential.selector, keccak256("nope")));
        _claim(clinician, keccak256("nope"));
    }

    function test_CheckRole_RevertsWithTheReason() public {
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustRoleMissing.selector, clinician, CLINICIAN));
        registry.checkRole(CLINICIAN, clinician);
        _register(LICENCE, clinician);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustRoleMissing.selector, clinician, CLINICIAN));
        registry.checkRole(CLINICIAN, clinician); // registered, not claimed
        _claim(clinician, LICENCE);
        vm.prank(board);
        registry.revokeCredential(LICENCE);
        assertFalse(registry.hasValidRole(CLINICIAN, clinician));
        vm.expectRevert(_err(ITrustRegistry.TrustCredentialRevoked.selector, LICENCE));
        registry.checkRole(CLINICIAN, clinician);
    }

    function test_Role_EndsWhenTheCredentialExpires() public {
        _register(LICENCE, clinician);
        _claim(clinician, LICENCE);
        vm.warp(UNTIL - 1);
        assertTrue(registry.hasValidRole(CLINICIAN, clinician));
        vm.warp(UNTIL);
        assertFalse(registry.hasValidRole(CLINICIAN, clinician));
        vm.expectRevert(_err(ITrustRegistry.TrustCredentialExpired.selector, LICENCE));
        registry.checkRole(CLINICIAN, clinician);
        assertEq(uint256(registry.credentialStatus(LICENCE)), uint256(ITrustRegistry.CredentialStatus.Expired));
    }

    function test_Role_NotBeforeValidFrom() public {
        vm.prank(board);
        registry.registerCredential(LICENCE, CLINICIAN, clinician, uint64(T0 + 1 days), UNTIL);
        vm.expectRevert(_err(ITrustRegistry.TrustCredentialNotYetValid.selector, LICENCE));
        _claim(clinician, LICENCE);
        assertEq(uint256(registry.credentialStatus(LICENCE)), uint256(ITrustRegistry.CredentialStatus.NotYetValid));
        vm.warp(T0 + 1 days);
        _claim(clinician, LICENCE);
        assertTrue(registry.hasValidRole(CLINICIAN, clinician));
    }

    function test_Role_EndsWithDeaccreditationAndDoesNotReturn() public {
        _register(LICENCE, clinician);
        _claim(clinician, LICENCE);
        vm.prank(governance);
        registry.deaccredit(board, CLINICIAN);
        assertFalse(registry.hasValidRole(CLINICIAN, clinician));
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustIssuerDeaccredited.selector, board, CLINICIAN));
        registry.checkRole(CLINICIAN, clinician);
        vm.prank(governance);
        registry.accredit(board, CLINICIAN);
        assertFalse(registry.hasValidRole(CLINICIAN, clinician), "a new accreditation does not revive old credentials");
        assertEq(
            uint256(registry.credentialStatus(LICENCE)), uint256(ITrustRegistry.CredentialStatus.IssuerDeaccredited)
        );
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustIssuerDeaccredited.selector, board, CLINICIAN));
        _claim(clinician, LICENCE);
        bytes32 renewed = keccak256("renewed");
        _register(renewed, clinician);
        _claim(clinician, renewed);
        assertEq(registry.checkRole(CLINICIAN, clinician), renewed);
    }

    function test_RevertWhen_ClaimingWithRevokedOrExpired() public {
        _register(LICENCE, clinician);
        vm.prank(board);
        registry.revokeCredential(LICENCE);
        vm.expectRevert(_err(ITrustRegistry.TrustCredentialRevoked.selector, LICENCE));
        _claim(clinician, LICENCE);
        bytes32 short = keccak256("short");
        vm.prank(board);
        registry.registerCredential(short, CLINICIAN, clinician, FROM, uint64(T0 + 1));
        vm.warp(T0 + 1);
        vm.expectRevert(_err(ITrustRegistry.TrustCredentialExpired.selector, short));
        _claim(clinician, short);
        assertEq(registry.roleCredential(CLINICIAN, clinician), bytes32(0));
    }

    function test_ClaimRole_ReplacesTheEarlierCredential() public {
        bytes32 second = keccak256("second");
        _register(LICENCE, clinician);
        _register(second, clinician);
        _claim(clinician, LICENCE);
        _claim(clinician, second);
        vm.prank(board);
        registry.revokeCredential(LICENCE);
        assertTrue(registry.hasValidRole(CLINICIAN, clinician), "the role rests on the second licence");
        vm.prank(board);
        registry.revokeCredential(second);
        assertFalse(registry.hasValidRole(CLINICIAN, clinician));
    }

    function test_RevertWhen_GettingUnknownCredential() public {
        vm.expectRevert(_err(ITrustRegistry.TrustUnknownCredential.selector, LICENCE));
        registry.getCredential(LICENCE);
        assertFalse(registry.isRevoked(LICENCE));
    }

    // --------------------------------------------------------------------------------- relayed calls

    function test_Relayed_IssuerRegistersAndHolderClaims() public {
        vm.prank(relayer);
        forwarder.execute(
            signedRequest(
                forwarder,
                boardKey,
                address(registry),
                abi.encodeCall(ITrustRegistry.registerCredential, (LICENCE, CLINICIAN, clinician, FROM, UNTIL))
            )
        );
        assertEq(registry.getCredential(LICENCE).issuer, board);
        vm.prank(relayer);
        forwarder.execute(signedRequest(forwarder, clinicianKey, address(registry), abi.encodeCall(ITrustRegistry.claimRole, (LICENCE))));
        assertTrue(registry.hasValidRole(CLINICIAN, clinician));
        vm.prank(relayer);
        forwarder.execute(signedRequest(forwarder, boardKey, address(registry), abi.encodeCall(ITrustRegistry.revokeCredential, (LICENCE))));
        assertFalse(registry.hasValidRole(CLINICIAN, clinician));
    }

    function test_Relayed_StrangerCannotRegisterOrClaim() public {
        ERC2771Forwarder.ForwardRequestData memory request = signedRequest(
            forwarder,
            strangerKey,
            address(registry),
            abi.encodeCall(ITrustRegistry.registerCredential, (LICENCE, CLINICIAN, stranger, FROM, UNTIL))
        );
        vm.expectRevert();
        vm.prank(relayer);
        forwarder.execute(request);
        _register(LICENCE, clinician);
        request = signedRequest(forwarder, strangerKey, address(registry), abi.encodeCall(ITrustRegistry.claimRole, (LICENCE)));
        vm.expectRevert();
        vm.prank(relayer);
        forwarder.execute(request);
        assertFalse(registry.hasValidRole(CLINICIAN, stranger));
    }

    function test_DirectCallWithSpoofedSuffixActsAsTheCaller() public {
        _register(LICENCE, clinician);
        bytes memory spoofed = abi.encodePacked(abi.encodeCall(ITrustRegistry.claimRole, (LICENCE)), clinician);
        vm.prank(stranger);
        (bool ok, bytes memory reason) = address(registry).call(spoofed);
        assertFalse(ok);
        assertEq(reason, abi.encodeWithSelector(ITrustRegistry.TrustNotSubject.selector, LICENCE, stranger));
    }

    /// Three storage slots per credential: typeId; issuer, validFrom, epoch; subject, validUntil, revoked.
    function test_Storage_CredentialPacksIntoThreeSlots() public {
        _register(LICENCE, clinician);
        // AccessControl's `_roles` is slot 0, then `_accreditations` (1), `_credentials` (2)
        uint256 base = uint256(keccak256(abi.encode(LICENCE, uint256(2))));
        assertEq(vm.load(address(registry), bytes32(base)), CLINICIAN);
        assertEq(
            vm.load(address(registry), bytes32(base + 1)),
            bytes32((uint256(1) << 224) | (uint256(FROM) << 160) | uint256(uint160(board)))
        );
        assertEq(
            vm.load(address(registry), bytes32(base + 2)),
            bytes32((uint256(UNTIL) << 160) | uint256(uint160(clinician)))
        );
        assertEq(vm.load(address(registry), bytes32(base + 3)), bytes32(0));
    }
}

contract TrustRegistryFuzzTest is TrustRegistryFixture {
    /// The role holds exactly while the credential is unrevoked, within its period and its issuer's accreditation
    /// is the one it was registered under; checkRole names the first failing condition.
    function testFuzz_RoleMatchesTheRule(
        uint64 validFrom,
        uint64 validUntil,
        uint256 checkAt,
        bool revoke,
        uint8 accreditationChange
    ) public {
        validUntil = uint64(bound(validUntil, T0 + 1, type(uint64).max));
        validFrom = uint64(bound(validFrom, 0, validUntil - 1));
        vm.prank(board);
        registry.registerCredential(LICENCE, CLINICIAN, clinician, validFrom, validUntil);
        bool claimed = validFrom <= T0;
        if (claimed) _claim(clinician, LICENCE);
        if (revoke) {
            vm.prank(board);
            registry.revokeCredential(LICENCE);
        }
        // 0: unchanged, 1: de-accredited, 2: de-accredited and accredited again
        uint8 change = accreditationChange % 3;
        if (change >= 1) {
            vm.prank(governance);
            registry.deaccredit(board, CLINICIAN);
        }
        if (change == 2) {
            vm.prank(governance);
            registry.accredit(board, CLINICIAN);
        }
        checkAt = bound(checkAt, T0, type(uint64).max);
        vm.warp(checkAt);

        bytes memory expected;
        if (!claimed) {
            expected = abi.encodeWithSelector(ITrustRegistry.TrustRoleMissing.selector, clinician, CLINICIAN);
        } else if (revoke) {
            expected = _err(ITrustRegistry.TrustCredentialRevoked.selector, LICENCE);
        } else if (checkAt < validFrom) {
            expected = _err(ITrustRegistry.TrustCredentialNotYetValid.selector, LICENCE);
        } else if (checkAt >= validUntil) {
            expected = _err(ITrustRegistry.TrustCredentialExpired.selector, LICENCE);
        } else if (change != 0) {
            expected = abi.encodeWithSelector(ITrustRegistry.TrustIssuerDeaccredited.selector, board, CLINICIAN);
        }
        assertEq(registry.hasValidRole(CLINICIAN, clinician), expected.length == 0, "hasValidRole");
        if (expected.length != 0) vm.expectRevert(expected);
        registry.checkRole(CLINICIAN, clinician);
    }

    /// Registration is refused exactly for the invalid inputs, with the documented error, and stores nothing then.
    function testFuzz_RegisterValidatesItsInput(bytes32 id, address subject, uint64 validFrom, uint64 validUntil, bool accredited)
        public
    {
        address issuer = accredited ? board : stranger;
        bytes memory expected;
        if (!accredited) {
            expected = abi.encodeWithSelector(ITrustRegistry.TrustIssuerNotAccredited.selector, stranger, CLINICIAN);
        } else if (id == bytes32(0)) {
            expected = abi.encodeWithSelector(ITrustRegistry.TrustInvalidCredentialId.selector);
        } else if (subject == address(0)) {
            expected = abi.encodeWithSelector(ITrustRegistry.TrustZeroAddress.selector);
        } else if (validFrom >= validUntil || validUntil <= T0) {
            expected = abi.encodeWithSelector(ITrustRegistry.TrustInvalidValidity.selector, validFrom, validUntil);
        }
        if (expected.length != 0) vm.expectRevert(expected);
        vm.prank(issuer);
        registry.registerCredential(id, CLINICIAN, subject, validFrom, validUntil);
        if (expected.length != 0) {
            assertEq(uint256(registry.credentialStatus(id)), uint256(ITrustRegistry.CredentialStatus.Unknown));
        } else {
            assertEq(registry.getCredential(id).subject, subject);
        }
    }

    /// Only governance changes accreditations, whoever else tries.
    function testFuzz_OnlyGovernanceAccredits(address caller, address issuer) public {
        vm.assume(caller != governance && caller != address(forwarder) && issuer != address(0));
        vm.expectRevert(_unauthorized(caller));
        vm.prank(caller);
        registry.accredit(issuer, PARTNER);
        vm.expectRevert(_unauthorized(caller));
        vm.prank(caller);
        registry.deaccredit(board, CLINICIAN);
        assertTrue(registry.isAccredited(board, CLINICIAN));
    }
}
