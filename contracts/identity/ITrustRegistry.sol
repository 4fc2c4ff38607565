// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title ITrustRegistry
/// @author medchain
/// @notice The consortium's trust registry: which issuers are accredited for which credential type, the
///         credentials they registered (an on-chain status and revocation registry), and the roles their
///         subjects claimed with them. A role (clinician, authorized trading partner, ...) holds exactly while
///         the credential it was claimed with is valid: registered by an issuer that was accredited for the
///         credential's type when it registered it and has stayed accredited since, not revoked, and within its
///         validity period. Revocation, expiry or de-accreditation therefore removes the role at once, with no
///         cleanup transaction: every check reads the credential's state at that block.
///
///         Credential types are identified by `typeId = keccak256(bytes(typeName))`, the W3C credential type
///         name, e.g. `keccak256("ClinicianLicenceCredential")`, `keccak256("AuthorizedTradingPartnerCredential")`,
///         `keccak256("EthicsApprovalCredential")`. A credential id is `keccak256(bytes(vc.id))` of the
///         Verifiable Credential (a `urn:uuid:`). Only these ids, pseudonymous addresses and validity times reach
///         the chain: the claims (licence number, jurisdiction, ...) stay in the credential, off chain.
///
///         "Accredited at issuance and still": every accreditation gets a fresh, never reused epoch number; a
///         credential remembers the epoch under which its issuer registered it, and is valid only while the
///         issuer's current accreditation for that type has the same epoch. De-accrediting an issuer invalidates
///         every credential it registered for that type, for good: accrediting it again opens a new epoch, under
///         which only newly registered credentials count.
/// @dev Implementations are ERC-2771 recipients (issuers and holders act gaslessly through the trusted forwarder;
///      the acting account is `_msgSender()`) and use OpenZeppelin AccessControl: {GOVERNANCE_ROLE}, held by the
///      consortium's TimelockController, accredits and de-accredits issuers and may revoke any credential; role
///      failures revert with AccessControl's `AccessControlUnauthorizedAccount(account, neededRole)`.
interface ITrustRegistry {
    /// @notice State of a credential at the current block, as {credentialStatus} reports it.
    enum CredentialStatus {
        Unknown,
        Valid,
        Revoked,
        NotYetValid,
        Expired,
        IssuerDeaccredited
    }

    /// @notice A registered credential.
    /// @param typeId keccak256 of the credential's type name.
    /// @param issuer The accredited issuer that registered it.
    /// @param subject The account the credential is about (its holder, who may claim the role).
    /// @param validFrom First second (block timestamp) at which it is valid.
    /// @param validUntil First second at which it is no longer valid (exclusive end).
    /// @param accreditationEpoch The issuer's accreditation epoch when it registered the credential.
    /// @param revoked True once revoked by its issuer or by governance; never reset.
    struct Credential {
        bytes32 typeId;
        address issuer;
        address subject;
        uint64 validFrom;
        uint64 validUntil;
        uint32 accreditationEpoch;
        bool revoked;
    }

    /// @notice The governance address given at deployment, an issuer or a subject is the zero address.
    error TrustZeroAddress();

    /// @notice The credential type id is zero.
    error TrustInvalidType();

    /// @notice The credential id is zero.
    error TrustInvalidCredentialId();

    /// @notice `issuer` is not accredited for `typeId` now (registering a credential, or de-accrediting).
    /// @param issuer The issuer.
    /// @param typeId The credential type.
    error TrustIssuerNotAccredited(address issuer, bytes32 typeId);

    /// @notice `issuer` is already accredited for `typeId`.
    /// @param issuer The issuer.
    /// @param typeId The credential type.
    error TrustAlreadyAccredited(address issuer, bytes32 typeId);

    /// @notice A credential with `credentialId` is already registered.
    /// @param credentialId The credential id.
    error TrustCredentialExists(bytes32 credentialId);

    /// @notice No credential with `credentialId` is registered.
    /// @param credentialId The credential id.
    error TrustUnknownCredential(bytes32 credentialId);

