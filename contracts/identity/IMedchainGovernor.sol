// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IMedchainGovernor
/// @author medchain
/// @notice What medchain's consortium Governor adds to OpenZeppelin's `IGovernor`: only members propose and vote,
///         proposal ids are sequential (1, 2, 3, ...), and members act without gas.
///
///         Lifecycle of a proposal (wall-clock seconds, ERC-6372 timestamp clock): `propose` (Pending for the voting
///         delay) -> Active (members vote For, Against or Abstain for the voting period) -> Succeeded (quorum reached
///         and more For than Against) or Defeated -> `queue` (scheduled in the TimelockController) -> `execute` once the
///         timelock's delay has passed. Nothing the consortium governs (the trust registry's accreditations, the
///         membership) changes any other way.
///
///         Gasless members: the Governor is an ERC-2771 recipient of the MedchainForwarder, so a member signs an
///         EIP-712 `ForwardRequest` for `propose` or `castVote` and the node's relayer submits it and pays; the
///         Governor attributes the call to the signer through `_msgSender()`. We chose this over `castVoteBySig`
///         because one mechanism then covers proposing, voting and cancelling, it is the one every other medchain
///         contract uses (one relayer, one signing path in the client), and OpenZeppelin has no by-signature
///         `propose`. `queue` and `execute` need no member: anyone may submit them (the node does).
interface IMedchainGovernor {
    /// @notice `account` is not a member of the consortium: it held no vote at the proposal's snapshot (voting) or
    ///         holds none now (proposing).
    /// @param account The account.
    error GovNotMember(address account);

    /// @notice The id of the last proposal created (0 when none).
    /// @return The latest proposal id.
    function latestProposalId() external view returns (uint256);
}
