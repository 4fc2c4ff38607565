// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {IConsentRegistry} from "../../../contracts/consent/IConsentRegistry.sol";
import {ConsentRegistry} from "../../../contracts/consent/ConsentRegistry.sol";
import {ITrustRegistry} from "../../../contracts/identity/ITrustRegistry.sol";
import {TrustRegistry} from "../../../contracts/identity/TrustRegistry.sol";
import {Test, Vm} from "../utils/Test.sol";
import {ForwarderSigner} from "../utils/ForwarderSigner.sol";

/// @notice Reference model of the consent rules, written independently of the contract.
library ConsentModel {
    uint32 internal constant VALID_BITS = 0x7FF; // bits 0..10 of both masks
    uint32 internal constant TREAT = 1 << 0;
    uint32 internal constant ETREAT = 1 << 1;
    uint32 internal constant HPAYMT = 1 << 2;
    uint32 internal constant HRESCH = 1 << 4;
    uint32 internal constant CAREMGT = 1 << 8;
    uint32 internal constant COVERAGE = 1 << 10;

    function isValidMask(uint32 mask) internal pure returns (bool) {
        return mask != 0 && mask <= VALID_BITS;
    }

    function isSingleBit(uint32 x) internal pure returns (bool) {
        for (uint32 i = 0; i < 32; ++i) {
            if (x == uint32(1) << i) return true;
        }
        return false;
    }

    /// @dev Whether `g` authorizes (`grantee`, `categories`, `purpose`) at time `now_`.
    function authorizes(
        IConsentRegistry.Grant memory g,
        bool exists,
        uint256 now_,
        address grantee,
        uint32 categories,
        uint32 purpose
    ) internal pure returns (bool) {
        if (!exists || g.revoked) return false;
        if (now_ < g.notBefore || now_ >= g.expiresAt) return false;
        if (grantee != g.grantee) return false;
        if (categories == 0 || (categories | g.categories) != g.categories) return false;
        return isSingleBit(purpose) && (purpose | g.purposes) == g.purposes;
    }
}

abstract contract ConsentRegistryFixture is Test, ForwarderSigner {
    MedchainForwarder internal forwarder;
    ConsentRegistry internal registry;
    TrustRegistry internal trust;

    /// @dev The consortium's governance (the timelock, here a plain account) and an accredited medical board.
    address internal admin;
    uint256 internal adminKey;
    address internal board;
    address internal patient;
    uint256 internal patientKey;
    address internal delegate;
    uint256 internal delegateKey;
    address internal provider;
    uint256 internal providerKey;
    address internal clinician;
    uint256 internal clinicianKey;
    address internal stranger;
    uint256 internal strangerKey;
    address internal relayer;

    bytes32 internal constant CLINICIAN_TYPE = keccak256("ClinicianLicenceCredential");
    bytes32 internal constant LICENCE = keccak256("urn:uuid:licence-of-the-clinician");
    /// @dev demographics, clinical, observations, medications, immunizations, allergies.
    uint32 internal constant CAP = (1 << 0) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6);
    uint64 internal constant DURATION = 4 hours;
    uint32 internal constant CATEGORIES = (1 << 3) | (1 << 4); // observations | medications
    uint32 internal constant PURPOSES = ConsentModel.TREAT | ConsentModel.CAREMGT;
    uint256 internal constant T0 = 1_800_000_000;
    uint64 internal constant NOT_BEFORE = uint64(T0);
    uint64 internal constant EXPIRES_AT = uint64(T0 + 30 days);
    bytes32 internal constant REASON = keccak256("unconscious on arrival, suspected anaphylaxis");

    function setUp() public virtual {
        vm.warp(T0);
        (admin, adminKey) = makeAddrAndKey("admin");
        (patient, patientKey) = makeAddrAndKey("patient");
        (delegate, delegateKey) = makeAddrAndKey("delegate");
        (provider, providerKey) = makeAddrAndKey("provider");
        (clinician, clinicianKey) = makeAddrAndKey("clinician");
        (stranger, strangerKey) = makeAddrAndKey("stranger");
        relayer = makeAddr("relayer");
        board = makeAddr("board");
        forwarder = new MedchainForwarder();
        trust = new TrustRegistry(address(forwarder), admin);
        registry = new ConsentRegistry(address(forwarder), address(trust), CAP, DURATION);
        vm.prank(admin);
        trust.accredit(board, CLINICIAN_TYPE);
        _licence(LICENCE, clinician, type(uint64).max);
    }

    /// @dev The board registers a clinician licence for `subject`, who claims the clinician role with it.
    function _licence(bytes32 id, address subject, uint64 validUntil) internal {
        vm.prank(board);
        trust.registerCredential(id, CLINICIAN_TYPE, subject, 0, validUntil);
        vm.prank(subject);
        trust.claimRole(id);
    }

    function _roleMissing(address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITrustRegistry.TrustRoleMissing.selector, account, CLINICIAN_TYPE);
    }

    function _grant(address caller, address patient_, address grantee) internal returns (uint256) {
        vm.prank(caller);
        return registry.grant(patient_, grantee, CATEGORIES, PURPOSES, NOT_BEFORE, EXPIRES_AT);
    }

    function _setDelegate(address patient_, address delegate_, bool allowed) internal {
        vm.prank(patient_);
        registry.setDelegate(delegate_, allowed);
    }

    function _breakGlass(address caller, address patient_, uint32 categories) internal returns (uint256) {
        vm.prank(caller);
        return registry.breakGlass(patient_, categories, REASON);
    }

    function _grantCall(address patient_, address grantee) internal pure returns (bytes memory) {
        return abi.encodeCall(IConsentRegistry.grant, (patient_, grantee, CATEGORIES, PURPOSES, NOT_BEFORE, EXPIRES_AT));
    }

    function _notPatientOrDelegate(address patient_, address caller) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IConsentRegistry.ConsentNotPatientOrDelegate.selector, patient_, caller);
    }

    function _valid(uint256 grantId, address grantee, uint32 categories, uint32 purpose) internal view returns (bool) {
        return registry.isGrantValid(grantId, grantee, categories, purpose);
    }
}