    /// @notice The validity period is empty (`validFrom >= validUntil`) or already over (`validUntil <= now`).
    /// @param validFrom The requested start.
    /// @param validUntil The requested (exclusive) end.
    error TrustInvalidValidity(uint64 validFrom, uint64 validUntil);

    /// @notice `caller` is neither the issuer of `credentialId` nor governance.
    /// @param credentialId The credential.
    /// @param caller The account that tried to revoke it.
    error TrustNotIssuer(bytes32 credentialId, address caller);

    /// @notice `caller` is not the subject of `credentialId`, so it cannot claim a role with it (holder binding).
    /// @param credentialId The credential.
    /// @param caller The account that tried to claim.
    error TrustNotSubject(bytes32 credentialId, address caller);

    /// @notice `credentialId` was already revoked.
    /// @param credentialId The credential.
    error TrustAlreadyRevoked(bytes32 credentialId);

    /// @notice `account` never claimed a role of type `typeId`.
    /// @param account The account.
    /// @param typeId The credential type the role requires.
    error TrustRoleMissing(address account, bytes32 typeId);

    /// @notice The credential is revoked.
    /// @param credentialId The credential.
    error TrustCredentialRevoked(bytes32 credentialId);

    /// @notice The credential's validity period has not started.
    /// @param credentialId The credential.
    error TrustCredentialNotYetValid(bytes32 credentialId);

    /// @notice The credential's validity period is over.
    /// @param credentialId The credential.
    error TrustCredentialExpired(bytes32 credentialId);

    /// @notice The credential's issuer is no longer accredited for its type under the accreditation it
    ///         registered the credential with.
    /// @param issuer The issuer.
    /// @param typeId The credential type.
    error TrustIssuerDeaccredited(address issuer, bytes32 typeId);

    /// @notice Governance accredited `issuer` for credentials of `typeId`, under accreditation `epoch`.
    /// @param issuer The issuer.
    /// @param typeId The credential type.
    /// @param epoch The new accreditation's epoch (unique across the registry).
    event IssuerAccredited(address indexed issuer, bytes32 indexed typeId, uint32 epoch);

    /// @notice Governance withdrew `issuer`'s accreditation `epoch` for `typeId`: every credential registered
    ///         under it is invalid from this block on.
    /// @param issuer The issuer.
    /// @param typeId The credential type.
    /// @param epoch The withdrawn accreditation's epoch.
    event IssuerDeaccredited(address indexed issuer, bytes32 indexed typeId, uint32 epoch);

    /// @notice `issuer` registered credential `credentialId` of `typeId` about `subject`.
    /// @param credentialId keccak256 of the credential's `id`.
    /// @param typeId The credential type.
    /// @param issuer The issuer.
    /// @param subject The credential's subject.
    /// @param validFrom Start of validity (inclusive).
    /// @param validUntil End of validity (exclusive).
    /// @param accreditationEpoch The issuer's accreditation epoch it was registered under.
    event CredentialRegistered(
        bytes32 indexed credentialId,
        bytes32 indexed typeId,
        address indexed issuer,
        address subject,
        uint64 validFrom,
        uint64 validUntil,
        uint32 accreditationEpoch
    );

    /// @notice The issuer bound the digest `claimsDigest` of the credential's claims to `credentialId` at
    ///         registration (only for claims that are business data, such as a trading partner's GLN; never for
    ///         personal data). Emitted right after {CredentialRegistered}.
    /// @param credentialId The credential.
    /// @param claimsDigest The digest of its claims, in the encoding of the contract that reads it.
    event CredentialClaimsBound(bytes32 indexed credentialId, bytes32 claimsDigest);

    /// @notice Credential `credentialId` was revoked by `revokedBy` (its issuer or governance).
    /// @param credentialId The credential.
    /// @param revokedBy The account that revoked it.
    event CredentialRevoked(bytes32 indexed credentialId, address revokedBy);

    /// @notice `account` claimed the role of `typeId` with credential `credentialId` (replacing any earlier one).
    /// @param account The subject, now holding the role while the credential stays valid.
    /// @param typeId The credential type (the role).
    /// @param credentialId The credential it presented.
    event RoleClaimed(address indexed account, bytes32 indexed typeId, bytes32 credentialId);

