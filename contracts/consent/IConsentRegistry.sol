// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IConsentRegistry
/// @author medchain
/// @notice The patient's consent, on chain: grants that let a grantee read a scope of the patient's record
///         for given purposes during a period, their revocations, the patient's delegates (guardians,
///         caregivers) and audited emergency ("break-glass") access by credentialed clinicians. Keepers
///         release key shares only after {isGrantValid} returned true at that moment.
///
///         Scope: `categories` is the coarse category bitmask of the RecordRegistry (bit i = category i):
///
///         | bit | category       | bit | category       |
///         | --- | -------------- | --- | -------------- |
///         | 0   | demographics   | 6   | allergies      |
///         | 1   | encounters     | 7   | financial      |
///         | 2   | clinical       | 8   | administrative |
///         | 3   | observations   | 9   | documents      |
///         | 4   | medications    | 10  | other          |
///         | 5   | immunizations  |     |                |
///
///         Purposes: `purposes` is a bitmask of HL7 v3 PurposeOfUse codes
///         (http://terminology.hl7.org/CodeSystem/v3-ActReason):
///
///         | bit | code     | meaning                           |
///         | --- | -------- | --------------------------------- |
///         | 0   | TREAT    | treatment                         |
///         | 1   | ETREAT   | emergency treatment (break-glass) |
///         | 2   | HPAYMT   | healthcare payment                |
///         | 3   | HOPERAT  | healthcare operations             |
///         | 4   | HRESCH   | healthcare research               |
///         | 5   | PATRQT   | patient requested                 |
///         | 6   | FAMRQT   | family requested                  |
///         | 7   | PUBHLTH  | public health                     |
///         | 8   | CAREMGT  | care management                   |
///         | 9   | CLINTRCH | clinical trial research           |
///         | 10  | COVERAGE | coverage under policy or program  |
///
///         Bits above 10 are invalid in both masks. The ledger holds no personal data: only pseudonymous
///         addresses, the two masks, times and (for break-glass) the hash of a reason kept off chain.
/// @dev Implementations are ERC-2771 recipients: the acting account is `_msgSender()`, so patients and
///      their delegates act gaslessly by signing requests that a relayer submits through the trusted
///      forwarder. Who is a clinician is not decided here: break-glass asks the consortium's trust registry
///      ({trustRegistry}) whether the caller holds the clinician role, i.e. a valid licence credential
///      (`ClinicianLicenceCredential`) from an issuer the consortium accredited, unrevoked and unexpired.
///      Its refusal (`TrustRoleMissing`, `TrustCredentialRevoked`, `TrustCredentialExpired`,
///      `TrustIssuerDeaccredited`, ...) is the break-glass call's revert. Grant ids are sequential from 1.
interface IConsentRegistry {
    /// @notice One grant: `grantee` may read the `categories` of `patient`'s record for the `purposes`
    ///         during `[notBefore, expiresAt)`, unless revoked.
    /// @dev Only `revoked` ever changes (false to true). Implementations store it in two slots.
    /// @param patient The patient (pseudonymous address) whose record the grant opens.
    /// @param categories Coarse category bitmask (bits 0..10, never zero).
    /// @param purposes HL7 v3 PurposeOfUse bitmask (bits 0..10, never zero); exactly ETREAT for break-glass.
    /// @param notBefore First second (block timestamp) at which the grant is valid.
    /// @param grantee The account that may read (a provider, a caregiver, a clinician for break-glass).
    /// @param expiresAt First second at which the grant is no longer valid (exclusive end).
    /// @param revoked True once the patient or a delegate revoked the grant; never reset.
    /// @param breakGlass True if the grant was opened by a clinician with {breakGlass}.
    struct Grant {
        address patient;
        uint32 categories;
        uint32 purposes;
        uint64 notBefore;
        address grantee;
        uint64 expiresAt;
        bool revoked;
        bool breakGlass;
    }

    /// @notice `caller` is neither `patient` nor a current delegate of `patient`.
    /// @param patient The patient whose grants were to change.
    /// @param caller The account that made the call.
    error ConsentNotPatientOrDelegate(address patient, address caller);

    /// @notice The grantee is the zero address or the patient itself (also: a clinician breaking the glass
    ///         on its own record).
    /// @param grantee The rejected grantee.
    error ConsentInvalidGrantee(address grantee);

    /// @notice The category bitmask is zero or has a bit above bit 10.
    /// @param categories The rejected bitmask.
    error ConsentInvalidScope(uint32 categories);

    /// @notice The purpose bitmask is zero or has a bit above bit 10.
    /// @param purposes The rejected bitmask.
    error ConsentInvalidPurpose(uint32 purposes);

    /// @notice The period is empty (`notBefore >= expiresAt`) or already over (`expiresAt <= block.timestamp`).
    /// @param notBefore The requested start.
    /// @param expiresAt The requested (exclusive) end.
    error ConsentInvalidPeriod(uint64 notBefore, uint64 expiresAt);

    /// @notice No grant with `grantId` exists.
    /// @param grantId The unknown id.
    error ConsentUnknownGrant(uint256 grantId);

