// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IKeyRegistry
/// @author medchain
/// @notice Directory of the X25519 public keys that accounts publish so that others can wrap
///         (HPKE, RFC 9180) record keys to them. Each account has at most one current key; publishing
///         again replaces it and bumps the account's key version, so readers can tell a rotation apart.
/// @dev Implementations are ERC-2771 recipients: the acting account is `_msgSender()`, which lets a
///      relayer submit a user's signed request through the trusted forwarder.
interface IKeyRegistry {
    /// @notice The all-zero key was given; it is reserved to mean "no key published".
    error KeyRegistryZeroKey();

    /// @notice `account` published `encryptionKey` as its current key, with key version `version`.
    /// @param account The account (the request's signer when relayed) that owns the key.
    /// @param encryptionKey The X25519 public key (32 bytes, RFC 7748 u-coordinate encoding).
    /// @param version The account's key version after this publication: 1 for the first key, then +1 per replacement.
    event EncryptionKeyPublished(address indexed account, bytes32 encryptionKey, uint64 version);

    /// @notice Publishes or replaces the caller's X25519 public encryption key.
    /// @dev The caller is `_msgSender()`. Increments the caller's key version (the first publication gives 1).
    ///      Publishing the same key again is allowed and still increments the version.
    ///      Reverts with {KeyRegistryZeroKey} if `encryptionKey` is zero.
    /// @param encryptionKey The X25519 public key (32 bytes, RFC 7748 u-coordinate encoding).
    function publishEncryptionKey(bytes32 encryptionKey) external;

    /// @notice Returns the current encryption key of `account` and its key version.
    /// @param account The account to look up.
    /// @return encryptionKey The current key, or zero if `account` never published one.
    /// @return version The account's key version, or 0 if `account` never published a key.
    function encryptionKeyOf(address account) external view returns (bytes32 encryptionKey, uint64 version);
}