    /// @notice The role that accredits and de-accredits issuers and may revoke any credential:
    ///         `keccak256("GOVERNANCE_ROLE")`, held by the consortium's timelock.
    /// @return The role identifier.
    function GOVERNANCE_ROLE() external view returns (bytes32);

    /// @notice Accredits `issuer` for credentials of `typeId`, under a new accreditation epoch.
    /// @dev Only {GOVERNANCE_ROLE}. Reverts with {TrustZeroAddress} if `issuer` is zero, {TrustInvalidType} if
    ///      `typeId` is zero and {TrustAlreadyAccredited} if it is accredited for `typeId` already. Emits
    ///      {IssuerAccredited}.
    /// @param issuer The issuer (a medical board, a GS1 member organisation, an ethics committee).
    /// @param typeId The credential type.
    function accredit(address issuer, bytes32 typeId) external;

    /// @notice Withdraws `issuer`'s accreditation for `typeId`: every credential it registered under that
    ///         accreditation, and every role claimed with one, is invalid from this block on.
    /// @dev Only {GOVERNANCE_ROLE}. Reverts with {TrustIssuerNotAccredited} if it is not accredited for
    ///      `typeId`. Emits {IssuerDeaccredited}.
    /// @param issuer The issuer.
    /// @param typeId The credential type.
    function deaccredit(address issuer, bytes32 typeId) external;

    /// @notice Registers a credential the caller issued, so that its subject can claim the role it gives.
    /// @dev The issuer is `_msgSender()` and must be accredited for `typeId` now
    ///      ({TrustIssuerNotAccredited}`(issuer, typeId)`). Then checks, in this order: `credentialId` is not zero
    ///      ({TrustInvalidCredentialId}) and not registered ({TrustCredentialExists}); `subject` is not zero
    ///      ({TrustZeroAddress}); `validFrom < validUntil` and `validUntil > block.timestamp`
    ///      ({TrustInvalidValidity}). `validFrom` may lie in the past. Emits {CredentialRegistered}.
    /// @param credentialId keccak256 of the credential's `id`.
    /// @param typeId The credential type.
    /// @param subject The credential's subject (holder).
    /// @param validFrom Start of validity (inclusive, block timestamp).
    /// @param validUntil End of validity (exclusive, block timestamp).
    function registerCredential(bytes32 credentialId, bytes32 typeId, address subject, uint64 validFrom, uint64 validUntil)
        external;

    /// @notice As {registerCredential}, and binds the digest of the credential's claims to it, so that a contract
    ///         can check claimed facts against what the issuer attested (e.g. a trading partner's kind, GLN and
    ///         company prefix: business data, never personal data).
    /// @dev Same checks, in the same order, as {registerCredential}; a zero `claimsDigest` binds nothing (same as
    ///      {registerCredential}). Emits {CredentialRegistered}, then {CredentialClaimsBound} for a nonzero digest.
    /// @param credentialId keccak256 of the credential's `id`.
    /// @param typeId The credential type.
    /// @param subject The credential's subject (holder).
    /// @param validFrom Start of validity (inclusive, block timestamp).
    /// @param validUntil End of validity (exclusive, block timestamp).
    /// @param claimsDigest The digest of the claims (see the reading contract for its encoding).
    function registerCredentialWithClaims(
        bytes32 credentialId,
        bytes32 typeId,
        address subject,
        uint64 validFrom,
        uint64 validUntil,
        bytes32 claimsDigest
    ) external;

    /// @notice Revokes credential `credentialId` at once, and with it any role claimed with it.
    /// @dev The caller is `_msgSender()`. Reverts with {TrustUnknownCredential} if it is not registered,
    ///      {TrustNotIssuer} if the caller is neither its issuer nor a holder of {GOVERNANCE_ROLE}, and
    ///      {TrustAlreadyRevoked} if it was revoked already. An issuer may revoke its credentials even after its
    ///      de-accreditation. Emits {CredentialRevoked}.
    /// @param credentialId The credential.
    function revokeCredential(bytes32 credentialId) external;