contract ConsentRegistryTest is ConsentRegistryFixture {
    // ------------------------------------------------------------------------------------ deployment

    function test_Deployment_SetsConfigAndTrustRegistry() public view {
        assertTrue(registry.isTrustedForwarder(address(forwarder)));
        assertEq(registry.trustedForwarder(), address(forwarder));
        assertEq(registry.CLINICIAN_CREDENTIAL_TYPE(), CLINICIAN_TYPE);
        assertEq(uint256(registry.MAX_BREAK_GLASS_DURATION()), 7 days);
        assertEq(registry.trustRegistry(), address(trust));
        assertTrue(trust.hasValidRole(CLINICIAN_TYPE, clinician));
        assertEq(uint256(registry.breakGlassMaxCategories()), CAP);
        assertEq(uint256(registry.breakGlassDuration()), DURATION);
        assertEq(registry.grantCount(), 0);
    }

    function test_SupportsInterfaces() public view {
        assertTrue(registry.supportsInterface(type(IConsentRegistry).interfaceId));
        assertTrue(registry.supportsInterface(type(IERC165).interfaceId));
        assertFalse(registry.supportsInterface(0xffffffff));
    }

    function test_RevertWhen_DeployingWithZeroTrustRegistry() public {
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentZeroTrustRegistry.selector));
        new ConsentRegistry(address(forwarder), address(0), CAP, DURATION);
    }

    function test_RevertWhen_DeployingWithInvalidBreakGlassConfig() public {
        bytes4 sel = IConsentRegistry.ConsentInvalidBreakGlassConfig.selector;
        vm.expectRevert(abi.encodeWithSelector(sel, uint32(0), DURATION));
        new ConsentRegistry(address(forwarder), address(trust), 0, DURATION);
        vm.expectRevert(abi.encodeWithSelector(sel, uint32(1 << 11), DURATION));
        new ConsentRegistry(address(forwarder), address(trust), 1 << 11, DURATION);
        vm.expectRevert(abi.encodeWithSelector(sel, uint32(0xFFF), DURATION));
        new ConsentRegistry(address(forwarder), address(trust), 0xFFF, DURATION);
        vm.expectRevert(abi.encodeWithSelector(sel, CAP, uint64(0)));
        new ConsentRegistry(address(forwarder), address(trust), CAP, 0);
        vm.expectRevert(abi.encodeWithSelector(sel, CAP, uint64(7 days + 1)));
        new ConsentRegistry(address(forwarder), address(trust), CAP, 7 days + 1);
    }

    function test_Deployment_AcceptsTheBoundaries() public {
        ConsentRegistry wide = new ConsentRegistry(address(0), admin, 0x7FF, 7 days);
        assertEq(uint256(wide.breakGlassMaxCategories()), 0x7FF);
        assertEq(uint256(wide.breakGlassDuration()), 7 days);
        ConsentRegistry narrow = new ConsentRegistry(address(0), admin, 1 << 10, 1);
        assertEq(uint256(narrow.breakGlassMaxCategories()), 1 << 10);
        assertEq(uint256(narrow.breakGlassDuration()), 1);
        assertFalse(narrow.isTrustedForwarder(address(forwarder)));
    }

    // ------------------------------------------------------------------------------------------ grant

    function test_Grant_ByPatientStoresEverythingAndEmits() public {
        vm.expectEmit(address(registry));
        emit IConsentRegistry.GrantIssued(1, patient, provider, CATEGORIES, PURPOSES, NOT_BEFORE, EXPIRES_AT, patient);
        uint256 id = _grant(patient, patient, provider);
        assertEq(id, 1);
        assertEq(registry.grantCount(), 1);

        IConsentRegistry.Grant memory g = registry.getGrant(id);
        assertEq(g.patient, patient);
        assertEq(g.grantee, provider);
        assertEq(uint256(g.categories), CATEGORIES);
        assertEq(uint256(g.purposes), PURPOSES);
        assertEq(uint256(g.notBefore), NOT_BEFORE);
        assertEq(uint256(g.expiresAt), EXPIRES_AT);
        assertFalse(g.revoked);
        assertFalse(g.breakGlass);
        assertTrue(_valid(id, provider, CATEGORIES, ConsentModel.TREAT));
    }

    function test_Grant_IdsAreSequentialAcrossPatientsAndKinds() public {
        assertEq(_grant(patient, patient, provider), 1);
        assertEq(_grant(stranger, stranger, provider), 2);
        assertEq(_breakGlass(clinician, patient, CATEGORIES), 3);
        assertEq(_grant(patient, patient, clinician), 4);
        assertEq(registry.grantCount(), 4);
        assertEq(registry.getGrant(2).patient, stranger);
        assertTrue(registry.getGrant(3).breakGlass);
    }

    function test_Grant_ByDelegateRecordsTheIssuer() public {
        _setDelegate(patient, delegate, true);
        vm.expectEmit(address(registry));
        emit IConsentRegistry.GrantIssued(1, patient, provider, CATEGORIES, PURPOSES, NOT_BEFORE, EXPIRES_AT, delegate);
        uint256 id = _grant(delegate, patient, provider);
        assertEq(registry.getGrant(id).patient, patient);
        assertTrue(_valid(id, provider, CATEGORIES, ConsentModel.CAREMGT));
    }

    function test_Grant_DelegateMayGrantToItself() public {
        _setDelegate(patient, delegate, true);
        uint256 id = _grant(delegate, patient, delegate);
        assertEq(registry.getGrant(id).grantee, delegate);
    }

    function test_Grant_AcceptsEveryValidBitAndTheShortestPeriod() public {
        vm.prank(patient);
        uint256 id = registry.grant(patient, provider, 0x7FF, 0x7FF, 0, uint64(T0 + 1));
        IConsentRegistry.Grant memory g = registry.getGrant(id);
        assertEq(uint256(g.categories), 0x7FF);
        assertEq(uint256(g.purposes), 0x7FF);
        assertEq(uint256(g.notBefore), 0);
        assertTrue(_valid(id, provider, 1 << 10, ConsentModel.COVERAGE));
        vm.warp(T0 + 1);
        assertFalse(_valid(id, provider, 1 << 10, ConsentModel.COVERAGE));
    }

    function test_Grant_FuturePeriodIsPendingUntilNotBefore() public {
        uint64 start = uint64(T0 + 1 days);
        vm.prank(patient);
        uint256 id = registry.grant(patient, provider, CATEGORIES, PURPOSES, start, start + 1 hours);
        assertFalse(_valid(id, provider, CATEGORIES, ConsentModel.TREAT));
        vm.warp(start - 1);
        assertFalse(_valid(id, provider, CATEGORIES, ConsentModel.TREAT));
        vm.warp(start);
        assertTrue(_valid(id, provider, CATEGORIES, ConsentModel.TREAT));
        vm.warp(start + 1 hours - 1);
        assertTrue(_valid(id, provider, CATEGORIES, ConsentModel.TREAT));
        vm.warp(start + 1 hours);
        assertFalse(_valid(id, provider, CATEGORIES, ConsentModel.TREAT));
    }

    function test_RevertWhen_StrangerGrants() public {
        vm.expectRevert(_notPatientOrDelegate(patient, stranger));
        _grant(stranger, patient, stranger);
        assertEq(registry.grantCount(), 0);
    }

    function test_RevertWhen_GranteeGrantsItself() public {
        vm.expectRevert(_notPatientOrDelegate(patient, provider));
        _grant(provider, patient, provider);
    }

    function test_RevertWhen_DelegateOfAnotherPatientGrants() public {
        _setDelegate(stranger, delegate, true);
        vm.expectRevert(_notPatientOrDelegate(patient, delegate));
        _grant(delegate, patient, provider);
    }

    function test_RevertWhen_WithdrawnDelegateGrants() public {
        _setDelegate(patient, delegate, true);
        uint256 id = _grant(delegate, patient, provider);
        _setDelegate(patient, delegate, false);
        vm.expectRevert(_notPatientOrDelegate(patient, delegate));
        _grant(delegate, patient, provider);
        // what the delegate granted while it was one stays until revoked
        assertTrue(_valid(id, provider, CATEGORIES, ConsentModel.TREAT));
    }

    function test_RevertWhen_GrantingForZeroPatient() public {
        vm.expectRevert(_notPatientOrDelegate(address(0), patient));
        _grant(patient, address(0), provider);
    }

    function test_Grant_ChecksTheIssuerFirst() public {
        vm.expectRevert(_notPatientOrDelegate(patient, stranger));
        vm.prank(stranger);
        registry.grant(patient, address(0), 0, 0, 10, 5);
    }

    function test_RevertWhen_GrantingToZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentInvalidGrantee.selector, address(0)));
        _grant(patient, patient, address(0));
    }

    function test_RevertWhen_GrantingToThePatient() public {
        _setDelegate(patient, delegate, true);
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentInvalidGrantee.selector, patient));
        _grant(delegate, patient, patient);
    }

    function test_RevertWhen_GrantingNoCategory() public {
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentInvalidScope.selector, uint32(0)));
        vm.prank(patient);
        registry.grant(patient, provider, 0, PURPOSES, NOT_BEFORE, EXPIRES_AT);
    }

    function test_RevertWhen_GrantingAnUnknownCategory() public {
        uint32 categories = CATEGORIES | (1 << 11);
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentInvalidScope.selector, categories));
        vm.prank(patient);
        registry.grant(patient, provider, categories, PURPOSES, NOT_BEFORE, EXPIRES_AT);

        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentInvalidScope.selector, type(uint32).max));
        vm.prank(patient);
        registry.grant(patient, provider, type(uint32).max, PURPOSES, NOT_BEFORE, EXPIRES_AT);
    }

    function test_RevertWhen_GrantingNoPurpose() public {
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentInvalidPurpose.selector, uint32(0)));
        vm.prank(patient);
        registry.grant(patient, provider, CATEGORIES, 0, NOT_BEFORE, EXPIRES_AT);
    }

    function test_RevertWhen_GrantingAnUnknownPurpose() public {
        uint32 purposes = PURPOSES | (1 << 31);
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentInvalidPurpose.selector, purposes));
        vm.prank(patient);
        registry.grant(patient, provider, CATEGORIES, purposes, NOT_BEFORE, EXPIRES_AT);

        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentInvalidPurpose.selector, uint32(1 << 11)));
        vm.prank(patient);
        registry.grant(patient, provider, CATEGORIES, 1 << 11, NOT_BEFORE, EXPIRES_AT);
    }

    function test_RevertWhen_GrantingAnEmptyPeriod() public {
        bytes4 sel = IConsentRegistry.ConsentInvalidPeriod.selector;
        vm.expectRevert(abi.encodeWithSelector(sel, EXPIRES_AT, EXPIRES_AT));
        vm.prank(patient);
        registry.grant(patient, provider, CATEGORIES, PURPOSES, EXPIRES_AT, EXPIRES_AT);

        vm.expectRevert(abi.encodeWithSelector(sel, EXPIRES_AT + 1, EXPIRES_AT));
        vm.prank(patient);
        registry.grant(patient, provider, CATEGORIES, PURPOSES, EXPIRES_AT + 1, EXPIRES_AT);
    }

    function test_RevertWhen_GrantingAPeriodThatIsOver() public {
        bytes4 sel = IConsentRegistry.ConsentInvalidPeriod.selector;
        vm.expectRevert(abi.encodeWithSelector(sel, uint64(0), uint64(T0)));
        vm.prank(patient);
        registry.grant(patient, provider, CATEGORIES, PURPOSES, 0, uint64(T0));

        vm.expectRevert(abi.encodeWithSelector(sel, uint64(T0 - 10 days), uint64(T0 - 1 days)));
        vm.prank(patient);
        registry.grant(patient, provider, CATEGORIES, PURPOSES, uint64(T0 - 10 days), uint64(T0 - 1 days));
    }

    // ----------------------------------------------------------------------------------------- revoke

    function test_Revoke_ByPatientStopsAuthorizingAtOnceAndEmits() public {
        uint256 id = _grant(patient, patient, provider);
        vm.expectEmit(address(registry));
        emit IConsentRegistry.GrantRevoked(id, patient, patient);
        vm.prank(patient);
        registry.revoke(id);

        assertFalse(_valid(id, provider, CATEGORIES, ConsentModel.TREAT));
        IConsentRegistry.Grant memory g = registry.getGrant(id);
        assertTrue(g.revoked);
        // nothing else changed
        assertEq(g.patient, patient);
        assertEq(g.grantee, provider);
        assertEq(uint256(g.categories), CATEGORIES);
        assertEq(uint256(g.purposes), PURPOSES);
        assertEq(uint256(g.notBefore), NOT_BEFORE);
        assertEq(uint256(g.expiresAt), EXPIRES_AT);
        assertFalse(g.breakGlass);
        assertEq(registry.grantCount(), 1);
    }

    function test_Revoke_ByDelegateRecordsWhoRevoked() public {
        uint256 id = _grant(patient, patient, provider);
        _setDelegate(patient, delegate, true);
        vm.expectEmit(address(registry));
        emit IConsentRegistry.GrantRevoked(id, patient, delegate);
        vm.prank(delegate);
        registry.revoke(id);
        assertTrue(registry.getGrant(id).revoked);
    }

    function test_Revoke_OnlyTouchesThatGrant() public {
        uint256 a = _grant(patient, patient, provider);
        uint256 b = _grant(patient, patient, provider);
        vm.prank(patient);
        registry.revoke(a);
        assertFalse(_valid(a, provider, CATEGORIES, ConsentModel.TREAT));
        assertTrue(_valid(b, provider, CATEGORIES, ConsentModel.TREAT));
    }

    function test_Revoke_ExpiredAndPendingGrants() public {
        uint256 expired = _grant(patient, patient, provider);
        vm.prank(patient);
        uint256 pending = registry.grant(patient, provider, CATEGORIES, PURPOSES, uint64(T0 + 60 days), uint64(T0 + 90 days));
        vm.warp(EXPIRES_AT);
        vm.startPrank(patient);
        registry.revoke(expired);
        registry.revoke(pending);
        vm.stopPrank();
        vm.warp(T0 + 60 days);
        assertFalse(_valid(pending, provider, CATEGORIES, ConsentModel.TREAT));
    }

    function test_RevertWhen_RevokingUnknownGrant() public {
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentUnknownGrant.selector, uint256(0)));
        vm.prank(patient);
        registry.revoke(0);
        _grant(patient, patient, provider);
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentUnknownGrant.selector, uint256(2)));
        vm.prank(patient);
        registry.revoke(2);
    }

    function test_RevertWhen_StrangerRevokes() public {
        uint256 id = _grant(patient, patient, provider);
        vm.expectRevert(_notPatientOrDelegate(patient, stranger));
        vm.prank(stranger);
        registry.revoke(id);
        assertTrue(_valid(id, provider, CATEGORIES, ConsentModel.TREAT));
    }

    function test_RevertWhen_GranteeRevokes() public {
        uint256 id = _grant(patient, patient, provider);
        vm.expectRevert(_notPatientOrDelegate(patient, provider));
        vm.prank(provider);
        registry.revoke(id);
    }

    function test_RevertWhen_WithdrawnDelegateRevokes() public {
        _setDelegate(patient, delegate, true);
        uint256 id = _grant(delegate, patient, provider);
        _setDelegate(patient, delegate, false);
        vm.expectRevert(_notPatientOrDelegate(patient, delegate));
        vm.prank(delegate);
        registry.revoke(id);
    }

    function test_RevertWhen_RevokingTwice() public {
        uint256 id = _grant(patient, patient, provider);
        _setDelegate(patient, delegate, true);
        vm.prank(patient);
        registry.revoke(id);
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentAlreadyRevoked.selector, id));
        vm.prank(delegate);
        registry.revoke(id);
    }

    function test_Revoke_ChecksTheCallerBeforeTheRevokedFlag() public {
        uint256 id = _grant(patient, patient, provider);
        vm.prank(patient);
        registry.revoke(id);
        vm.expectRevert(_notPatientOrDelegate(patient, stranger));
        vm.prank(stranger);
        registry.revoke(id);
    }

    // ------------------------------------------------------------------------------------ setDelegate

    function test_SetDelegate_AllowsWithdrawsAndEmits() public {
        assertFalse(registry.isDelegate(patient, delegate));
        vm.expectEmit(address(registry));
        emit IConsentRegistry.DelegateSet(patient, delegate, true);
        _setDelegate(patient, delegate, true);
        assertTrue(registry.isDelegate(patient, delegate));
        assertFalse(registry.isDelegate(delegate, patient));
        assertFalse(registry.isDelegate(stranger, delegate));

        vm.expectEmit(address(registry));
        emit IConsentRegistry.DelegateSet(patient, delegate, false);
        _setDelegate(patient, delegate, false);
        assertFalse(registry.isDelegate(patient, delegate));
    }

    function test_SetDelegate_IsIdempotent() public {
        _setDelegate(patient, delegate, true);
        vm.expectEmit(address(registry));
        emit IConsentRegistry.DelegateSet(patient, delegate, true);
        _setDelegate(patient, delegate, true);
        assertTrue(registry.isDelegate(patient, delegate));
        _setDelegate(patient, delegate, false);
        vm.expectEmit(address(registry));
        emit IConsentRegistry.DelegateSet(patient, delegate, false);
        _setDelegate(patient, delegate, false);
        assertFalse(registry.isDelegate(patient, delegate));
    }

    function test_SetDelegate_DelegateCannotNameFurtherDelegates() public {
        _setDelegate(patient, delegate, true);
        // the delegate's setDelegate only ever changes the delegate's own delegates
        _setDelegate(delegate, stranger, true);
        assertFalse(registry.isDelegate(patient, stranger));
        assertTrue(registry.isDelegate(delegate, stranger));
        vm.expectRevert(_notPatientOrDelegate(patient, stranger));
        _grant(stranger, patient, provider);
    }

    function test_RevertWhen_SettingZeroDelegate() public {
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentInvalidDelegate.selector, address(0)));
        _setDelegate(patient, address(0), true);
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentInvalidDelegate.selector, address(0)));
        _setDelegate(patient, address(0), false);
    }

    function test_RevertWhen_SettingSelfAsDelegate() public {
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentInvalidDelegate.selector, patient));
        _setDelegate(patient, patient, true);
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentInvalidDelegate.selector, patient));
        _setDelegate(patient, patient, false);
        assertFalse(registry.isDelegate(patient, patient));
    }

    // ------------------------------------------------------------------------------------- breakGlass

    function test_BreakGlass_OpensANarrowShortEmergencyGrant() public {
        vm.expectEmit(address(registry));
        emit IConsentRegistry.BreakGlassOpened(1, patient, clinician, CATEGORIES, uint64(T0 + DURATION), REASON);
        uint256 id = _breakGlass(clinician, patient, CATEGORIES);
        assertEq(id, 1);

        IConsentRegistry.Grant memory g = registry.getGrant(id);
        assertEq(g.patient, patient);
        assertEq(g.grantee, clinician);
        assertEq(uint256(g.categories), CATEGORIES);
        assertEq(uint256(g.purposes), ConsentModel.ETREAT);
        assertEq(uint256(g.notBefore), T0);
        assertEq(uint256(g.expiresAt), T0 + DURATION);
        assertFalse(g.revoked);
        assertTrue(g.breakGlass);
    }

    function test_BreakGlass_EmitsOnlyBreakGlassOpened() public {
        vm.recordLogs();
        _breakGlass(clinician, patient, CATEGORIES);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 1);
        assertEq(logs[0].emitter, address(registry));
        assertEq(logs[0].topics[0], IConsentRegistry.BreakGlassOpened.selector);
        assertEq(logs[0].topics[1], bytes32(uint256(1)));
        assertEq(logs[0].topics[2], bytes32(uint256(uint160(patient))));
        assertEq(logs[0].topics[3], bytes32(uint256(uint160(clinician))));
        assertEq(logs[0].data, abi.encode(CATEGORIES, uint64(T0 + DURATION), REASON));
    }

    function test_BreakGlass_AuthorizesEmergencyTreatmentOnlyForItsDuration() public {
        uint256 id = _breakGlass(clinician, patient, CAP);
        assertTrue(_valid(id, clinician, CAP, ConsentModel.ETREAT));
        assertTrue(_valid(id, clinician, 1 << 6, ConsentModel.ETREAT));
        assertFalse(_valid(id, clinician, CAP, ConsentModel.TREAT));
        assertFalse(_valid(id, clinician, 1 << 1, ConsentModel.ETREAT)); // encounters: outside the cap
        assertFalse(_valid(id, provider, CAP, ConsentModel.ETREAT));
        vm.warp(T0 + DURATION - 1);
        assertTrue(_valid(id, clinician, CAP, ConsentModel.ETREAT));
        vm.warp(T0 + DURATION);
        assertFalse(_valid(id, clinician, CAP, ConsentModel.ETREAT));
    }

    function test_BreakGlass_CanBeRevokedByPatientOrDelegate() public {
        uint256 a = _breakGlass(clinician, patient, CATEGORIES);
        uint256 b = _breakGlass(clinician, patient, CATEGORIES);
        _setDelegate(patient, delegate, true);

        vm.expectEmit(address(registry));
        emit IConsentRegistry.GrantRevoked(a, patient, patient);
        vm.prank(patient);
        registry.revoke(a);
        vm.expectEmit(address(registry));
        emit IConsentRegistry.GrantRevoked(b, patient, delegate);
        vm.prank(delegate);
        registry.revoke(b);
        assertFalse(_valid(a, clinician, CATEGORIES, ConsentModel.ETREAT));
        assertFalse(_valid(b, clinician, CATEGORIES, ConsentModel.ETREAT));
        assertTrue(registry.getGrant(b).breakGlass);
    }

    function test_RevertWhen_ClinicianRevokesItsBreakGlass() public {
        uint256 id = _breakGlass(clinician, patient, CATEGORIES);
        vm.expectRevert(_notPatientOrDelegate(patient, clinician));
        vm.prank(clinician);
        registry.revoke(id);
    }

    function test_RevertWhen_BreakingGlassWithoutClinicianRole() public {
        vm.expectRevert(_roleMissing(stranger));
        _breakGlass(stranger, patient, CATEGORIES);
        // governance is not a clinician either, and neither is the patient's delegate
        _setDelegate(patient, delegate, true);
        vm.expectRevert(_roleMissing(admin));
        _breakGlass(admin, patient, CATEGORIES);
        vm.expectRevert(_roleMissing(delegate));
        _breakGlass(delegate, patient, CATEGORIES);
        assertEq(registry.grantCount(), 0);
    }

    function test_RevertWhen_BreakingGlassAfterLicenceRevoked() public {
        _breakGlass(clinician, patient, CATEGORIES);
        vm.prank(board);
        trust.revokeCredential(LICENCE);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustCredentialRevoked.selector, LICENCE));
        _breakGlass(clinician, patient, CATEGORIES);
        assertEq(registry.grantCount(), 1);
    }

    function test_RevertWhen_BreakingGlassAfterLicenceExpired() public {
        bytes32 id = keccak256("urn:uuid:one-year-licence");
        _licence(id, provider, uint64(T0 + 365 days));
        vm.warp(T0 + 365 days - 1);
        _breakGlass(provider, patient, CATEGORIES);
        vm.warp(T0 + 365 days);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustCredentialExpired.selector, id));
        _breakGlass(provider, patient, CATEGORIES);
    }

    function test_RevertWhen_BreakingGlassAfterBoardDeaccredited() public {
        vm.prank(admin);
        trust.deaccredit(board, CLINICIAN_TYPE);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustIssuerDeaccredited.selector, board, CLINICIAN_TYPE));
        _breakGlass(clinician, patient, CATEGORIES);
        // accrediting the board again does not revive licences registered under the withdrawn accreditation
        vm.prank(admin);
        trust.accredit(board, CLINICIAN_TYPE);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustIssuerDeaccredited.selector, board, CLINICIAN_TYPE));
        _breakGlass(clinician, patient, CATEGORIES);
        // a licence registered under the new accreditation gives the role again
        _licence(keccak256("urn:uuid:renewed-licence"), clinician, uint64(T0 + 30 days));
        _breakGlass(clinician, patient, CATEGORIES);
    }

    function test_RevertWhen_StrangerMakesItselfAClinician() public {
        // a non-accredited issuer cannot register a licence
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustIssuerNotAccredited.selector, stranger, CLINICIAN_TYPE));
        vm.prank(stranger);
        trust.registerCredential(keccak256("forged"), CLINICIAN_TYPE, stranger, uint64(T0), uint64(T0 + 1 days));
        // nor can it claim the role with someone else's licence
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustNotSubject.selector, LICENCE, stranger));
        vm.prank(stranger);
        trust.claimRole(LICENCE);
        vm.expectRevert(_roleMissing(stranger));
        _breakGlass(stranger, patient, CATEGORIES);
    }

    function test_BreakGlass_ChecksTheRoleFirst() public {
        vm.expectRevert(_roleMissing(stranger));
        vm.prank(stranger);
        registry.breakGlass(address(0), 0, bytes32(0));
    }

    function test_RevertWhen_BreakingGlassForZeroPatient() public {
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentInvalidPatient.selector, address(0)));
        _breakGlass(clinician, address(0), CATEGORIES);
    }

    function test_RevertWhen_ClinicianBreaksGlassOnItsOwnRecord() public {
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentInvalidGrantee.selector, clinician));
        _breakGlass(clinician, clinician, CATEGORIES);
    }

    function test_RevertWhen_BreakingGlassWithoutCategory() public {
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentInvalidScope.selector, uint32(0)));
        _breakGlass(clinician, patient, 0);
    }

    function test_RevertWhen_BreakGlassExceedsCap() public {
        bytes4 sel = IConsentRegistry.ConsentBreakGlassExceedsCap.selector;
        uint32 encounters = 1 << 1;
        vm.expectRevert(abi.encodeWithSelector(sel, CATEGORIES | encounters, CAP));
        _breakGlass(clinician, patient, CATEGORIES | encounters);
        vm.expectRevert(abi.encodeWithSelector(sel, uint32(0x7FF), CAP));
        _breakGlass(clinician, patient, 0x7FF);
        vm.expectRevert(abi.encodeWithSelector(sel, uint32(1 << 11), CAP));
        _breakGlass(clinician, patient, 1 << 11);
    }

    function test_RevertWhen_BreakingGlassWithoutReason() public {
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentMissingReason.selector));
        vm.prank(clinician);
        registry.breakGlass(patient, CATEGORIES, bytes32(0));
    }

    function test_RevertWhen_BreakGlassWouldExpireBeyondUint64() public {
        uint256 now_ = uint256(type(uint64).max) - DURATION + 1;
        vm.warp(now_);
        vm.expectRevert(
            abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, uint8(64), now_ + DURATION)
        );
        _breakGlass(clinician, patient, CATEGORIES);
        vm.warp(now_ - 1);
        uint256 id = _breakGlass(clinician, patient, CATEGORIES);
        assertEq(uint256(registry.getGrant(id).expiresAt), type(uint64).max);
    }

    function test_BreakGlass_WorksForEveryPatientWithoutTheirDelegation() public {
        uint256 id = _breakGlass(clinician, stranger, CAP);
        assertEq(registry.getGrant(id).patient, stranger);
    }

    // ---------------------------------------------------------------------------------------- storage

    /// A grant takes exactly two storage slots (`_grants` is slot 0, then `_delegates`, `_grantCount`).
    function test_Storage_GrantPacksIntoTwoSlots() public {
        _grant(patient, patient, provider);
        vm.prank(patient);
        registry.revoke(1);
        assertEq(uint256(vm.load(address(registry), bytes32(uint256(2)))), 1, "layout: _grantCount at slot 2");
        uint256 base = uint256(keccak256(abi.encode(uint256(1), uint256(0))));
        bytes32 slot0 = vm.load(address(registry), bytes32(base));
        bytes32 slot1 = vm.load(address(registry), bytes32(base + 1));
        assertEq(
            slot0,
            bytes32(
                uint256(uint160(patient)) | (uint256(CATEGORIES) << 160) | (uint256(PURPOSES) << 176)
                    | (uint256(NOT_BEFORE) << 192)
            ),
            "slot 0: patient, categories, purposes, notBefore"
        );
        assertEq(
            slot1,
            bytes32(uint256(uint160(provider)) | (uint256(EXPIRES_AT) << 160) | (uint256(1) << 224)),
            "slot 1: grantee, expiresAt, revoked, breakGlass"
        );
        assertEq(vm.load(address(registry), bytes32(base + 2)), bytes32(0), "no third slot");
    }

    // ------------------------------------------------------------------------------------------ views

    function test_RevertWhen_GettingUnknownGrant() public {
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentUnknownGrant.selector, uint256(0)));
        registry.getGrant(0);
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentUnknownGrant.selector, uint256(1)));
        registry.getGrant(1);
        _grant(patient, patient, provider);
        registry.getGrant(1);
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentUnknownGrant.selector, type(uint256).max));
        registry.getGrant(type(uint256).max);
    }

    function test_IsGrantValid_ChecksEveryCondition() public {
        uint256 id = _grant(patient, patient, provider);
        assertTrue(_valid(id, provider, CATEGORIES, ConsentModel.TREAT), "full scope, granted purpose");
        assertTrue(_valid(id, provider, 1 << 3, ConsentModel.CAREMGT), "sub-scope");
        assertFalse(_valid(id, stranger, CATEGORIES, ConsentModel.TREAT), "other grantee");
        assertFalse(_valid(id, patient, CATEGORIES, ConsentModel.TREAT), "patient is not the grantee");
        assertFalse(_valid(id, address(0), CATEGORIES, ConsentModel.TREAT), "zero grantee");
        assertFalse(_valid(id, provider, 0, ConsentModel.TREAT), "empty scope");
        assertFalse(_valid(id, provider, CATEGORIES | 1, ConsentModel.TREAT), "scope beyond the grant");
        assertFalse(_valid(id, provider, 1 << 11, ConsentModel.TREAT), "invalid category");
        assertFalse(_valid(id, provider, CATEGORIES, 0), "no purpose");
        assertFalse(_valid(id, provider, CATEGORIES, PURPOSES), "two purposes at once");
        assertFalse(_valid(id, provider, CATEGORIES, ConsentModel.HRESCH), "purpose not granted");
        assertFalse(_valid(id, provider, CATEGORIES, 1 << 31), "invalid purpose");
        assertFalse(_valid(0, provider, CATEGORIES, ConsentModel.TREAT), "id 0");
        assertFalse(_valid(2, provider, CATEGORIES, ConsentModel.TREAT), "unknown id");
        assertFalse(_valid(type(uint256).max, provider, CATEGORIES, ConsentModel.TREAT), "huge id");
    }

    function test_IsGrantValid_NeverRevertsAtAbsurdTimes() public {
        uint256 id = _grant(patient, patient, provider);
        vm.warp(type(uint256).max);
        assertFalse(_valid(id, provider, CATEGORIES, ConsentModel.TREAT));
        vm.warp(0);
        assertFalse(_valid(id, provider, CATEGORIES, ConsentModel.TREAT));
    }

    // ---------------------------------------------------------------------------------- via forwarder

    function test_Relayed_PatientActsGaslessly() public {
        vm.startPrank(relayer);
        forwarder.execute(
            signedRequest(forwarder, patientKey, address(registry), abi.encodeCall(IConsentRegistry.setDelegate, (delegate, true)))
        );
        assertTrue(registry.isDelegate(patient, delegate));
        assertFalse(registry.isDelegate(relayer, delegate));

        vm.expectEmit(address(registry));
        emit IConsentRegistry.GrantIssued(1, patient, provider, CATEGORIES, PURPOSES, NOT_BEFORE, EXPIRES_AT, patient);
        forwarder.execute(signedRequest(forwarder, patientKey, address(registry), _grantCall(patient, provider)));

        vm.expectEmit(address(registry));
        emit IConsentRegistry.GrantIssued(2, patient, stranger, CATEGORIES, PURPOSES, NOT_BEFORE, EXPIRES_AT, delegate);
        forwarder.execute(signedRequest(forwarder, delegateKey, address(registry), _grantCall(patient, stranger)));

        vm.expectEmit(address(registry));
        emit IConsentRegistry.GrantRevoked(1, patient, delegate);
        forwarder.execute(
            signedRequest(forwarder, delegateKey, address(registry), abi.encodeCall(IConsentRegistry.revoke, (uint256(1))))
        );
        vm.expectEmit(address(registry));
        emit IConsentRegistry.GrantRevoked(2, patient, patient);
        forwarder.execute(
            signedRequest(forwarder, patientKey, address(registry), abi.encodeCall(IConsentRegistry.revoke, (uint256(2))))
        );
        vm.stopPrank();

        assertTrue(registry.getGrant(1).revoked);
        assertTrue(registry.getGrant(2).revoked);
        assertEq(forwarder.nonces(patient), 3);
        assertEq(forwarder.nonces(delegate), 2);
        assertEq(forwarder.nonces(relayer), 0);
    }

    function test_Relayed_ClinicianBreaksGlass() public {
        vm.expectEmit(address(registry));
        emit IConsentRegistry.BreakGlassOpened(1, patient, clinician, CATEGORIES, uint64(T0 + DURATION), REASON);
        vm.prank(relayer);
        forwarder.execute(
            signedRequest(
                forwarder, clinicianKey, address(registry), abi.encodeCall(IConsentRegistry.breakGlass, (patient, CATEGORIES, REASON))
            )
        );
        assertEq(registry.getGrant(1).grantee, clinician);
    }

    function test_Relayed_RoleClaimFollowsTheSigner() public {
        bytes32 id = keccak256("urn:uuid:licence-of-the-provider");
        vm.prank(board);
        trust.registerCredential(id, CLINICIAN_TYPE, provider, uint64(T0), uint64(T0 + 30 days));
        // a stranger's relayed claim fails (wrapped by the forwarder) and gives nobody the role
        ERC2771Forwarder.ForwardRequestData memory request =
            signedRequest(forwarder, strangerKey, address(trust), abi.encodeCall(ITrustRegistry.claimRole, (id)));
        vm.expectRevert();
        vm.prank(relayer);
        forwarder.execute(request);
        assertFalse(trust.hasValidRole(CLINICIAN_TYPE, stranger));
        // the subject claims it through the forwarder: the registry sees the signer, not the forwarder
        vm.prank(relayer);
        forwarder.execute(signedRequest(forwarder, providerKey, address(trust), abi.encodeCall(ITrustRegistry.claimRole, (id))));
        assertTrue(trust.hasValidRole(CLINICIAN_TYPE, provider));
        vm.prank(relayer);
        forwarder.execute(
            signedRequest(
                forwarder, providerKey, address(registry), abi.encodeCall(IConsentRegistry.breakGlass, (patient, CATEGORIES, REASON))
            )
        );
        assertEq(registry.getGrant(1).grantee, provider);
    }

    function test_Relayed_ForgedSignatureDoesNothing() public {
        // the stranger signs a grant that claims to come from the patient
        ERC2771Forwarder.ForwardRequestData memory request =
            signRequest(forwarder, forwardRequest(patient, address(registry), _grantCall(patient, stranger)), strangerKey);
        assertFalse(forwarder.verify(request));
        vm.expectRevert(
            abi.encodeWithSelector(ERC2771Forwarder.ERC2771ForwarderInvalidSigner.selector, stranger, patient)
        );
        vm.prank(relayer);
        forwarder.execute(request);
        assertEq(registry.grantCount(), 0);
        assertEq(forwarder.nonces(patient), 0);
    }

    function test_Relayed_ForgedRevocationDoesNothing() public {
        uint256 id = _grant(patient, patient, provider);
        ERC2771Forwarder.ForwardRequestData memory request = signRequest(
            forwarder, forwardRequest(patient, address(registry), abi.encodeCall(IConsentRegistry.revoke, (id))), strangerKey
        );
        vm.expectRevert(
            abi.encodeWithSelector(ERC2771Forwarder.ERC2771ForwarderInvalidSigner.selector, stranger, patient)
        );
        vm.prank(relayer);
        forwarder.execute(request);
        assertFalse(registry.getGrant(id).revoked);
    }

    function test_Relayed_StrangerSignedGrantIsRejectedByRegistry() public {
        ERC2771Forwarder.ForwardRequestData memory request =
            signedRequest(forwarder, strangerKey, address(registry), _grantCall(patient, stranger));
        assertTrue(forwarder.verify(request));
        // the inner ConsentNotPatientOrDelegate is wrapped by the forwarder as FailedCall; the nonce is not consumed
        vm.expectRevert();
        vm.prank(relayer);
        forwarder.execute(request);
        assertEq(registry.grantCount(), 0);
        assertEq(forwarder.nonces(stranger), 0);
    }

    function test_Relayed_ReplayIsRejected() public {
        ERC2771Forwarder.ForwardRequestData memory request =
            signedRequest(forwarder, patientKey, address(registry), _grantCall(patient, provider));
        vm.startPrank(relayer);
        forwarder.execute(request);
        assertFalse(forwarder.verify(request));
        vm.expectRevert();
        forwarder.execute(request);
        vm.stopPrank();
        assertEq(registry.grantCount(), 1);
    }

    function test_DirectCallWithSpoofedSuffixActsAsTheCaller() public {
        // a stranger appends the patient's address to the calldata: ignored, since it is not the forwarder
        bytes memory spoofed = abi.encodePacked(_grantCall(patient, stranger), patient);
        vm.prank(stranger);
        (bool ok, bytes memory reason) = address(registry).call(spoofed);
        assertFalse(ok);
        assertEq(reason, _notPatientOrDelegate(patient, stranger));

        bytes memory spoofedRole = abi.encodePacked(abi.encodeCall(IConsentRegistry.breakGlass, (patient, CATEGORIES, REASON)), clinician);
        vm.prank(stranger);
        (ok, reason) = address(registry).call(spoofedRole);
        assertFalse(ok);
        assertEq(reason, _roleMissing(stranger));
    }
}

