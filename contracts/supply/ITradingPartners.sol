// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ITrustRegistry} from "../identity/ITrustRegistry.sol";

/// @dev Partner kinds ({ITradingPartners.Partner.kind}); 0 is "not registered".
uint8 constant KIND_MANUFACTURER = 1;
uint8 constant KIND_REPACKAGER = 2;
uint8 constant KIND_WHOLESALER = 3;
uint8 constant KIND_DISPENSER = 4;
uint8 constant KIND_REGULATOR = 5;

/// @dev The trust-registry type id of the credential a partner registers itself with:
///      `keccak256("AuthorizedTradingPartnerCredential")`.
bytes32 constant TRADING_PARTNER_CREDENTIAL = keccak256("AuthorizedTradingPartnerCredential");

/// @title ITradingPartners
/// @author medchain
/// @notice The registry of authorized trading partners of the medicine supply chain: which accounts may
///         anchor supply events, hold and ship digital twins, dispense and recall, with their kind, their
///         Global Location Number (GLN) and, for manufacturers, the GS1 Company Prefixes they own. A
///         partner registers itself with an authorized-trading-partner credential that an issuer accredited by
///         the consortium registered in the {ITrustRegistry} with the digest of its claims (kind, GLN, company
///         prefix: {partnerClaimsDigest}); such a partner may act only while that credential stays valid, so
///         revoking it, its expiry or its issuer's de-accreditation stops the partner at once. A registrar (the
///         node operator's genesis and demo configuration) may still register partners directly, and may
///         suspend and reinstate any partner. Nothing here is personal data.
///
///         Kinds: 1 manufacturer, 2 repackager, 3 wholesaler, 4 dispenser, 5 regulator.
///
///         Company prefixes (4 to 12 digits, leading zeros significant) are prefix-free, as GS1 allocates
///         them: a prefix is registered to one manufacturer only, and no registered prefix begins with
///         another registered prefix. So every GTIN belongs to at most one registered prefix, hence to at
///         most one manufacturer ({ownerOfGtin}; the rule is in {GS1}).
/// @dev Implementations are ERC-2771 recipients (the acting account is `_msgSender()`, so the registrar may
///      act through the trusted forwarder) and use OpenZeppelin AccessControl: `DEFAULT_ADMIN_ROLE` (the
///      consortium's governance) grants and revokes {REGISTRAR_ROLE}; role failures revert with AccessControl's
///      `AccessControlUnauthorizedAccount(account, neededRole)`. A partner is never deleted; its kind and GLN
///      never change.
interface ITradingPartners {
    /// @notice A registered partner. Packed into one storage slot.
    /// @param kind 1 manufacturer, 2 repackager, 3 wholesaler, 4 dispenser, 5 regulator.
    /// @param active Whether the partner may act now (false while suspended by the registrar).
    /// @param gln The partner's Global Location Number (13 digits as an integer, valid check digit; unique).
    /// @param registeredAt Block timestamp of the registration.
    struct Partner {
        uint8 kind;
        bool active;
        uint64 gln;
        uint64 registeredAt;
    }

    /// @notice The admin given at deployment, or the account to register, is the zero address.
    error SupplyZeroAddress();

    /// @notice `account` is already registered.
    /// @param account The registered account.
    error SupplyPartnerExists(address account);

    /// @notice `account` is not a registered partner.
    /// @param account The unknown account.
    error SupplyUnknownPartner(address account);

    /// @notice The kind is not one of 1..5.
    /// @param kind The rejected kind.
    error SupplyInvalidKind(uint8 kind);

    /// @notice `gln` is not a GLN: zero, more than 13 digits, or a wrong check digit.
    /// @param gln The rejected GLN.
    error SupplyInvalidGln(uint64 gln);

    /// @notice `gln` is already the GLN of `holder`.
    /// @param gln The GLN.
    /// @param holder The partner registered with it.
    error SupplyGlnTaken(uint64 gln, address holder);

    /// @notice `companyPrefix` is not 4 to 12 ASCII digits.
    /// @param companyPrefix The rejected prefix.
    error SupplyInvalidPrefix(string companyPrefix);

    /// @notice `companyPrefix` is registered already, or begins with a registered prefix, or a registered
    ///         prefix begins with it (prefixes are prefix-free).
    /// @param companyPrefix The rejected prefix.
    error SupplyPrefixTaken(string companyPrefix);

