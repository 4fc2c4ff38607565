// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {ITrustRegistry} from "../../../contracts/identity/ITrustRegistry.sol";
import {IMedchainGovernor} from "../../../contracts/identity/IMedchainGovernor.sol";
import {IMedchainMembership} from "../../../contracts/identity/IMedchainMembership.sol";
import {MedchainMembership} from "../../../contracts/identity/MedchainMembership.sol";
import {Test} from "../utils/Test.sol";
import {ForwarderSigner} from "../utils/ForwarderSigner.sol";
import {GovernanceFixture} from "./GovernanceFixture.sol";

abstract contract GovernorTestBase is Test, ForwarderSigner, GovernanceFixture {
    uint256 internal constant T0 = 1_800_000_000;
    address internal board = makeAddr("board");
    address internal stranger = makeAddr("stranger");
    address internal relayer = makeAddr("relayer");
    string internal constant DESCRIPTION = "Accredit the medical board as issuer of clinician licences";

    function setUp() public virtual {
        vm.warp(T0);
        _deployGovernance();
        vm.warp(T0 + 1); // members' votes are checkpointed at T0
    }

    /// @dev Member `i` proposes to accredit the board; returns the proposal id and its content.
    function _proposeAccredit(uint256 i, string memory description)
        internal
        returns (uint256 id, address[] memory targets, uint256[] memory values, bytes[] memory calldatas, bytes32 dh)
    {
        (targets, values, calldatas, dh) = _trustProposal(_accreditCall(board, CLINICIAN), description);
        vm.prank(members[i]);
        id = governor.propose(targets, values, calldatas, description);
    }

    function _vote(uint256 i, uint256 id, uint8 support) internal {
        vm.prank(members[i]);
        governor.castVote(id, support);
    }

    /// @dev Proposes, passes (two For votes) and queues; returns what execute needs.
    function _passAndQueue(bytes memory call, string memory description)
        internal
        returns (uint256 id, address[] memory targets, uint256[] memory values, bytes[] memory calldatas, bytes32 dh)
    {
        (targets, values, calldatas, dh) = _trustProposal(call, description);
        if (targets[0] != address(0) && call.length == 0) revert("empty call");
        vm.prank(members[0]);
        id = governor.propose(targets, values, calldatas, description);
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        _vote(0, id, FOR);
        _vote(1, id, FOR);
        vm.warp(governor.proposalDeadline(id) + 1);
        governor.queue(targets, values, calldatas, dh);
    }

    function _unexpectedState(uint256 id, IGovernor.ProposalState current, IGovernor.ProposalState expected)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(
            IGovernor.GovernorUnexpectedProposalState.selector, id, current, bytes32(1 << uint8(expected))
        );
    }
}