contract ConsentRegistryFuzzTest is ConsentRegistryFixture {
    /// @dev Valid timestamps for fuzzing: well inside uint64 so that break-glass expiries fit.
    uint256 internal constant MAX_TIME = type(uint64).max - 8 days;

    function _assumeActor(address account) internal view {
        vm.assume(account != address(0) && account != address(forwarder) && account != address(vm));
    }

    /// isGrantValid agrees with the reference model for any grant, query and time, and never reverts.
    /// @param shape Three bits each choose the query time (0..3: an edge of the period, 4..6: within it,
    ///        7: any time), the grantee (0 stranger, 1 patient), the id (0: anything), revocation (0: revoked),
    ///        the categories (0: anything, 1: a superset, 2: none, else a subset of the grant's) and the purpose
    ///        (0: anything, else one bit).
    function testFuzz_IsGrantValidMatchesModel(
        uint32 grantCategories,
        uint32 grantPurposes,
        uint64 notBefore,
        uint64 expiresAt,
        uint256 issuedAt,
        uint256 queriedAt,
        uint256 shape,
        uint32 categories,
        uint32 purpose
    ) public {
        grantCategories = uint32(bound(grantCategories, 1, 0x7FF));
        grantPurposes = uint32(bound(grantPurposes, 1, 0x7FF));
        issuedAt = bound(issuedAt, 0, MAX_TIME - 1);
        expiresAt = uint64(bound(expiresAt, issuedAt + 1, type(uint64).max));
        notBefore = uint64(bound(notBefore, 0, expiresAt - 1));
        vm.warp(issuedAt);
        vm.prank(patient);
        uint256 id = registry.grant(patient, provider, grantCategories, grantPurposes, notBefore, expiresAt);
        if ((shape >> 9) % 8 == 0) {
            vm.prank(patient);
            registry.revoke(id);
        }
        IConsentRegistry.Grant memory g = registry.getGrant(id);

        uint256 edge = shape % 8;
        if (edge == 0) queriedAt = notBefore;
        else if (edge == 1 && notBefore > 0) queriedAt = notBefore - 1;
        else if (edge == 2) queriedAt = expiresAt;
        else if (edge == 3) queriedAt = expiresAt - 1;
        else if (edge < 7) queriedAt = bound(queriedAt, notBefore, expiresAt);
        uint256 who = (shape >> 3) % 8;
        address grantee = who == 0 ? stranger : (who == 1 ? patient : provider);
        uint256 queriedId = (shape >> 6) % 8 == 0 ? shape >> 32 : id;
        uint256 scope = (shape >> 12) % 8;
        if (scope == 1) {
            categories |= grantCategories; // a superset, mostly beyond the grant
        } else if (scope == 2) {
            categories = 0;
        } else if (scope != 0) {
            categories &= grantCategories;
            if (categories == 0) categories = grantCategories;
        }
        if ((shape >> 15) % 8 != 0) purpose = uint32(1) << (purpose % 11);
        vm.warp(queriedAt);

        bool expected = ConsentModel.authorizes(g, queriedId == id, queriedAt, grantee, categories, purpose);
        (bool ok, bytes memory result) = address(registry).staticcall(
            abi.encodeCall(IConsentRegistry.isGrantValid, (queriedId, grantee, categories, purpose))
        );
        assertTrue(ok, "isGrantValid reverted");
        assertEq(abi.decode(result, (bool)), expected, "isGrantValid differs from the model");
    }

    /// isGrantValid never reverts, whatever the input, and unknown ids never authorize.
    function testFuzz_IsGrantValidNeverReverts(
        uint256 grantId,
        address grantee,
        uint32 categories,
        uint32 purpose,
        uint256 time
    ) public {
        _grant(patient, patient, provider);
        _breakGlass(clinician, patient, CATEGORIES);
        vm.warp(time);
        (bool ok, bytes memory result) = address(registry).staticcall(
            abi.encodeCall(IConsentRegistry.isGrantValid, (grantId, grantee, categories, purpose))
        );
        assertTrue(ok, "isGrantValid reverted");
        assertEq(result.length, 32);
        bool valid = abi.decode(result, (bool));
        if (grantId == 0 || grantId > 2) assertFalse(valid, "unknown id authorizes");
        if (valid) {
            assertTrue(grantee == provider || grantee == clinician, "wrong grantee authorized");
            assertTrue(time >= T0 && time < EXPIRES_AT, "outside every period");
        }
    }

    /// grant rejects exactly the invalid inputs, with the model's error, and stores exactly the valid ones.
    function testFuzz_GrantValidatesItsInput(
        address grantee,
        uint32 categories,
        uint32 purposes,
        uint64 notBefore,
        uint64 expiresAt,
        uint256 now_
    ) public {
        now_ = bound(now_, 0, type(uint64).max);
        vm.warp(now_);
        bytes memory expected;
        if (grantee == address(0) || grantee == patient) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentInvalidGrantee.selector, grantee);
        } else if (!ConsentModel.isValidMask(categories)) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentInvalidScope.selector, categories);
        } else if (!ConsentModel.isValidMask(purposes)) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentInvalidPurpose.selector, purposes);
        } else if (notBefore >= expiresAt || expiresAt <= now_) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentInvalidPeriod.selector, notBefore, expiresAt);
        }
        if (expected.length != 0) vm.expectRevert(expected);
        vm.prank(patient);
        uint256 id = registry.grant(patient, grantee, categories, purposes, notBefore, expiresAt);
        if (expected.length != 0) {
            assertEq(registry.grantCount(), 0);
            return;
        }
        IConsentRegistry.Grant memory g = registry.getGrant(id);
        assertEq(g.patient, patient);
        assertEq(g.grantee, grantee);
        assertEq(uint256(g.categories), categories);
        assertEq(uint256(g.purposes), purposes);
        assertEq(uint256(g.notBefore), notBefore);
        assertEq(uint256(g.expiresAt), expiresAt);
        assertFalse(g.revoked);
        assertFalse(g.breakGlass);
    }

    /// Only the patient or a current delegate of the patient grants and revokes.
    function testFuzz_OnlyPatientOrDelegateChangesGrants(
        address patient_,
        address caller,
        bool makeDelegate,
        bool withdraw
    ) public {
        _assumeActor(patient_);
        _assumeActor(caller);
        vm.assume(patient_ != provider && caller != provider);
        if (makeDelegate && caller != patient_) {
            _setDelegate(patient_, caller, true);
            if (withdraw) _setDelegate(patient_, caller, false);
        }
        bool allowed = caller == patient_ || (makeDelegate && !withdraw);
        assertEq(registry.isDelegate(patient_, caller), allowed && caller != patient_);

        if (!allowed) vm.expectRevert(_notPatientOrDelegate(patient_, caller));
        _grant(caller, patient_, provider);
        assertEq(registry.grantCount(), allowed ? 1 : 0);

        uint256 id = _grant(patient_, patient_, provider);
        if (!allowed) vm.expectRevert(_notPatientOrDelegate(patient_, caller));
        vm.prank(caller);
        registry.revoke(id);
        assertEq(registry.getGrant(id).revoked, allowed);
        assertEq(_valid(id, provider, CATEGORIES, ConsentModel.TREAT), !allowed);
    }

    /// Break-glass scope stays within the cap, its purpose is ETREAT only and its duration is exact.
    function testFuzz_BreakGlassStaysWithinItsCap(uint32 categories, uint256 now_, bytes32 reasonHash) public {
        now_ = bound(now_, 0, MAX_TIME);
        vm.warp(now_);
        bytes memory expected;
        if (categories == 0) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentInvalidScope.selector, categories);
        } else if ((categories | CAP) != CAP) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentBreakGlassExceedsCap.selector, categories, CAP);
        } else if (reasonHash == bytes32(0)) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentMissingReason.selector);
        }
        if (expected.length != 0) vm.expectRevert(expected);
        vm.prank(clinician);
        uint256 id = registry.breakGlass(patient, categories, reasonHash);
        if (expected.length != 0) return;

        IConsentRegistry.Grant memory g = registry.getGrant(id);
        assertTrue(g.breakGlass);
        assertEq(g.grantee, clinician);
        assertEq(uint256(g.categories), categories);
        assertEq(uint256(g.purposes), ConsentModel.ETREAT);
        assertEq(uint256(g.notBefore), now_);
        assertEq(uint256(g.expiresAt), now_ + DURATION);
        for (uint32 bit = 0; bit < 11; ++bit) {
            if (uint32(1) << bit != ConsentModel.ETREAT) assertFalse(_valid(id, clinician, categories, uint32(1) << bit));
        }
    }

    /// A revoked grant never authorizes again, at any later time.
    function testFuzz_RevokedGrantNeverAuthorizes(uint256 revokedAt, uint256 queriedAt, uint8 purposeBit) public {
        uint256 id = _grant(patient, patient, provider);
        revokedAt = bound(revokedAt, T0, EXPIRES_AT + 365 days);
        vm.warp(revokedAt);
        vm.prank(patient);
        registry.revoke(id);
        vm.warp(bound(queriedAt, revokedAt, type(uint256).max));
        assertFalse(_valid(id, provider, CATEGORIES, uint32(1) << (purposeBit % 11)));
        assertFalse(_valid(id, provider, 1 << 3, ConsentModel.TREAT));
    }

    function testFuzz_RelayedGrantActsAsSigner(uint256 signerKey, address grantee) public {
        signerKey = bound(signerKey, 1, 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140);
        address signer = vm.addr(signerKey);
        vm.assume(grantee != address(0) && grantee != signer);
        vm.prank(relayer);
        forwarder.execute(signedRequest(forwarder, signerKey, address(registry), _grantCall(signer, grantee)));
        IConsentRegistry.Grant memory g = registry.getGrant(1);
        assertEq(g.patient, signer);
        assertEq(g.grantee, grantee);
        assertTrue(_valid(1, grantee, CATEGORIES, ConsentModel.TREAT));
    }

    function testFuzz_ForgedRelayedGrantNeverActs(uint256 signerKey, uint256 victimKey) public {
        signerKey = bound(signerKey, 1, 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140);
        victimKey = bound(victimKey, 1, 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140);
        vm.assume(signerKey != victimKey);
        address victim = vm.addr(victimKey);
        address attacker = vm.addr(signerKey);
        ERC2771Forwarder.ForwardRequestData memory request =
            signRequest(forwarder, forwardRequest(victim, address(registry), _grantCall(victim, attacker)), signerKey);
        vm.prank(relayer);
        (bool ok,) = address(forwarder).call(abi.encodeCall(ERC2771Forwarder.execute, (request)));
        assertFalse(ok);
        assertEq(registry.grantCount(), 0);
    }
}
