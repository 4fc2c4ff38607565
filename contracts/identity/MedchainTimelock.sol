// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title MedchainTimelock
/// @author medchain
/// @notice The consortium's OpenZeppelin TimelockController, unchanged: every passed proposal waits `minDelay`
///         seconds here before anyone may execute it. It holds the governance roles of the trust registry and of
///         the membership token.
/// @dev Deployed with the Governor as its only proposer and canceller, anyone as executor (`address(0)`), and no
///      admin once the deployment is wired: the deployer is a temporary admin that grants the Governor its roles and
///      renounces, in the same start-up (see `src/node/deployment.ts`). From then on only the timelock itself (after
///      a passed proposal) changes its roles or its delay.
contract MedchainTimelock is TimelockController {
    /// @notice Deploys the timelock.
    /// @param minDelay Seconds an operation waits between scheduling and execution.
    /// @param proposers Accounts that may schedule (and cancel) operations: the Governor.
    /// @param executors Accounts that may execute ready operations; `address(0)` means anyone.
    /// @param admin Temporary admin for wiring the Governor in, or zero for none.
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