contract MedchainGovernorTest is GovernorTestBase {
    // ------------------------------------------------------------------------------------ deployment

    function test_SupportsInterface() public view {
        assertTrue(governor.supportsInterface(type(IMedchainGovernor).interfaceId));
        assertTrue(governor.supportsInterface(type(IGovernor).interfaceId));
        assertTrue(governor.supportsInterface(type(IERC165).interfaceId));
        assertFalse(governor.supportsInterface(0xffffffff));
    }

    function test_Deployment_IsWiredWithNoAdmin() public view {
        assertTrue(timelock.hasRole(timelock.PROPOSER_ROLE(), address(governor)));
        assertTrue(timelock.hasRole(timelock.CANCELLER_ROLE(), address(governor)));
        assertTrue(timelock.hasRole(timelock.EXECUTOR_ROLE(), address(0)), "anyone executes");
        assertFalse(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(this)), "the deployer renounced");
        assertTrue(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(timelock)), "self-administered");
        assertEq(timelock.getMinDelay(), TIMELOCK_DELAY);
        assertEq(governor.timelock(), address(timelock));
        assertEq(address(governor.token()), address(membership));
        assertEq(governor.votingDelay(), VOTING_DELAY);
        assertEq(governor.votingPeriod(), VOTING_PERIOD);
        assertEq(governor.proposalThreshold(), 0);
        assertEq(governor.quorumNumerator(), QUORUM_PERCENT);
        assertEq(governor.quorum(T0), 1, "50% of 3 members, rounded down");
        assertEq(keccak256(bytes(governor.CLOCK_MODE())), keccak256("mode=timestamp"));
        assertEq(uint256(governor.clock()), block.timestamp);
        assertTrue(governor.isTrustedForwarder(address(forwarder)));
        assertTrue(trust.hasRole(trust.GOVERNANCE_ROLE(), address(timelock)));
        assertEq(membership.governance(), address(timelock));
        assertEq(membership.genesisAccount(), address(0), "genesis is closed");
        assertEq(membership.memberCount(), MEMBERS);
        assertEq(uint256(membership.decimals()), 0);
        for (uint256 i = 0; i < MEMBERS; ++i) {
            assertTrue(membership.isMember(members[i]));
            assertEq(membership.getVotes(members[i]), 1);
            assertEq(membership.delegates(members[i]), members[i]);
        }
    }

    // ------------------------------------------------------------------------------------ lifecycle

    function test_Lifecycle_AccreditationPassesOnlyThroughTheTimelock() public {
        (uint256 id, address[] memory t, uint256[] memory v, bytes[] memory c, bytes32 dh) = _proposeAccredit(0, DESCRIPTION);
        assertEq(id, 1, "sequential ids");
        assertEq(governor.latestProposalId(), 1);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Pending));
        assertEq(governor.proposalProposer(id), members[0]);
        // voting opens after the delay
        vm.expectRevert(_unexpectedState(id, IGovernor.ProposalState.Pending, IGovernor.ProposalState.Active));
        _vote(0, id, FOR);
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Active));
        _vote(0, id, FOR);
        _vote(1, id, FOR);
        _vote(2, id, AGAINST);
        (uint256 against, uint256 forVotes, uint256 abstain) = governor.proposalVotes(id);
        assertEq(forVotes, 2);
        assertEq(against, 1);
        assertEq(abstain, 0);
        // no queueing while the vote runs
        vm.expectRevert(_unexpectedState(id, IGovernor.ProposalState.Active, IGovernor.ProposalState.Succeeded));
        governor.queue(t, v, c, dh);
        vm.warp(governor.proposalDeadline(id) + 1);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Succeeded));
        // no execution before queueing
        vm.expectRevert(_unexpectedState(id, IGovernor.ProposalState.Succeeded, IGovernor.ProposalState.Queued));
        governor.execute(t, v, c, dh);
        governor.queue(t, v, c, dh);
        uint256 eta = governor.proposalEta(id);
        assertEq(eta, block.timestamp + TIMELOCK_DELAY);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Queued));
        // nothing executes before its timelock
        bytes32 op = _operationId(t, v, c, dh);
        vm.warp(eta - 1);
        vm.expectRevert(
            abi.encodeWithSelector(TimelockController.TimelockUnexpectedOperationState.selector, op, bytes32(uint256(1 << 2)))
        );
        governor.execute(t, v, c, dh);
        assertFalse(trust.isAccredited(board, CLINICIAN));
        vm.warp(eta);
        vm.prank(stranger); // anyone may execute a ready proposal
        governor.execute(t, v, c, dh);
        assertTrue(trust.isAccredited(board, CLINICIAN));
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Executed));
        assertTrue(timelock.isOperationDone(op));
    }

    function test_Deaccreditation_RemovesTheRoleAtOnce() public {
        (,,, bytes[] memory c1, bytes32 dh1) = _passAndQueue(_accreditCall(board, CLINICIAN), "accredit the board");
        (address[] memory t, uint256[] memory v,,) = _trustProposal(c1[0], "accredit the board");
        vm.warp(block.timestamp + TIMELOCK_DELAY);
        governor.execute(t, v, c1, dh1);
        bytes32 licence = keccak256("licence");
        address clinician = makeAddr("clinician");
        vm.prank(board);
        trust.registerCredential(licence, CLINICIAN, clinician, uint64(block.timestamp), uint64(block.timestamp + 365 days));
        vm.prank(clinician);
        trust.claimRole(licence);
        assertTrue(trust.hasValidRole(CLINICIAN, clinician));

        (,,, bytes[] memory c2, bytes32 dh2) = _passAndQueue(_deaccreditCall(board, CLINICIAN), "withdraw the board");
        assertTrue(trust.hasValidRole(CLINICIAN, clinician), "nothing changes before execution");
        vm.warp(block.timestamp + TIMELOCK_DELAY);
        governor.execute(t, v, c2, dh2);
        assertFalse(trust.hasValidRole(CLINICIAN, clinician));
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustIssuerDeaccredited.selector, board, CLINICIAN));
        trust.checkRole(CLINICIAN, clinician);
    }

    function test_Defeated_WhenMoreAgainstOrNoQuorum() public {
        (uint256 id, address[] memory t, uint256[] memory v, bytes[] memory c, bytes32 dh) = _proposeAccredit(0, "a");
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        _vote(0, id, FOR);
        _vote(1, id, AGAINST);
        _vote(2, id, AGAINST);
        vm.warp(governor.proposalDeadline(id) + 1);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Defeated));
        vm.expectRevert(_unexpectedState(id, IGovernor.ProposalState.Defeated, IGovernor.ProposalState.Succeeded));
        governor.queue(t, v, c, dh);
        (uint256 id2,,,,) = _proposeAccredit(1, "b");
        vm.warp(governor.proposalDeadline(id2) + 1);
        assertEq(uint256(governor.state(id2)), uint256(IGovernor.ProposalState.Defeated), "nobody voted: no quorum");
    }

    // ------------------------------------------------------------------------------------ membership

    function test_RevertWhen_NonMemberProposesOrVotes() public {
        (address[] memory t, uint256[] memory v, bytes[] memory c,) = _trustProposal(_accreditCall(stranger, CLINICIAN), "x");
        vm.expectRevert(abi.encodeWithSelector(IMedchainGovernor.GovNotMember.selector, stranger));
        vm.prank(stranger);
        governor.propose(t, v, c, "x");
        (uint256 id,,,,) = _proposeAccredit(0, DESCRIPTION);
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        vm.expectRevert(abi.encodeWithSelector(IMedchainGovernor.GovNotMember.selector, stranger));
        vm.prank(stranger);
        governor.castVote(id, FOR);
        (,, uint256 abstain) = governor.proposalVotes(id);
        assertFalse(governor.hasVoted(id, stranger));
        assertEq(abstain, 0);
    }

    function test_RevertWhen_VotingTwiceOrOnAnUnknownProposal() public {
        (uint256 id,,,,) = _proposeAccredit(0, DESCRIPTION);
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        _vote(0, id, FOR);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorAlreadyCastVote.selector, members[0]));
        _vote(0, id, AGAINST);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorNonexistentProposal.selector, 7));
        _vote(1, 7, FOR);
    }

    function test_RevertWhen_SameProposalTwice() public {
        (uint256 id, address[] memory t, uint256[] memory v, bytes[] memory c,) = _proposeAccredit(0, DESCRIPTION);
        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorUnexpectedProposalState.selector, id, IGovernor.ProposalState.Pending, bytes32(0)
            )
        );
        vm.prank(members[1]);
        governor.propose(t, v, c, DESCRIPTION);
    }

    function test_Membership_IsNotTransferableNorDelegable() public {
        vm.expectRevert(abi.encodeWithSelector(IMedchainMembership.MembershipNonTransferable.selector));
        vm.prank(members[0]);
        membership.transfer(stranger, 1);
        vm.prank(members[0]);
        membership.approve(stranger, 1);
        vm.expectRevert(abi.encodeWithSelector(IMedchainMembership.MembershipNonTransferable.selector));
        vm.prank(stranger);
        membership.transferFrom(members[0], stranger, 1);
        vm.expectRevert(abi.encodeWithSelector(IMedchainMembership.MembershipDelegationDisabled.selector));
        vm.prank(members[0]);
        membership.delegate(stranger);
        vm.expectRevert(abi.encodeWithSelector(IMedchainMembership.MembershipDelegationDisabled.selector));
        membership.delegateBySig(stranger, 0, block.timestamp, 27, bytes32(0), bytes32(0));
        assertEq(membership.getVotes(members[0]), 1);
        assertEq(membership.getVotes(stranger), 0);
    }

    function test_Membership_ChangesOnlyThroughGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(IMedchainMembership.MembershipGenesisClosed.selector, address(this)));
        membership.genesis(new address[](1));
        vm.expectRevert(abi.encodeWithSelector(IMedchainMembership.MembershipNotGovernance.selector, members[0]));
        vm.prank(members[0]);
        membership.addMember(stranger);
        vm.expectRevert(abi.encodeWithSelector(IMedchainMembership.MembershipNotGovernance.selector, address(this)));
        membership.removeMember(members[0]);

        // a proposal to admit the stranger, through the timelock
        address[] memory t = new address[](1);
        t[0] = address(membership);
        uint256[] memory v = new uint256[](1);
        bytes[] memory c = new bytes[](1);
        c[0] = abi.encodeCall(IMedchainMembership.addMember, (stranger));
        vm.prank(members[0]);
        uint256 id = governor.propose(t, v, c, "admit the stranger");
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        _vote(0, id, FOR);
        vm.warp(governor.proposalDeadline(id) + 1);
        governor.queue(t, v, c, keccak256("admit the stranger"));
        vm.warp(block.timestamp + TIMELOCK_DELAY);
        vm.expectEmit(address(membership));
        emit IMedchainMembership.MemberAdded(stranger);
        governor.execute(t, v, c, keccak256("admit the stranger"));
        assertTrue(membership.isMember(stranger));
        assertEq(membership.memberCount(), MEMBERS + 1);
    }

    function test_Membership_GenesisRules() public {
        MedchainMembership fresh = new MedchainMembership(address(timelock), address(this));
        vm.expectRevert(abi.encodeWithSelector(IMedchainMembership.MembershipInvalidMembers.selector));
        fresh.genesis(new address[](0));
        address[] memory dup = new address[](2);
        dup[0] = stranger;
        dup[1] = stranger;
        vm.expectRevert(abi.encodeWithSelector(IMedchainMembership.MembershipAlreadyMember.selector, stranger));
        fresh.genesis(dup);
        vm.expectRevert(abi.encodeWithSelector(IMedchainMembership.MembershipGenesisClosed.selector, stranger));
        vm.prank(stranger);
        fresh.genesis(new address[](1));
        vm.expectRevert(abi.encodeWithSelector(IMedchainMembership.MembershipInvalidMembers.selector));
        new MedchainMembership(address(0), address(this));
    }

    // ------------------------------------------------------------------------------- no way around

    function test_RevertWhen_BypassingTheTimelock() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, members[0], trust.GOVERNANCE_ROLE())
        );
        vm.prank(members[0]);
        trust.accredit(board, CLINICIAN);
        (address[] memory t, uint256[] memory v, bytes[] memory c,) = _trustProposal(_accreditCall(board, CLINICIAN), "x");
        bytes32 proposerRole = timelock.PROPOSER_ROLE();
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, members[0], proposerRole));
        vm.prank(members[0]);
        timelock.scheduleBatch(t, v, c, 0, 0, TIMELOCK_DELAY);
        // the Governor's own restricted functions need a passed proposal
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorOnlyExecutor.selector, members[0]));
        vm.prank(members[0]);
        governor.setVotingPeriod(1);
        assertFalse(trust.isAccredited(board, CLINICIAN));
    }

    // ------------------------------------------------------------------------------- gasless members

    function test_Relayed_MembersProposeAndVoteWithoutGas() public {
        (address[] memory t, uint256[] memory v, bytes[] memory c, bytes32 dh) = _trustProposal(_accreditCall(board, CLINICIAN), DESCRIPTION);
        vm.prank(relayer);
        forwarder.execute(
            signedRequest(forwarder, memberKeys[2], address(governor), abi.encodeCall(IGovernor.propose, (t, v, c, DESCRIPTION)))
        );
        uint256 id = governor.getProposalId(t, v, c, dh);
        assertEq(governor.proposalProposer(id), members[2], "the signer proposed");
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        for (uint256 i = 0; i < 2; ++i) {
            vm.prank(relayer);
            forwarder.execute(signedRequest(forwarder, memberKeys[i], address(governor), abi.encodeCall(IGovernor.castVote, (id, FOR))));
            assertTrue(governor.hasVoted(id, members[i]));
        }
        assertFalse(governor.hasVoted(id, relayer));
        // a relayed vote by a non-member is refused (wrapped by the forwarder)
        (, uint256 strangerKey) = makeAddrAndKey("stranger-with-key");
        ERC2771Forwarder.ForwardRequestData memory request =
            signedRequest(forwarder, strangerKey, address(governor), abi.encodeCall(IGovernor.castVote, (id, FOR)));
        vm.expectRevert();
        vm.prank(relayer);
        forwarder.execute(request);
        (, uint256 forVotes,) = governor.proposalVotes(id);
        assertEq(forVotes, 2);
    }
}