    /// @notice A company prefix was given for `account`, which is not a manufacturer.
    /// @param account The partner (or account being registered).
    error SupplyNotManufacturer(address account);

    /// @notice Credential `credentialId` is not an authorized-trading-partner credential (its type is `typeId`).
    /// @param credentialId The credential.
    /// @param typeId Its type.
    error SupplyWrongCredentialType(bytes32 credentialId, bytes32 typeId);

    /// @notice `caller` is not the subject of credential `credentialId`.
    /// @param credentialId The credential.
    /// @param caller The account that tried to register with it.
    error SupplyNotCredentialSubject(bytes32 credentialId, address caller);

    /// @notice The kind, GLN and company prefix given are not the claims the issuer bound to `credentialId`
    ///         (or it bound none).
    /// @param credentialId The credential.
    error SupplyClaimsMismatch(bytes32 credentialId);

    /// @notice `account` was registered by the registrar, not by credential, so it has no credential to renew.
    /// @param account The partner.
    error SupplyNotCredentialPartner(address account);

    /// @notice `credentialId` is already the credential `account`'s right rests on: renewal needs a new one.
    /// @param account The partner.
    /// @param credentialId The credential given.
    error SupplyCredentialAlreadyBound(address account, bytes32 credentialId);

    /// @notice A renewal gave claims other than `account`'s own: its kind, GLN and company prefix never change
    ///         (the kind and GLN stored, the prefix bound to its current credential).
    /// @param account The partner.
    /// @param kind The kind given.
    /// @param gln The GLN given.
    /// @param companyPrefix The company prefix given.
    error SupplyRenewalClaimsChanged(address account, uint8 kind, uint64 gln, string companyPrefix);

    /// @notice The registrar `registrar` registered `account` as a partner of `kind` with `gln` (active).
    /// @param account The partner.
    /// @param kind Its kind (1..5).
    /// @param gln Its GLN.
    /// @param registrar The registrar that registered it (for a registration by credential: the credential's issuer).
    event PartnerRegistered(address indexed account, uint8 indexed kind, uint64 gln, address registrar);

    /// @notice `account` registered itself with credential `credentialId`; it may act while that stays valid.
    /// @param account The partner.
    /// @param credentialId The trust-registry credential its right rests on.
    event PartnerCredentialBound(address indexed account, bytes32 indexed credentialId);

    /// @notice `account` renewed its right: it now rests on `credentialId` instead of `previousCredentialId`.
    /// @param account The partner.
    /// @param previousCredentialId The credential it rested on (possibly revoked, expired or de-accredited).
    /// @param credentialId The new credential; the partner may act while it stays valid.
    event PartnerCredentialRenewed(address indexed account, bytes32 indexed previousCredentialId, bytes32 indexed credentialId);

    /// @notice The registrar suspended (`active` false) or reinstated (`active` true) partner `account`.
    /// @param account The partner.
    /// @param active Whether it may act now.
    event PartnerActiveSet(address indexed account, bool active);

    /// @notice GS1 Company Prefix `companyPrefix` was registered to manufacturer `account`.
    /// @param account The manufacturer.
    /// @param companyPrefix The prefix (digits, leading zeros kept).
    event CompanyPrefixAdded(address indexed account, string companyPrefix);

    /// @notice The role that may register partners, suspend them and add prefixes: `keccak256("REGISTRAR_ROLE")`.
    /// @return The role identifier.
    function REGISTRAR_ROLE() external view returns (bytes32);

    /// @notice Registers `account` as an active partner.
    /// @dev The registrar is `_msgSender()` and must hold {REGISTRAR_ROLE}. Then checks, in this order:
    ///      `account` is not zero ({SupplyZeroAddress}) and not registered ({SupplyPartnerExists}); `kind` is
    ///      1..5 ({SupplyInvalidKind}); `gln` is valid ({SupplyInvalidGln}) and not held by another partner
    ///      ({SupplyGlnTaken}); if `companyPrefix` is not empty: `kind` is manufacturer
    ///      ({SupplyNotManufacturer}), the prefix is 4..12 digits ({SupplyInvalidPrefix}) and free
    ///      ({SupplyPrefixTaken}). Emits {PartnerRegistered}, then {CompanyPrefixAdded} if a prefix was given.
    /// @param account The partner's account.
    /// @param kind 1 manufacturer, 2 repackager, 3 wholesaler, 4 dispenser, 5 regulator.
    /// @param gln The partner's GLN (13 digits as an integer, leading zeros implicit).
    /// @param companyPrefix A first GS1 Company Prefix of a manufacturer, or the empty string.
    function registerPartner(address account, uint8 kind, uint64 gln, string calldata companyPrefix) external;