    /// @notice Grant `grantId` was already revoked.
    /// @param grantId The grant.
    error ConsentAlreadyRevoked(uint256 grantId);

    /// @notice The delegate is the zero address or the patient itself.
    /// @param delegate The rejected delegate.
    error ConsentInvalidDelegate(address delegate);

    /// @notice A break-glass scope is not within the deployment's cap.
    /// @param categories The requested categories.
    /// @param cap The categories that break-glass may open at most ({breakGlassMaxCategories}).
    error ConsentBreakGlassExceedsCap(uint32 categories, uint32 cap);

    /// @notice A break-glass request carries no reason hash (the reason itself stays off chain).
    error ConsentMissingReason();

    /// @notice The patient of a break-glass request is the zero address.
    /// @param patient The rejected patient.
    error ConsentInvalidPatient(address patient);

    /// @notice The trust registry given at deployment is the zero address.
    error ConsentZeroTrustRegistry();

    /// @notice The break-glass configuration given at deployment is invalid: the cap must be a non-zero
    ///         category bitmask (bits 0..10) and the duration between 1 second and {MAX_BREAK_GLASS_DURATION}.
    /// @param maxCategories The rejected cap.
    /// @param duration The rejected duration, in seconds.
    error ConsentInvalidBreakGlassConfig(uint32 maxCategories, uint64 duration);

    /// @notice The patient (or a delegate, `issuedBy`) issued grant `grantId`.
    /// @param grantId The new grant's id.
    /// @param patient The patient whose record it opens.
    /// @param grantee The account that may read.
    /// @param categories Coarse category bitmask.
    /// @param purposes HL7 v3 PurposeOfUse bitmask.
    /// @param notBefore Start of the period (inclusive).
    /// @param expiresAt End of the period (exclusive).
    /// @param issuedBy The account that issued it: the patient or one of its delegates.
    event GrantIssued(
        uint256 indexed grantId,
        address indexed patient,
        address indexed grantee,
        uint32 categories,
        uint32 purposes,
        uint64 notBefore,
        uint64 expiresAt,
        address issuedBy
    );

    /// @notice Grant `grantId` (an ordinary or a break-glass grant) was revoked.
    /// @param grantId The revoked grant.
    /// @param patient Its patient.
    /// @param revokedBy The account that revoked it: the patient or one of its delegates.
    event GrantRevoked(uint256 indexed grantId, address indexed patient, address revokedBy);

    /// @notice `patient` made `delegate` one of its delegates (`allowed`) or withdrew it.
    /// @param patient The patient.
    /// @param delegate The guardian or caregiver.
    /// @param allowed Whether `delegate` may now grant and revoke for `patient`.
    event DelegateSet(address indexed patient, address indexed delegate, bool allowed);

    /// @notice Clinician `clinician` opened emergency access to `patient`'s record as grant `grantId`
    ///         (purpose ETREAT only, from now until `expiresAt`). The patient is to be notified.
    /// @param grantId The break-glass grant's id.
    /// @param patient The patient.
    /// @param clinician The clinician (the grant's grantee).
    /// @param categories The opened categories (within {breakGlassMaxCategories}).
    /// @param expiresAt End of the access (exclusive): the opening time plus {breakGlassDuration}.
    /// @param reasonHash Hash of the declared reason; the reason itself stays off chain.
    event BreakGlassOpened(
        uint256 indexed grantId,
        address indexed patient,
        address indexed clinician,
        uint32 categories,
        uint64 expiresAt,
        bytes32 reasonHash
    );

    /// @notice The credential type whose role may open break-glass access:
    ///         `keccak256("ClinicianLicenceCredential")`.
    /// @return The credential type id, as the trust registry knows it.
    function CLINICIAN_CREDENTIAL_TYPE() external view returns (bytes32);

    /// @notice The consortium's trust registry (ITrustRegistry) that decides who holds the clinician role.
    /// @return Its address (immutable, set at deployment).
    function trustRegistry() external view returns (address);

    /// @notice The longest break-glass duration a deployment may configure: 7 days.
    /// @return The bound, in seconds.
    function MAX_BREAK_GLASS_DURATION() external view returns (uint64);

    /// @notice Issues a grant on `patient`'s record to `grantee`.
    /// @dev The issuer is `_msgSender()`. Checks, in this order: the issuer is `patient` or a current delegate
    ///      of it ({ConsentNotPatientOrDelegate}`(patient, issuer)`); `grantee` is neither zero nor `patient`
    ///      ({ConsentInvalidGrantee}); `categories` is non-zero with no bit above 10 ({ConsentInvalidScope});
    ///      `purposes` likewise ({ConsentInvalidPurpose}); `notBefore < expiresAt` and
    ///      `expiresAt > block.timestamp` ({ConsentInvalidPeriod}). `notBefore` may lie in the past.
    ///      Emits {GrantIssued}.
    /// @param patient The patient whose record the grant opens.
    /// @param grantee The account that may read.
    /// @param categories Coarse category bitmask (bits 0..10).
    /// @param purposes HL7 v3 PurposeOfUse bitmask (bits 0..10).
    /// @param notBefore Start of the period (inclusive, block timestamp).
    /// @param expiresAt End of the period (exclusive, block timestamp).
    /// @return grantId The new grant's id (sequential from 1).
    function grant(
        address patient,
        address grantee,
        uint32 categories,
        uint32 purposes,
        uint64 notBefore,
        uint64 expiresAt
    ) external returns (uint256 grantId);

