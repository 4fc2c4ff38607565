// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessControlRecipient} from "../utils/AccessControlRecipient.sol";
import {ITrustRegistry} from "./ITrustRegistry.sol";

/// @title TrustRegistry
/// @author medchain
/// @notice Accredited issuers, registered credentials (status and revocation) and the roles claimed with them;
///         see {ITrustRegistry}.
/// @dev {AccessControlRecipient}: ERC-2771 recipient of the trusted forwarder given at deployment (immutable) and
///      AccessControl for {GOVERNANCE_ROLE}; both read the acting account through the ERC-2771 `_msgSender()`.
contract TrustRegistry is ITrustRegistry, AccessControlRecipient {
    /// @dev An accreditation: `epoch` 0 means "not accredited". One slot.
    struct Accreditation {
        uint32 epoch;
        uint64 since;
    }

    /// @dev A credential as stored: the fields of {ITrustRegistry.Credential} packed into three slots:
    ///      slot 0 = typeId; slot 1 = issuer, validFrom, accreditationEpoch; slot 2 = subject, validUntil, revoked.
    struct StoredCredential {
        bytes32 typeId;
        address issuer;
        uint64 validFrom;
        uint32 accreditationEpoch;
        address subject;
        uint64 validUntil;
        bool revoked;
    }

    /// @inheritdoc ITrustRegistry
    bytes32 public constant GOVERNANCE_ROLE = keccak256("GOVERNANCE_ROLE");

    mapping(address issuer => mapping(bytes32 typeId => Accreditation accreditation)) private _accreditations;
    mapping(bytes32 credentialId => StoredCredential credential) private _credentials;
    mapping(bytes32 typeId => mapping(address account => bytes32 credentialId)) private _roles;
    mapping(bytes32 credentialId => bytes32 claimsDigest) private _claimsDigests;
    uint32 private _epochs;

    /// @notice Deploys the registry.
    /// @dev Reverts with {TrustZeroAddress} if `governance` is zero.
    /// @param trustedForwarder The ERC-2771 forwarder whose relayed calls are attributed to their signer
    ///        (address(0) disables relaying).
    /// @param governance The consortium's timelock: holder of `DEFAULT_ADMIN_ROLE` and {GOVERNANCE_ROLE}.
    constructor(address trustedForwarder, address governance) AccessControlRecipient(trustedForwarder) {
        if (governance == address(0)) revert TrustZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, governance);
        _grantRole(GOVERNANCE_ROLE, governance);
    }

    /// @inheritdoc ITrustRegistry
    function accredit(address issuer, bytes32 typeId) external onlyRole(GOVERNANCE_ROLE) {
        if (issuer == address(0)) revert TrustZeroAddress();
        if (typeId == bytes32(0)) revert TrustInvalidType();
        Accreditation storage a = _accreditations[issuer][typeId];
        if (a.epoch != 0) revert TrustAlreadyAccredited(issuer, typeId);
        uint32 epoch = ++_epochs;
        a.epoch = epoch;
        a.since = uint64(block.timestamp);
        emit IssuerAccredited(issuer, typeId, epoch);
    }

    /// @inheritdoc ITrustRegistry
    function deaccredit(address issuer, bytes32 typeId) external onlyRole(GOVERNANCE_ROLE) {
        uint32 epoch = _accreditations[issuer][typeId].epoch;
        if (epoch == 0) revert TrustIssuerNotAccredited(issuer, typeId);
        delete _accreditations[issuer][typeId];
        emit IssuerDeaccredited(issuer, typeId, epoch);
    }

    /// @inheritdoc ITrustRegistry
    function registerCredential(bytes32 credentialId, bytes32 typeId, address subject, uint64 validFrom, uint64 validUntil)
        external
    {
        _register(credentialId, typeId, subject, validFrom, validUntil);
    }

    /// @inheritdoc ITrustRegistry
    function registerCredentialWithClaims(
        bytes32 credentialId,
        bytes32 typeId,
        address subject,
        uint64 validFrom,
        uint64 validUntil,
        bytes32 claimsDigest
    ) external {
        _register(credentialId, typeId, subject, validFrom, validUntil);
        if (claimsDigest != bytes32(0)) {
            _claimsDigests[credentialId] = claimsDigest;
            emit CredentialClaimsBound(credentialId, claimsDigest);
        }
    }

    /// @inheritdoc ITrustRegistry
    function revokeCredential(bytes32 credentialId) external {
        StoredCredential storage c = _credentials[credentialId];
        address issuer = c.issuer;
        if (issuer == address(0)) revert TrustUnknownCredential(credentialId);
        address caller = _msgSender();
        if (caller != issuer && !hasRole(GOVERNANCE_ROLE, caller)) revert TrustNotIssuer(credentialId, caller);
        if (c.revoked) revert TrustAlreadyRevoked(credentialId);
        c.revoked = true;
        emit CredentialRevoked(credentialId, caller);
    }

    /// @inheritdoc ITrustRegistry
    function claimRole(bytes32 credentialId) external {
        StoredCredential memory c = _credentials[credentialId];
        if (c.issuer == address(0)) revert TrustUnknownCredential(credentialId);
        address caller = _msgSender();
        if (caller != c.subject) revert TrustNotSubject(credentialId, caller);
        _requireValid(credentialId, c);
        _roles[c.typeId][caller] = credentialId;
        emit RoleClaimed(caller, c.typeId, credentialId);
    }

    /// @inheritdoc ITrustRegistry
    function hasValidRole(bytes32 typeId, address account) external view returns (bool) {
        bytes32 credentialId = _roles[typeId][account];
        if (credentialId == bytes32(0)) return false;
        return _status(_credentials[credentialId]) == CredentialStatus.Valid;
    }

    /// @inheritdoc ITrustRegistry
    function checkRole(bytes32 typeId, address account) external view returns (bytes32 credentialId) {
        credentialId = _roles[typeId][account];
        if (credentialId == bytes32(0)) revert TrustRoleMissing(account, typeId);
        _requireValid(credentialId, _credentials[credentialId]);
    }

    /// @inheritdoc ITrustRegistry
    function checkCredential(bytes32 credentialId)
        external
        view
        returns (Credential memory credential, bytes32 claimsDigest)
    {
        StoredCredential memory c = _credentials[credentialId];
        if (c.issuer == address(0)) revert TrustUnknownCredential(credentialId);
        _requireValid(credentialId, c);
        credential = _toCredential(c);
        claimsDigest = _claimsDigests[credentialId];
    }

    /// @inheritdoc ITrustRegistry
    function claimsDigestOf(bytes32 credentialId) external view returns (bytes32) {
        return _claimsDigests[credentialId];
    }

    /// @inheritdoc ITrustRegistry
    function roleCredential(bytes32 typeId, address account) external view returns (bytes32) {
        return _roles[typeId][account];
    }

    /// @inheritdoc ITrustRegistry
    function isAccredited(address issuer, bytes32 typeId) external view returns (bool) {
        return _accreditations[issuer][typeId].epoch != 0;
    }

    /// @inheritdoc ITrustRegistry
    function accreditation(address issuer, bytes32 typeId) external view returns (uint32 epoch, uint64 since) {
        Accreditation memory a = _accreditations[issuer][typeId];
        return (a.epoch, a.since);
    }

    /// @inheritdoc ITrustRegistry
    function isRevoked(bytes32 credentialId) external view returns (bool) {
        return _credentials[credentialId].revoked;
    }

    /// @inheritdoc ITrustRegistry
    function credentialStatus(bytes32 credentialId) external view returns (CredentialStatus) {
        StoredCredential memory c = _credentials[credentialId];
        if (c.issuer == address(0)) return CredentialStatus.Unknown;
        return _status(c);
    }

    /// @inheritdoc ITrustRegistry
    function getCredential(bytes32 credentialId) external view returns (Credential memory) {
        StoredCredential memory c = _credentials[credentialId];
        if (c.issuer == address(0)) revert TrustUnknownCredential(credentialId);
        return _toCredential(c);
    }

    /// @notice ERC-165: {ITrustRegistry}, AccessControl's `IAccessControl` and ERC-165 itself.
    /// @param interfaceId The interface identifier to test.
    /// @return True if this contract implements `interfaceId`.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(ITrustRegistry).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @dev Registers a credential issued by `_msgSender()` (the checks of {registerCredential}).
    function _register(bytes32 credentialId, bytes32 typeId, address subject, uint64 validFrom, uint64 validUntil)
        private
    {
        address issuer = _msgSender();
        uint32 epoch = _accreditations[issuer][typeId].epoch;
        if (epoch == 0) revert TrustIssuerNotAccredited(issuer, typeId);
        if (credentialId == bytes32(0)) revert TrustInvalidCredentialId();
        if (_credentials[credentialId].issuer != address(0)) revert TrustCredentialExists(credentialId);
        if (subject == address(0)) revert TrustZeroAddress();
        if (validFrom >= validUntil || validUntil <= block.timestamp) revert TrustInvalidValidity(validFrom, validUntil);

        _credentials[credentialId] = StoredCredential({
            typeId: typeId,
            issuer: issuer,
            validFrom: validFrom,
            accreditationEpoch: epoch,
            subject: subject,
            validUntil: validUntil,
            revoked: false
        });
        emit CredentialRegistered(credentialId, typeId, issuer, subject, validFrom, validUntil, epoch);
    }

    /// @dev The external view of a stored credential.
    function _toCredential(StoredCredential memory c) private pure returns (Credential memory) {
        return Credential({
            typeId: c.typeId,
            issuer: c.issuer,
            subject: c.subject,
            validFrom: c.validFrom,
            validUntil: c.validUntil,
            accreditationEpoch: c.accreditationEpoch,
            revoked: c.revoked
        });
    }

    /// @dev The first failing validity check of a registered credential, or Valid.
    function _status(StoredCredential memory c) private view returns (CredentialStatus) {
        if (c.revoked) return CredentialStatus.Revoked;
        if (block.timestamp < c.validFrom) return CredentialStatus.NotYetValid;
        if (block.timestamp >= c.validUntil) return CredentialStatus.Expired;
        if (_accreditations[c.issuer][c.typeId].epoch != c.accreditationEpoch) return CredentialStatus.IssuerDeaccredited;
        return CredentialStatus.Valid;
    }

    /// @dev Reverts with the error of the first failing validity check of a registered credential.
    function _requireValid(bytes32 credentialId, StoredCredential memory c) private view {
        CredentialStatus s = _status(c);
        if (s == CredentialStatus.Valid) return;
        if (s == CredentialStatus.Revoked) revert TrustCredentialRevoked(credentialId);
        if (s == CredentialStatus.NotYetValid) revert TrustCredentialNotYetValid(credentialId);
        if (s == CredentialStatus.Expired) revert TrustCredentialExpired(credentialId);
        revert TrustIssuerDeaccredited(c.issuer, c.typeId);
    }
}