    /// @notice Registers the caller as an active partner with its authorized-trading-partner credential.
    /// @dev The account is `_msgSender()` (the partner signs a relayed request: gasless). Checks, in this order:
    ///      the caller is not registered ({SupplyPartnerExists}: a partner renews with {renewCredential}); the credential is valid now (the trust
    ///      registry's {ITrustRegistry-checkCredential} errors: `TrustUnknownCredential`,
    ///      `TrustCredentialRevoked`, `TrustCredentialNotYetValid`, `TrustCredentialExpired`,
    ///      `TrustIssuerDeaccredited`); its type is {TRADING_PARTNER_CREDENTIAL} ({SupplyWrongCredentialType});
    ///      the caller is its subject ({SupplyNotCredentialSubject}); `partnerClaimsDigest(kind, gln,
    ///      companyPrefix)` equals the digest the issuer bound ({SupplyClaimsMismatch}); then the checks of
    ///      {registerPartner} on kind and GLN. A manufacturer's prefix is registered to it (checked as in
    ///      {registerPartner}); any other kind's prefix is only bound by the digest, not registered. Emits
    ///      {PartnerRegistered} (registrar: the credential's issuer), {PartnerCredentialBound}, then
    ///      {CompanyPrefixAdded} for a manufacturer.
    /// @param credentialId The trust-registry id of the credential (keccak256 of its VC `id`).
    /// @param kind The claimed kind (1..5).
    /// @param gln The claimed GLN.
    /// @param companyPrefix The claimed GS1 Company Prefix (as in the credential).
    function registerWithCredential(bytes32 credentialId, uint8 kind, uint64 gln, string calldata companyPrefix)
        external;

    /// @notice Rebinds the caller, a partner registered by credential, to a new authorized-trading-partner
    ///         credential with the same claims: how a partner whose credential was revoked, expired or whose
    ///         issuer was de-accredited acts again, or renews ahead of expiry (allowed at any time).
    /// @dev The account is `_msgSender()` (gasless through the forwarder). Checks, in this order: the caller is
    ///      registered ({SupplyUnknownPartner}) by credential ({SupplyNotCredentialPartner}: a registrar's
    ///      partner keeps the registrar's path); `credentialId` is not its current credential
    ///      ({SupplyCredentialAlreadyBound}); `kind` and `gln` are the stored ones and `partnerClaimsDigest(kind,
    ///      gln, companyPrefix)` is the digest bound to its current credential, i.e. the same prefix
    ///      ({SupplyRenewalClaimsChanged}); then the new credential as in {registerWithCredential}: valid now
    ///      (the trust registry's errors), of type {TRADING_PARTNER_CREDENTIAL} ({SupplyWrongCredentialType}),
    ///      about the caller ({SupplyNotCredentialSubject}), with that digest bound ({SupplyClaimsMismatch}).
    ///      Changes nothing else: kind, GLN, prefixes, registration time and the registrar's suspension stay.
    ///      Emits {PartnerCredentialRenewed}.
    /// @param credentialId The trust-registry id of the new credential (keccak256 of its VC `id`).
    /// @param kind The partner's kind (unchanged).
    /// @param gln The partner's GLN (unchanged).
    /// @param companyPrefix The company prefix of its credentials (unchanged).
    function renewCredential(bytes32 credentialId, uint8 kind, uint64 gln, string calldata companyPrefix) external;

    /// @notice Registers one more GS1 Company Prefix to manufacturer `account`.
    /// @dev Registrar only (AccessControl). Then reverts with {SupplyUnknownPartner} if `account` is not
    ///      registered, {SupplyNotManufacturer} if it is not a manufacturer, {SupplyInvalidPrefix} and
    ///      {SupplyPrefixTaken} as in {registerPartner}. Suspended manufacturers may receive prefixes.
    ///      Emits {CompanyPrefixAdded}.
    /// @param account The manufacturer.
    /// @param companyPrefix The prefix (4..12 digits).
    function addCompanyPrefix(address account, string calldata companyPrefix) external;

