// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";

/// @title ERC2771Recipient
/// @author medchain
/// @notice Base of every medchain contract that users call gaslessly: an ERC-2771 recipient of the
///         MedchainForwarder, so that a relayer submits a user's EIP-712-signed request and the contract acts
///         for the request's signer.
/// @dev OpenZeppelin `ERC2771Context` with the trusted forwarder fixed at deployment (immutable; address(0)
///      disables relaying). Contracts read the acting account through `_msgSender()` (the signer when called by
///      the trusted forwarder, `msg.sender` otherwise) and never through `msg.sender`.
///
///      A contract that also inherits another `Context` descendant (AccessControl, ERC721, Governor) inherits
///      `_msgSender`, `_msgData` and `_contextSuffixLength` along two paths, and Solidity then requires the most
///      derived contract to override them. Registries with roles inherit {AccessControlRecipient}, which does
///      that once; the other two cases (DigitalTwin's ERC721, MedchainGovernor's Governor) keep a minimal,
///      commented override each.
abstract contract ERC2771Recipient is ERC2771Context {
    /// @param trustedForwarder The ERC-2771 forwarder whose relayed calls are attributed to their signer
    ///        (address(0) disables relaying).
    constructor(address trustedForwarder) ERC2771Context(trustedForwarder) {}
}
