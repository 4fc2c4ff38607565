// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {ForwarderSigner} from "./ForwarderSigner.sol";

/// @title ModelCheckedHandler
/// @notice Shared plumbing of the invariant handlers: each action is run directly or relayed through the forwarder,
///         its outcome is compared with the handler's model, and every disagreement is recorded as a violation
///         (handlers cannot assert: a failed assertion inside a handler only counts as a reverted call).
abstract contract ModelCheckedHandler is ForwarderSigner {
    /// @notice Number of disagreements between the contract and the model; invariants require 0.
    uint256 public ghostViolations;
    /// @notice The last disagreement, for the failure message.
    string public lastViolation;

    /// @dev Calls `target` as `actor`: directly (pranked) or as a signed request executed by `forwarder`.
    function _callAs(ERC2771Forwarder forwarder, uint256 actorKey, address actor, address target, bool relayed, bytes memory data)
        internal
        returns (bool ok, bytes memory result)
    {
        if (relayed) {
            ERC2771Forwarder.ForwardRequestData memory request = signedRequest(forwarder, actorKey, target, data);
            (ok, result) = address(forwarder).call(abi.encodeCall(ERC2771Forwarder.execute, (request)));
        } else {
            vm.prank(actor);
            (ok, result) = target.call(data);
        }
    }

    /// @dev `expected` is empty when the model says the call succeeds, else the expected revert data. The forwarder
    ///      wraps inner reverts as `FailedCall()`, so for relayed calls only success is compared.
    function _checkOutcome(bool ok, bytes memory reason, bytes memory expected, bool relayed, string memory action) internal {
        if (ok != (expected.length == 0)) {
            _violation(string.concat(action, ok ? ": succeeded, model says revert" : ": reverted, model says success"));
        } else if (!ok && !relayed && keccak256(reason) != keccak256(expected)) {
            _violation(string.concat(action, ": wrong error"));
        }
    }

    /// @dev Records a disagreement with the model.
    function _violation(string memory what) internal {
        ++ghostViolations;
        lastViolation = what;
    }
}
