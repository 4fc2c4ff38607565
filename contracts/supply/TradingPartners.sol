// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ITrustRegistry} from "../identity/ITrustRegistry.sol";
import {AccessControlRecipient} from "../utils/AccessControlRecipient.sol";
import {GS1} from "./GS1.sol";
import {ITradingPartners, KIND_MANUFACTURER, KIND_REGULATOR, TRADING_PARTNER_CREDENTIAL} from "./ITradingPartners.sol";

/// @title TradingPartners
/// @author medchain
/// @notice Registry of the supply chain's authorized trading partners and of manufacturers' GS1 Company
///         Prefixes; see {ITradingPartners}.
/// @dev {AccessControlRecipient}: ERC-2771 recipient of the trusted forwarder given at deployment (immutable) and
///      AccessControl for {REGISTRAR_ROLE}; both read the acting account through the ERC-2771 `_msgSender()`.
///      Credentials are checked against the {ITrustRegistry} given at deployment (immutable).
contract TradingPartners is ITradingPartners, AccessControlRecipient {
    /// @dev One company-prefix node, keyed by {GS1.prefixKey}: `owner` is set on the node of a registered
    ///      prefix; `extended` is set on every shorter node (4.. digits) that a registered prefix begins with,
    ///      so that registering such a shorter prefix is refused in one read. One slot.
    struct PrefixNode {
        address owner;
        bool extended;
    }

    /// @dev A partner as stored: {ITradingPartners.Partner} plus whether its right rests on a credential
    ///      (so that registrar-registered partners cost no extra read). One slot.
    struct StoredPartner {
        uint8 kind;
        bool active;
        bool credentialed;
        uint64 gln;
        uint64 registeredAt;
    }

    /// @inheritdoc ITradingPartners
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");

    ITrustRegistry private immutable _trust;

    mapping(address account => StoredPartner partner) private _partners;
    mapping(address account => bytes32 credentialId) private _credentials;
    mapping(uint64 gln => address account) private _glnHolders;
    mapping(uint256 prefixKey => PrefixNode node) private _prefixes;
    uint256 private _partnerCount;

    /// @notice Deploys the registry.
    /// @dev Reverts with {SupplyZeroAddress} if `admin` or `trust` is zero.
    /// @param trustedForwarder The ERC-2771 forwarder whose relayed calls are attributed to their signer
    ///        (address(0) disables relaying).
    /// @param admin The holder of `DEFAULT_ADMIN_ROLE` (later the consortium's timelock), who grants {REGISTRAR_ROLE}.
    /// @param trust The consortium's {ITrustRegistry}, which partners' credentials are checked against.
    constructor(address trustedForwarder, address admin, address trust) AccessControlRecipient(trustedForwarder) {
        if (admin == address(0) || trust == address(0)) revert SupplyZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _trust = ITrustRegistry(trust);
    }

    /// @inheritdoc ITradingPartners
    function registerPartner(address account, uint8 kind, uint64 gln, string calldata companyPrefix) external {
        address registrar = _msgSender();
        _checkRole(REGISTRAR_ROLE, registrar);
        if (account == address(0)) revert SupplyZeroAddress();
        if (_partners[account].kind != 0) revert SupplyPartnerExists(account);
        bool withPrefix = bytes(companyPrefix).length != 0;
        _register(account, kind, gln, registrar, false);
        if (withPrefix && kind != KIND_MANUFACTURER) revert SupplyNotManufacturer(account);
        if (withPrefix) _addPrefix(account, companyPrefix);
    }

    /// @inheritdoc ITradingPartners
    function registerWithCredential(bytes32 credentialId, uint8 kind, uint64 gln, string calldata companyPrefix)
        external
    {
        address account = _msgSender();
        if (_partners[account].kind != 0) revert SupplyPartnerExists(account);
        (ITrustRegistry.Credential memory credential, bytes32 digest) = _trust.checkCredential(credentialId);
        if (credential.typeId != TRADING_PARTNER_CREDENTIAL) {
            revert SupplyWrongCredentialType(credentialId, credential.typeId);
        }
        if (credential.subject != account) revert SupplyNotCredentialSubject(credentialId, account);
        if (digest != keccak256(abi.encode(kind, gln, companyPrefix))) revert SupplyClaimsMismatch(credentialId);

        _register(account, kind, gln, credential.issuer, true);
        _credentials[account] = credentialId;
        emit PartnerCredentialBound(account, credentialId);
        if (kind == KIND_MANUFACTURER) _addPrefix(account, companyPrefix);
    }

    /// @inheritdoc ITradingPartners
    function renewCredential(bytes32 credentialId, uint8 kind, uint64 gln, string calldata companyPrefix) external {
        address account = _msgSender();
        StoredPartner memory partner = _partners[account];
        if (partner.kind == 0) revert SupplyUnknownPartner(account);
        if (!partner.credentialed) revert SupplyNotCredentialPartner(account);
        bytes32 previous = _credentials[account];
        if (credentialId == previous) revert SupplyCredentialAlreadyBound(account, credentialId);
        bytes32 claims = keccak256(abi.encode(kind, gln, companyPrefix));
        if (kind != partner.kind || gln != partner.gln || claims != _trust.claimsDigestOf(previous)) {
            revert SupplyRenewalClaimsChanged(account, kind, gln, companyPrefix);
        }
        (ITrustRegistry.Credential memory credential, bytes32 digest) = _trust.checkCredential(credentialId);
        if (credential.typeId != TRADING_PARTNER_CREDENTIAL) {
            revert SupplyWrongCredentialType(credentialId, credential.typeId);
        }
        if (credential.subject != account) revert SupplyNotCredentialSubject(credentialId, account);
        if (digest != claims) revert SupplyClaimsMismatch(credentialId);

        _credentials[account] = credentialId;
        emit PartnerCredentialRenewed(account, previous, credentialId);
    }

    /// @inheritdoc ITradingPartners
    function addCompanyPrefix(address account, string calldata companyPrefix) external {
        _checkRole(REGISTRAR_ROLE, _msgSender());
        uint8 kind = _partners[account].kind;
        if (kind == 0) revert SupplyUnknownPartner(account);
        if (kind != KIND_MANUFACTURER) revert SupplyNotManufacturer(account);
        _addPrefix(account, companyPrefix);
    }

    /// @inheritdoc ITradingPartners
    function setPartnerActive(address account, bool active) external {
        _checkRole(REGISTRAR_ROLE, _msgSender());
        StoredPartner storage partner = _partners[account];
        if (partner.kind == 0) revert SupplyUnknownPartner(account);
        partner.active = active;
        emit PartnerActiveSet(account, active);
    }

    /// @inheritdoc ITradingPartners
    function partnerOf(address account) external view returns (Partner memory) {
        StoredPartner memory partner = _partners[account];
        if (partner.kind == 0) revert SupplyUnknownPartner(account);
        return Partner({kind: partner.kind, active: partner.active, gln: partner.gln, registeredAt: partner.registeredAt});
    }

    /// @inheritdoc ITradingPartners
    function checkPartner(address account) external view returns (uint8 kind, bool active) {
        StoredPartner memory partner = _partners[account];
        if (partner.credentialed) _trust.checkCredential(_credentials[account]);
        return (partner.kind, partner.active);
    }

    /// @inheritdoc ITradingPartners
    function credentialOf(address account) external view returns (bytes32) {
        return _credentials[account];
    }

    /// @inheritdoc ITradingPartners
    function trustRegistry() external view returns (ITrustRegistry) {
        return _trust;
    }

    /// @inheritdoc ITradingPartners
    function partnerClaimsDigest(uint8 kind, uint64 gln, string calldata companyPrefix) external pure returns (bytes32) {
        return keccak256(abi.encode(kind, gln, companyPrefix));
    }

    /// @inheritdoc ITradingPartners
    function isPartner(address account, uint8 kind) external view returns (bool) {
        StoredPartner memory partner = _partners[account];
        return kind != 0 && partner.kind == kind && partner.active && _credentialHolds(account, partner);
    }

    /// @inheritdoc ITradingPartners
    function isActivePartner(address account) external view returns (bool) {
        StoredPartner memory partner = _partners[account];
        return partner.active && _credentialHolds(account, partner);
    }

    /// @inheritdoc ITradingPartners
    function ownsPrefix(address account, string calldata companyPrefix) external view returns (bool) {
        return account != address(0) && ownerOfPrefix(companyPrefix) == account;
    }

    /// @inheritdoc ITradingPartners
    function ownerOfPrefix(string calldata companyPrefix) public view returns (address) {
        (bool valid, uint256 length, uint256 value) = GS1.parsePrefix(companyPrefix);
        if (!valid) return address(0);
        return _prefixes[GS1.prefixKey(length, value)].owner;
    }

    /// @inheritdoc ITradingPartners
    function ownerOfGtin(uint64 gtin) external view returns (address) {
        for (uint256 length = GS1.MIN_PREFIX_LENGTH; length <= GS1.MAX_PREFIX_LENGTH; ++length) {
            address owner = _prefixes[GS1.prefixKey(length, GS1.gtinPrefixValue(gtin, length))].owner;
            if (owner != address(0)) return owner;
        }
        return address(0);
    }

    /// @inheritdoc ITradingPartners
    function partnerOfGln(uint64 gln) external view returns (address) {
        return _glnHolders[gln];
    }

    /// @inheritdoc ITradingPartners
    function partnerCount() external view returns (uint256) {
        return _partnerCount;
    }

    /// @notice ERC-165: {ITradingPartners}, AccessControl's `IAccessControl` and ERC-165 itself.
    /// @param interfaceId The interface identifier to test.
    /// @return True if this contract implements `interfaceId`.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(ITradingPartners).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @dev Registers `account` (not registered, not zero) as an active partner after the kind and GLN checks of
    ///      {registerPartner}; emits {PartnerRegistered}.
    function _register(address account, uint8 kind, uint64 gln, address registrar, bool credentialed) private {
        if (kind == 0 || kind > KIND_REGULATOR) revert SupplyInvalidKind(kind);
        if (!GS1.isValidGln(gln)) revert SupplyInvalidGln(gln);
        address holder = _glnHolders[gln];
        if (holder != address(0)) revert SupplyGlnTaken(gln, holder);

        _partners[account] = StoredPartner({
            kind: kind,
            active: true,
            credentialed: credentialed,
            gln: gln,
            registeredAt: uint64(block.timestamp)
        });
        _glnHolders[gln] = account;
        unchecked {
            ++_partnerCount;
        }
        emit PartnerRegistered(account, kind, gln, registrar);
    }

    /// @dev True unless `partner` registered by credential and that credential is not valid now. Never reverts.
    function _credentialHolds(address account, StoredPartner memory partner) private view returns (bool) {
        if (!partner.credentialed) return true;
        return _trust.credentialStatus(_credentials[account]) == ITrustRegistry.CredentialStatus.Valid;
    }

    /// @dev Registers `companyPrefix` to `account` (a manufacturer), keeping the prefixes prefix-free: the
    ///      prefix's own node must be neither owned nor extended, and none of its shorter nodes owned; then
    ///      its node gets the owner and every shorter node (4.. digits) the `extended` mark.
    function _addPrefix(address account, string calldata companyPrefix) private {
        (bool valid, uint256 length, uint256 value) = GS1.parsePrefix(companyPrefix);
        if (!valid) revert SupplyInvalidPrefix(companyPrefix);
        PrefixNode storage node = _prefixes[GS1.prefixKey(length, value)];
        if (node.owner != address(0) || node.extended) revert SupplyPrefixTaken(companyPrefix);
        uint256 shorter = value;
        for (uint256 k = length - 1; k >= GS1.MIN_PREFIX_LENGTH; --k) {
            shorter /= 10;
            if (_prefixes[GS1.prefixKey(k, shorter)].owner != address(0)) revert SupplyPrefixTaken(companyPrefix);
        }
        node.owner = account;
        shorter = value;
        for (uint256 k = length - 1; k >= GS1.MIN_PREFIX_LENGTH; --k) {
            shorter /= 10;
            _prefixes[GS1.prefixKey(k, shorter)].extended = true;
        }
        emit CompanyPrefixAdded(account, companyPrefix);
    }
}
