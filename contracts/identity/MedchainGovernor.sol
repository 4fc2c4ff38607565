// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorSequentialProposalId} from "@openzeppelin/contracts/governance/extensions/GovernorSequentialProposalId.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {ERC2771Recipient} from "../utils/ERC2771Recipient.sol";
import {IMedchainGovernor} from "./IMedchainGovernor.sol";

/// @title MedchainGovernor
/// @author medchain
/// @notice The consortium's Governor: members of {MedchainMembership} propose and vote (one member, one vote), and
///         passed proposals run through a TimelockController; see {IMedchainGovernor}.
/// @dev OpenZeppelin Governor with GovernorSettings (delay and period in seconds, proposal threshold 0: membership is
///      checked instead), GovernorCountingSimple, GovernorVotes (the token's timestamp clock), a quorum fraction of
///      the members at the snapshot, GovernorTimelockControl, sequential proposal ids, and {ERC2771Recipient} so members
///      act gaslessly through the MedchainForwarder (see {IMedchainGovernor}).
contract MedchainGovernor is
    IMedchainGovernor,
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl,
    GovernorSequentialProposalId,
    ERC2771Recipient
{
    /// @notice Deploys the Governor.
    /// @param membership The consortium's membership token (timestamp clock).
    /// @param timelock The TimelockController that executes passed proposals (this Governor must be its proposer
    ///        and canceller).
    /// @param trustedForwarder The ERC-2771 forwarder whose relayed calls are attributed to their signer.
    /// @param votingDelaySeconds Seconds between a proposal and the start of its vote.
    /// @param votingPeriodSeconds Seconds the vote lasts (at least 1).
    /// @param quorumPercent Percentage of the members at the snapshot whose For or Abstain votes a proposal needs.
    constructor(
        IVotes membership,
        TimelockController timelock,
        address trustedForwarder,
        uint48 votingDelaySeconds,
        uint32 votingPeriodSeconds,
        uint256 quorumPercent
    )
        Governor("MedchainGovernor")
        GovernorSettings(votingDelaySeconds, votingPeriodSeconds, 0)
        GovernorVotes(membership)
        GovernorVotesQuorumFraction(quorumPercent)
        GovernorTimelockControl(timelock)
        ERC2771Recipient(trustedForwarder)
    {}

    /// @inheritdoc IMedchainGovernor
    function latestProposalId() public view override(IMedchainGovernor, GovernorSequentialProposalId) returns (uint256) {
        return super.latestProposalId();
    }

    /// @notice Voting delay, in seconds.
    /// @return The delay.
    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    /// @notice Voting period, in seconds.
    /// @return The period.
    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    /// @notice Always 0: who may propose is decided by membership, not by a vote count.
    /// @return The threshold.
    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    /// @notice The quorum at `timepoint`: {quorumNumerator} percent of the members then (rounded down).
    /// @param timepoint The snapshot timepoint.
    /// @return The number of votes needed.
    function quorum(uint256 timepoint) public view override(Governor, GovernorVotesQuorumFraction) returns (uint256) {
        return super.quorum(timepoint);
    }

    /// @notice The state of a proposal, considering the timelock's view of queued operations.
    /// @param proposalId The proposal.
    /// @return The state.
    function state(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(proposalId);
    }

    /// @notice Always true: every proposal goes through the timelock.
    /// @param proposalId The proposal.
    /// @return True.
    function proposalNeedsQueuing(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (bool) {
        return super.proposalNeedsQueuing(proposalId);
    }

    /// @notice The sequential id of a proposal given by its content.
    /// @param targets The proposal's targets.
    /// @param values The proposal's values.
    /// @param calldatas The proposal's calldatas.
    /// @param descriptionHash keccak256 of the proposal's description.
    /// @return The proposal id (reverts with `GovernorNonexistentProposal(0)` if there is none).
    function getProposalId(address[] memory targets, uint256[] memory values, bytes[] memory calldatas, bytes32 descriptionHash)
        public
        view
        override(Governor, GovernorSequentialProposalId)
        returns (uint256)
    {
        return super.getProposalId(targets, values, calldatas, descriptionHash);
    }

    /// @notice ERC-165: {IMedchainGovernor}, besides OpenZeppelin Governor's `IGovernor`, `IERC1155Receiver` and
    ///         ERC-165 itself.
    /// @param interfaceId The interface identifier to test.
    /// @return True if this contract implements `interfaceId`.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IMedchainGovernor).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @dev Only a current member proposes ({GovNotMember}).
    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal override(Governor, GovernorSequentialProposalId) returns (uint256) {
        if (token().getVotes(proposer) == 0) revert GovNotMember(proposer);
        return super._propose(targets, values, calldatas, description, proposer);
    }

    /// @dev Only an account that was a member at the proposal's snapshot votes ({GovNotMember}): a vote of weight 0
    ///      would otherwise be recorded silently.
    function _countVote(uint256 proposalId, address account, uint8 support, uint256 totalWeight, bytes memory params)
        internal
        override(Governor, GovernorCountingSimple)
        returns (uint256)
    {
        if (totalWeight == 0) revert GovNotMember(account);
        return super._countVote(proposalId, account, support, totalWeight, params);
    }

    /// @dev Schedules the proposal's operations in the timelock.
    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    /// @dev Executes the proposal's operations through the timelock (which refuses before its delay has passed).
    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    /// @dev Cancels the proposal, and its timelock operation if queued.
    function _cancel(address[] memory targets, uint256[] memory values, bytes[] memory calldatas, bytes32 descriptionHash)
        internal
        override(Governor, GovernorTimelockControl)
        returns (uint256)
    {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    /// @dev The timelock executes passed proposals.
    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }

    // Solidity forces the three overrides below: Governor and ERC2771Recipient both inherit Context, and a contract
    // inheriting a function along two paths must override it. They only pick the ERC-2771 versions (the request's
    // signer, its calldata without the appended signer, and the 20-byte suffix); see {ERC2771Recipient}.

    /// @dev The ERC-2771 sender.
    function _msgSender() internal view override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    /// @dev The ERC-2771 calldata.
    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    /// @dev The ERC-2771 suffix length.
    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }
}
