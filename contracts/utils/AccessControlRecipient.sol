// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {ERC2771Recipient} from "./ERC2771Recipient.sol";

/// @title AccessControlRecipient
/// @author medchain
/// @notice Base of the medchain registries that have roles: OpenZeppelin AccessControl (with ERC-165) whose role
///         checks see the ERC-2771 sender, so a role holder may act through the trusted forwarder.
/// @dev AccessControl and {ERC2771Recipient} both inherit `Context`; Solidity requires a contract that inherits
///      both to override the three context functions. This is the one place they are overridden, each selecting
///      the ERC-2771 version.
abstract contract AccessControlRecipient is AccessControl, ERC2771Recipient {
    /// @param trustedForwarder The ERC-2771 forwarder whose relayed calls are attributed to their signer
    ///        (address(0) disables relaying).
    constructor(address trustedForwarder) ERC2771Recipient(trustedForwarder) {}

    /// @dev The ERC-2771 sender (the request's signer when called by the trusted forwarder), for AccessControl too.
    function _msgSender() internal view override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    /// @dev The ERC-2771 calldata (without the appended signer when called by the trusted forwarder).
    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    /// @dev ERC-2771 appends 20 bytes (the signer's address) to calls from the trusted forwarder.
    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }
}