    /// @notice Suspends (`active` false) or reinstates (`active` true) partner `account`.
    /// @dev Registrar only (AccessControl). Reverts with {SupplyUnknownPartner} if `account` is not registered.
    ///      Idempotent: setting the current value again emits again. A suspended partner keeps its prefixes,
    ///      anchors and twins but cannot anchor, receive, ship, mint, dispense or recall. Emits {PartnerActiveSet}.
    /// @param account The partner.
    /// @param active Whether it may act.
    function setPartnerActive(address account, bool active) external;

    /// @notice Returns partner `account`. Reverts with {SupplyUnknownPartner} if it is not registered.
    /// @param account The partner.
    /// @return The stored partner.
    function partnerOf(address account) external view returns (Partner memory);

    /// @notice `account`'s kind and whether it is active, reverting if its right rests on a credential that is
    ///         no longer valid: what contracts call before letting a partner act, so that the refusal names why.
    /// @dev For a partner registered by credential, reverts with the trust registry's
    ///      {ITrustRegistry-checkCredential} error (`TrustCredentialRevoked`, `TrustCredentialExpired`,
    ///      `TrustIssuerDeaccredited`, ...). Never reverts for other accounts.
    /// @param account The account.
    /// @return kind Its kind (0 if not registered).
    /// @return active Whether the registrar has it active (false if not registered).
    function checkPartner(address account) external view returns (uint8 kind, bool active);

    /// @notice The credential `account` registered itself with (zero for a registrar's registration or none).
    /// @param account The account.
    /// @return The trust-registry credential id.
    function credentialOf(address account) external view returns (bytes32);

    /// @notice The trust registry that partners' credentials are checked against.
    /// @return The registry.
    function trustRegistry() external view returns (ITrustRegistry);

    /// @notice The digest an issuer binds to a trading-partner credential in the trust registry:
    ///         `keccak256(abi.encode(kind, gln, companyPrefix))`.
    /// @param kind The partner kind (1..5; the credential's role).
    /// @param gln The GLN.
    /// @param companyPrefix The GS1 Company Prefix, digits as in the credential.
    /// @return The digest.
    function partnerClaimsDigest(uint8 kind, uint64 gln, string calldata companyPrefix) external pure returns (bytes32);

    /// @notice Tells whether `account` is a registered, active partner of `kind`.
    /// @param account The account.
    /// @param kind The kind (1..5; any other value gives false).
    /// @return True if registered, active, of that kind, and (if registered by credential) its credential valid.
    function isPartner(address account, uint8 kind) external view returns (bool);

    /// @notice Tells whether `account` is a registered, active partner of any kind.
    /// @param account The account.
    /// @return True if registered, active and (if registered by credential) its credential valid.
    function isActivePartner(address account) external view returns (bool);

    /// @notice Tells whether `companyPrefix` is registered to `account` (whether or not it is active).
    /// @param account The account.
    /// @param companyPrefix The prefix (any string; an invalid one gives false).
    /// @return True if `account` owns exactly this prefix.
    function ownsPrefix(address account, string calldata companyPrefix) external view returns (bool);

    /// @notice Returns the manufacturer that owns `companyPrefix`.
    /// @param companyPrefix The prefix (any string).
    /// @return The owner, or the zero address if the prefix is not registered (or invalid).
    function ownerOfPrefix(string calldata companyPrefix) external view returns (address);

    /// @notice Returns the manufacturer whose registered company prefix begins the GTIN-13 body of `gtin`.
    /// @dev Prefixes are prefix-free, so at most one matches. Does not check the GTIN's check digit.
    /// @param gtin A GTIN-14 as an integer.
    /// @return The owner, or the zero address if no registered prefix matches.
    function ownerOfGtin(uint64 gtin) external view returns (address);

    /// @notice Returns the partner registered with `gln`.
    /// @param gln A GLN.
    /// @return The partner, or the zero address if none.
    function partnerOfGln(uint64 gln) external view returns (address);

    /// @notice Returns how many partners were registered (active or not).
    /// @return The number of partners.
    function partnerCount() external view returns (uint256);
}