contract MedchainGovernorFuzzTest is GovernorTestBase {
    /// Nothing executes before its timelock: after queueing, execute succeeds iff at least the delay has passed.
    function testFuzz_ExecuteOnlyAfterTheDelay(uint256 wait) public {
        wait = bound(wait, 0, 2 * TIMELOCK_DELAY);
        (uint256 id, address[] memory t, uint256[] memory v, bytes[] memory c, bytes32 dh) =
            _passAndQueue(_accreditCall(board, CLINICIAN), DESCRIPTION);
        uint256 queuedAt = block.timestamp;
        vm.warp(queuedAt + wait);
        if (wait < TIMELOCK_DELAY) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    TimelockController.TimelockUnexpectedOperationState.selector, _operationId(t, v, c, dh), bytes32(uint256(1 << 2))
                )
            );
        }
        governor.execute(t, v, c, dh);
        assertEq(trust.isAccredited(board, CLINICIAN), wait >= TIMELOCK_DELAY);
        assertEq(
            uint256(governor.state(id)),
            uint256(wait >= TIMELOCK_DELAY ? IGovernor.ProposalState.Executed : IGovernor.ProposalState.Queued)
        );
    }

    /// A vote counts only within [snapshot + 1, deadline]; before it the proposal is Pending, after it closed.
    function testFuzz_VotingWindow(uint256 when, uint8 support) public {
        support = uint8(bound(support, 0, 2));
        (uint256 id,,,,) = _proposeAccredit(0, DESCRIPTION);
        uint256 snapshot = governor.proposalSnapshot(id);
        uint256 deadline = governor.proposalDeadline(id);
        when = bound(when, block.timestamp, deadline + 10);
        vm.warp(when);
        IGovernor.ProposalState s = governor.state(id);
        if (when <= snapshot) {
            assertEq(uint256(s), uint256(IGovernor.ProposalState.Pending));
            vm.expectRevert(_unexpectedState(id, s, IGovernor.ProposalState.Active));
        } else if (when > deadline) {
            vm.expectRevert(_unexpectedState(id, s, IGovernor.ProposalState.Active));
        }
        _vote(1, id, support);
        assertEq(governor.hasVoted(id, members[1]), when > snapshot && when <= deadline);
    }
}
