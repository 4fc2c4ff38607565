// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ITrustRegistry} from "../identity/ITrustRegistry.sol";
import {ERC2771Recipient} from "../utils/ERC2771Recipient.sol";
import {IConsentRegistry} from "./IConsentRegistry.sol";

/// @title ConsentRegistry
/// @author medchain
/// @notice Patients' grants, revocations, delegates and break-glass access; see {IConsentRegistry}.
/// @dev ERC-2771 recipient of the trusted forwarder given at deployment (immutable); the clinician role of
///      break-glass is the trust registry's (immutable), checked at the moment of the call.
contract ConsentRegistry is IConsentRegistry, ERC165, ERC2771Recipient {
    /// @dev A grant as stored: the fields of {IConsentRegistry.Grant} in the same order, with the two masks
    ///      narrowed to uint16 (valid masks use bits 0..10 only), so that it packs into two slots:
    ///      slot 0 = patient, categories, purposes, notBefore; slot 1 = grantee, expiresAt, revoked, breakGlass.
    struct StoredGrant {
        address patient;
        uint16 categories;
        uint16 purposes;
        uint64 notBefore;
        address grantee;
        uint64 expiresAt;
        bool revoked;
        bool breakGlass;
    }

    /// @inheritdoc IConsentRegistry
    bytes32 public constant CLINICIAN_CREDENTIAL_TYPE = keccak256("ClinicianLicenceCredential");
    /// @inheritdoc IConsentRegistry
    uint64 public constant MAX_BREAK_GLASS_DURATION = 7 days;

    /// @dev Valid bits of a category mask (categories 0..10) and of a purpose mask (PurposeOfUse bits 0..10).
    uint32 private constant CATEGORY_MASK = 0x7FF;
    uint32 private constant PURPOSE_MASK = 0x7FF;
    /// @dev PurposeOfUse ETREAT (emergency treatment), the only purpose of a break-glass grant.
    uint32 private constant PURPOSE_ETREAT = 1 << 1;

    ITrustRegistry private immutable _trustRegistry;
    uint32 private immutable _breakGlassMaxCategories;
    uint64 private immutable _breakGlassDuration;

    mapping(uint256 grantId => StoredGrant grant) private _grants;
    mapping(address patient => mapping(address delegate => bool allowed)) private _delegates;
    uint256 private _grantCount;

    /// @notice Deploys the registry.
    /// @dev Reverts with {ConsentZeroTrustRegistry} if `trustRegistry_` is zero and {ConsentInvalidBreakGlassConfig} if the cap is
    ///      zero or has a bit above 10, or the duration is zero or above {MAX_BREAK_GLASS_DURATION}.
    /// @param trustedForwarder The ERC-2771 forwarder whose relayed calls are attributed to their signer
    ///        (address(0) disables relaying).
    /// @param trustRegistry_ The consortium's trust registry, which decides who holds the clinician role.
    /// @param breakGlassMaxCategories_ The categories break-glass may open at most.
    /// @param breakGlassDuration_ How long a break-glass grant lasts, in seconds.
    constructor(
        address trustedForwarder,
        address trustRegistry_,
        uint32 breakGlassMaxCategories_,
        uint64 breakGlassDuration_
    ) ERC2771Recipient(trustedForwarder) {
        if (trustRegistry_ == address(0)) revert ConsentZeroTrustRegistry();
        if (
            breakGlassMaxCategories_ == 0 || breakGlassMaxCategories_ & ~CATEGORY_MASK != 0 || breakGlassDuration_ == 0
                || breakGlassDuration_ > MAX_BREAK_GLASS_DURATION
        ) revert ConsentInvalidBreakGlassConfig(breakGlassMaxCategories_, breakGlassDuration_);
        _breakGlassMaxCategories = breakGlassMaxCategories_;
        _breakGlassDuration = breakGlassDuration_;
        _trustRegistry = ITrustRegistry(trustRegistry_);
    }

    /// @inheritdoc IConsentRegistry
    function grant(
        address patient,
        address grantee,
        uint32 categories,
        uint32 purposes,
        uint64 notBefore,
        uint64 expiresAt
    ) external returns (uint256 grantId) {
        address issuer = _msgSender();
        if (issuer != patient && !_delegates[patient][issuer]) revert ConsentNotPatientOrDelegate(patient, issuer);
        if (grantee == address(0) || grantee == patient) revert ConsentInvalidGrantee(grantee);
        if (categories == 0 || categories & ~CATEGORY_MASK != 0) revert ConsentInvalidScope(categories);
        if (purposes == 0 || purposes & ~PURPOSE_MASK != 0) revert ConsentInvalidPurpose(purposes);
        if (notBefore >= expiresAt || expiresAt <= block.timestamp) revert ConsentInvalidPeriod(notBefore, expiresAt);

        grantId = _store(patient, grantee, categories, purposes, notBefore, expiresAt, false);
        emit GrantIssued(grantId, patient, grantee, categories, purposes, notBefore, expiresAt, issuer);
    }

    /// @inheritdoc IConsentRegistry
    function revoke(uint256 grantId) external {
        StoredGrant storage stored = _grants[grantId];
        address patient = stored.patient;
        if (patient == address(0)) revert ConsentUnknownGrant(grantId);
        address caller = _msgSender();
        if (caller != patient && !_delegates[patient][caller]) revert ConsentNotPatientOrDelegate(patient, caller);
        if (stored.revoked) revert ConsentAlreadyRevoked(grantId);
        stored.revoked = true;
        emit GrantRevoked(grantId, patient, caller);
    }

    /// @inheritdoc IConsentRegistry
    function setDelegate(address delegate, bool allowed) external {
        address patient = _msgSender();
        if (delegate == address(0) || delegate == patient) revert ConsentInvalidDelegate(delegate);
        _delegates[patient][delegate] = allowed;
        emit DelegateSet(patient, delegate, allowed);
    }

    /// @inheritdoc IConsentRegistry
    function breakGlass(address patient, uint32 categories, bytes32 reasonHash) external returns (uint256 grantId) {
        address clinician = _msgSender();
        _trustRegistry.checkRole(CLINICIAN_CREDENTIAL_TYPE, clinician);
        if (patient == address(0)) revert ConsentInvalidPatient(patient);
        if (clinician == patient) revert ConsentInvalidGrantee(clinician);
        if (categories == 0) revert ConsentInvalidScope(categories);
        uint32 cap = _breakGlassMaxCategories;
        if (categories & ~cap != 0) revert ConsentBreakGlassExceedsCap(categories, cap);
        if (reasonHash == bytes32(0)) revert ConsentMissingReason();

        uint64 expiresAt = SafeCast.toUint64(block.timestamp + _breakGlassDuration);
        grantId = _store(patient, clinician, categories, PURPOSE_ETREAT, uint64(block.timestamp), expiresAt, true);
        emit BreakGlassOpened(grantId, patient, clinician, categories, expiresAt, reasonHash);
    }

    /// @inheritdoc IConsentRegistry
    function isDelegate(address patient, address delegate) external view returns (bool) {
        return _delegates[patient][delegate];
    }

    /// @inheritdoc IConsentRegistry
    function getGrant(uint256 grantId) external view returns (Grant memory) {
        StoredGrant memory stored = _grants[grantId];
        if (stored.patient == address(0)) revert ConsentUnknownGrant(grantId);
        return Grant({
            patient: stored.patient,
            categories: stored.categories,
            purposes: stored.purposes,
            notBefore: stored.notBefore,
            grantee: stored.grantee,
            expiresAt: stored.expiresAt,
            revoked: stored.revoked,
            breakGlass: stored.breakGlass
        });
    }

    /// @inheritdoc IConsentRegistry
    function isGrantValid(uint256 grantId, address grantee, uint32 categories, uint32 purpose)
        external
        view
        returns (bool)
    {
        StoredGrant memory stored = _grants[grantId];
        // an unknown id reads as all zero: patient zero, and expiresAt 0 fails the period check anyway
        if (stored.patient == address(0) || stored.revoked) return false;
        if (block.timestamp < stored.notBefore || block.timestamp >= stored.expiresAt) return false;
        if (stored.grantee != grantee) return false;
        if (categories == 0 || categories & ~uint32(stored.categories) != 0) return false;
        // exactly one purpose bit, and that bit granted
        if (purpose == 0 || purpose & (purpose - 1) != 0) return false;
        return purpose & uint32(stored.purposes) != 0;
    }

    /// @inheritdoc IConsentRegistry
    function grantCount() external view returns (uint256) {
        return _grantCount;
    }

    /// @inheritdoc IConsentRegistry
    function trustRegistry() external view returns (address) {
        return address(_trustRegistry);
    }

    /// @inheritdoc IConsentRegistry
    function breakGlassMaxCategories() external view returns (uint32) {
        return _breakGlassMaxCategories;
    }

    /// @inheritdoc IConsentRegistry
    function breakGlassDuration() external view returns (uint64) {
        return _breakGlassDuration;
    }

    /// @notice ERC-165: {IConsentRegistry} and ERC-165 itself.
    /// @param interfaceId The interface identifier to test.
    /// @return True if this contract implements `interfaceId`.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IConsentRegistry).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @dev Stores a new grant under the next id (masks already validated to fit 11 bits).
    function _store(
        address patient,
        address grantee,
        uint32 categories,
        uint32 purposes,
        uint64 notBefore,
        uint64 expiresAt,
        bool isBreakGlass
    ) private returns (uint256 grantId) {
        unchecked {
            grantId = ++_grantCount;
        }
        _grants[grantId] = StoredGrant({
            patient: patient,
            categories: uint16(categories),
            purposes: uint16(purposes),
            notBefore: notBefore,
            grantee: grantee,
            expiresAt: expiresAt,
            revoked: false,
            breakGlass: isBreakGlass
        });
    }
}