    /// @notice Revokes grant `grantId` at once: from this block on it authorizes nothing.
    /// @dev The caller is `_msgSender()`. Reverts with {ConsentUnknownGrant} if the grant does not exist,
    ///      {ConsentNotPatientOrDelegate}`(patient, caller)` if the caller is neither its patient nor a current
    ///      delegate of it, and {ConsentAlreadyRevoked} if it was already revoked. Break-glass and expired
    ///      grants can be revoked too. Emits {GrantRevoked}.
    /// @param grantId The grant to revoke.
    function revoke(uint256 grantId) external;

    /// @notice Makes `delegate` a delegate of the caller (`allowed` true) or withdraws it (`allowed` false).
    /// @dev The patient is `_msgSender()`. A delegate may grant and revoke for the patient but cannot name
    ///      delegates of the patient (this function only ever changes the caller's own delegates).
    ///      Idempotent: setting the current value again emits again. Reverts with {ConsentInvalidDelegate} if
    ///      `delegate` is zero or the caller. Emits {DelegateSet}.
    /// @param delegate The guardian or caregiver.
    /// @param allowed Whether `delegate` may grant and revoke for the caller.
    function setDelegate(address delegate, bool allowed) external;

    /// @notice Opens emergency access to `patient`'s record for the calling clinician.
    /// @dev The clinician is `_msgSender()` and must hold the clinician role in the trust registry at this block:
    ///      `ITrustRegistry.checkRole(CLINICIAN_CREDENTIAL_TYPE, clinician)`, whose error is this call's revert
    ///      (`TrustRoleMissing`, `TrustCredentialRevoked`, `TrustCredentialExpired`, ...). Then checks, in this order: `patient` is not zero
    ///      ({ConsentInvalidPatient}); the clinician is not `patient` ({ConsentInvalidGrantee}); `categories`
    ///      is non-zero ({ConsentInvalidScope}) and within {breakGlassMaxCategories}
    ///      ({ConsentBreakGlassExceedsCap}); `reasonHash` is non-zero ({ConsentMissingReason}). Creates a grant
    ///      with `breakGlass = true`, purposes = ETREAT only, `notBefore = block.timestamp` and
    ///      `expiresAt = block.timestamp + breakGlassDuration()`. Emits {BreakGlassOpened} (not {GrantIssued}).
    ///      The patient or a delegate can {revoke} it like any grant.
    /// @param patient The patient in need of emergency treatment.
    /// @param categories The categories to open (a non-empty subset of {breakGlassMaxCategories}).
    /// @param reasonHash Hash of the declared reason, kept off chain with the audit trail.
    /// @return grantId The break-glass grant's id.
    function breakGlass(address patient, uint32 categories, bytes32 reasonHash) external returns (uint256 grantId);

    /// @notice Tells whether `delegate` is currently a delegate of `patient`.
    /// @param patient The patient.
    /// @param delegate The account to check.
    /// @return True if `patient` made `delegate` a delegate and has not withdrawn it (never true for the patient itself).
    function isDelegate(address patient, address delegate) external view returns (bool);

    /// @notice Returns grant `grantId`. Reverts with {ConsentUnknownGrant} if it does not exist.
    /// @param grantId The grant.
    /// @return The stored grant.
    function getGrant(uint256 grantId) external view returns (Grant memory);

    /// @notice Tells whether grant `grantId` authorizes `grantee` to read `categories` for `purpose` now.
    /// @dev What keepers call at release time; never reverts, whatever the input. True iff the grant exists,
    ///      is not revoked, `notBefore <= block.timestamp < expiresAt`, its grantee is `grantee`, `categories`
    ///      is non-zero and a subset of the grant's categories, and `purpose` has exactly one bit set and that
    ///      bit is among the grant's purposes.
    /// @param grantId The grant presented by the requester.
    /// @param grantee The requester.
    /// @param categories The categories requested (non-zero subset of the grant's).
    /// @param purpose The single PurposeOfUse bit of the request.
    /// @return True if the release is authorized at this block.
    function isGrantValid(uint256 grantId, address grantee, uint32 categories, uint32 purpose)
        external
        view
        returns (bool);

    /// @notice Returns how many grants were created (ordinary and break-glass); the last id issued.
    /// @return The number of grants.
    function grantCount() external view returns (uint256);

    /// @notice The categories that break-glass may open at most (immutable, set at deployment).
    /// @return The category bitmask cap.
    function breakGlassMaxCategories() external view returns (uint32);

    /// @notice How long a break-glass grant lasts (immutable, set at deployment).
    /// @return The duration, in seconds.
    function breakGlassDuration() external view returns (uint64);
}