    /// @notice Claims the role of the credential's type for the caller, who must be the credential's subject.
    /// @dev The caller is `_msgSender()` (the holder signs a relayed request: holder binding on chain). Reverts with
    ///      {TrustUnknownCredential}, then {TrustNotSubject}, then the first failing validity check in the order
    ///      of {checkRole}: {TrustCredentialRevoked}, {TrustCredentialNotYetValid}, {TrustCredentialExpired},
    ///      {TrustIssuerDeaccredited}. Replaces any credential the caller claimed the role with before. Emits
    ///      {RoleClaimed}.
    /// @param credentialId The credential.
    function claimRole(bytes32 credentialId) external;

    /// @notice Tells whether `account` holds the role of `typeId` at this block. Never reverts.
    /// @param typeId The credential type.
    /// @param account The account.
    /// @return True iff {checkRole} would not revert.
    function hasValidRole(bytes32 typeId, address account) external view returns (bool);

    /// @notice Reverts unless `account` holds the role of `typeId` at this block; what other contracts call.
    /// @dev Reverts with {TrustRoleMissing}`(account, typeId)` if it never claimed the role, then, for the
    ///      credential it claimed the role with: {TrustCredentialRevoked}, {TrustCredentialNotYetValid},
    ///      {TrustCredentialExpired}, {TrustIssuerDeaccredited}, in that order.
    /// @param typeId The credential type.
    /// @param account The account.
    /// @return credentialId The valid credential the role rests on.
    function checkRole(bytes32 typeId, address account) external view returns (bytes32 credentialId);

    /// @notice Reverts unless credential `credentialId` is valid at this block; returns it. What contracts call
    ///         that rest a right on one given credential (not on a claimed role).
    /// @dev Reverts with {TrustUnknownCredential} if it is not registered, then {TrustCredentialRevoked},
    ///      {TrustCredentialNotYetValid}, {TrustCredentialExpired}, {TrustIssuerDeaccredited}, in that order.
    /// @param credentialId The credential.
    /// @return credential The stored credential.
    /// @return claimsDigest The digest of its claims bound at registration (zero if none).
    function checkCredential(bytes32 credentialId)
        external
        view
        returns (Credential memory credential, bytes32 claimsDigest);

    /// @notice The digest of the claims bound to `credentialId` at registration (zero if none or unknown).
    /// @param credentialId The credential.
    /// @return The digest.
    function claimsDigestOf(bytes32 credentialId) external view returns (bytes32);

    /// @notice The credential `account` claimed the role of `typeId` with (zero if none), valid or not.
    /// @param typeId The credential type.
    /// @param account The account.
    /// @return The credential id.
    function roleCredential(bytes32 typeId, address account) external view returns (bytes32);

    /// @notice Tells whether `issuer` is accredited for `typeId` now.
    /// @param issuer The issuer.
    /// @param typeId The credential type.
    /// @return True if accredited.
    function isAccredited(address issuer, bytes32 typeId) external view returns (bool);

    /// @notice `issuer`'s current accreditation for `typeId`.
    /// @param issuer The issuer.
    /// @param typeId The credential type.
    /// @return epoch The accreditation's epoch (0 when not accredited).
    /// @return since Block timestamp of the accreditation (0 when not accredited).
    function accreditation(address issuer, bytes32 typeId) external view returns (uint32 epoch, uint64 since);

    /// @notice Tells whether credential `credentialId` is revoked (false for an unknown id).
    /// @param credentialId The credential.
    /// @return True if registered and revoked.
    function isRevoked(bytes32 credentialId) external view returns (bool);

    /// @notice The credential's state at this block (its first failing check, in the order of {checkRole}).
    /// @param credentialId The credential.
    /// @return The status; `Unknown` for an unregistered id.
    function credentialStatus(bytes32 credentialId) external view returns (CredentialStatus);

    /// @notice Returns credential `credentialId`. Reverts with {TrustUnknownCredential} if it is not registered.
    /// @param credentialId The credential.
    /// @return The stored credential.
    function getCredential(bytes32 credentialId) external view returns (Credential memory);
}
