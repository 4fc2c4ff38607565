// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";
import {ERC2771Recipient} from "../utils/ERC2771Recipient.sol";
import {IKeyRegistry} from "./IKeyRegistry.sol";

/// @title KeyRegistry
/// @author medchain
/// @notice Registry of accounts' X25519 public encryption keys; see {IKeyRegistry}.
/// @dev ERC-2771 recipient of the trusted forwarder given at deployment (immutable).
contract KeyRegistry is IKeyRegistry, ERC165, ERC2771Recipient {
    /// @dev One account's current key and key version (two storage slots).
    struct KeyEntry {
        bytes32 encryptionKey;
        uint64 version;
    }

    mapping(address account => KeyEntry entry) private _keys;

    /// @notice Deploys the registry.
    /// @param trustedForwarder The ERC-2771 forwarder whose relayed calls are attributed to their signer
    ///        (address(0) disables relaying).
    constructor(address trustedForwarder) ERC2771Recipient(trustedForwarder) {}

    /// @inheritdoc IKeyRegistry
    function publishEncryptionKey(bytes32 encryptionKey) external {
        if (encryptionKey == bytes32(0)) revert KeyRegistryZeroKey();
        address account = _msgSender();
        KeyEntry storage entry = _keys[account];
        uint64 version = entry.version + 1;
        entry.encryptionKey = encryptionKey;
        entry.version = version;
        emit EncryptionKeyPublished(account, encryptionKey, version);
    }

    /// @inheritdoc IKeyRegistry
    function encryptionKeyOf(address account) external view returns (bytes32 encryptionKey, uint64 version) {
        KeyEntry storage entry = _keys[account];
        return (entry.encryptionKey, entry.version);
    }

    /// @notice ERC-165: {IKeyRegistry} and ERC-165 itself.
    /// @param interfaceId The interface identifier to test.
    /// @return True if this contract implements `interfaceId`.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IKeyRegistry).interfaceId || super.supportsInterface(interfaceId);
    }
}
