// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {ITrustRegistry} from "../../../contracts/identity/ITrustRegistry.sol";
import {TrustRegistry} from "../../../contracts/identity/TrustRegistry.sol";
import {MedchainMembership} from "../../../contracts/identity/MedchainMembership.sol";
import {MedchainGovernor} from "../../../contracts/identity/MedchainGovernor.sol";
import {MedchainTimelock} from "../../../contracts/identity/MedchainTimelock.sol";
import {Test} from "../utils/Test.sol";
import {ForwarderSigner} from "../utils/ForwarderSigner.sol";

/// @notice Gas snapshots of the consortium as the node deploys it (embedded periods: 1 s voting delay, 5 min vote,
///         10 min timelock, 50 % quorum): groups "MedchainTimelock", "MedchainMembership", "MedchainGovernor" and
///         TrustRegistry's `deploy.governance`. One proposal (accredit an issuer) from proposal to execution, one
///         stage per test contract, so that every measured call is its own transaction.
abstract contract GovernanceGasFixture is Test, ForwarderSigner {
    uint48 internal constant VOTING_DELAY = 1;
    uint32 internal constant VOTING_PERIOD = 5 minutes;
    uint256 internal constant TIMELOCK_DELAY = 10 minutes;
    uint256 internal constant QUORUM_PERCENT = 50;
    bytes32 internal constant CLINICIAN_TYPE = keccak256("ClinicianLicenceCredential");
    string internal constant DESCRIPTION = "Accredit the issuer of clinician licences";
    uint256 internal constant T0 = 1_800_000_000;

    MedchainForwarder internal forwarder;
    MedchainTimelock internal timelock;
    MedchainMembership internal membership;
    MedchainGovernor internal governor;
    TrustRegistry internal trust;
    address internal m1;
    address internal m2;
    address internal relayedMember;
    uint256 internal relayedMemberKey;
    address internal relayedVoter;
    uint256 internal relayedVoterKey;
    address internal issuer;
    address internal relayer;

    function setUp() public virtual {
        vm.warp(T0);
        m1 = makeAddr("member 1");
        m2 = makeAddr("member 2");
        (relayedMember, relayedMemberKey) = makeAddrAndKey("relayed governance member");
        (relayedVoter, relayedVoterKey) = makeAddrAndKey("relayed governance voter");
        issuer = makeAddr("issuer");
        relayer = makeAddr("relayer");
        forwarder = new MedchainForwarder();
        _deploy();
    }

    /// @dev The node's deployment: the timelock (this contract its temporary admin), the membership (this contract its
    ///      genesis account), the Governor and the trust registry governed by the timelock.
    function _deploy() internal virtual {
        address[] memory none = new address[](0);
        address[] memory anyone = new address[](1);
        timelock = new MedchainTimelock(TIMELOCK_DELAY, none, anyone, address(this));
        membership = new MedchainMembership(address(timelock), address(this));
        governor = _newGovernor();
        trust = new TrustRegistry(address(forwarder), address(timelock));
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(governor));
        timelock.grantRole(timelock.CANCELLER_ROLE(), address(governor));
        timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), address(this));
    }

    function _newGovernor() internal returns (MedchainGovernor) {
        return new MedchainGovernor(
            IVotes(address(membership)),
            TimelockController(payable(address(timelock))),
            address(forwarder),
            VOTING_DELAY,
            VOTING_PERIOD,
            QUORUM_PERCENT
        );
    }

    function _founders() internal view returns (address[] memory founding) {
        founding = new address[](4);
        (founding[0], founding[1], founding[2], founding[3]) = (m1, m2, relayedMember, relayedVoter);
    }

    function _proposal(address accredited)
        internal
        view
        returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas)
    {
        targets = new address[](1);
        targets[0] = address(trust);
        values = new uint256[](1);
        calldatas = new bytes[](1);
        calldatas[0] = abi.encodeCall(ITrustRegistry.accredit, (accredited, CLINICIAN_TYPE));
    }
}

contract GovernanceDeployGasTest is GovernanceGasFixture {
    function _deploy() internal override {}

    /// @dev The four deployments of the consortium, each measured alone.
    function test_Gas_Deploy_Governance() public {
        address[] memory none = new address[](0);
        address[] memory anyone = new address[](1);
        vm.startSnapshotGas("MedchainTimelock", "deploy.governance");
        timelock = new MedchainTimelock(TIMELOCK_DELAY, none, anyone, address(this));
        vm.stopSnapshotGas();
        vm.startSnapshotGas("MedchainMembership", "deploy.governance");
        membership = new MedchainMembership(address(timelock), address(this));
        vm.stopSnapshotGas();
        vm.startSnapshotGas("MedchainGovernor", "deploy.governance");
        governor = _newGovernor();
        vm.stopSnapshotGas();
        vm.startSnapshotGas("TrustRegistry", "deploy.governance");
        trust = new TrustRegistry(address(forwarder), address(timelock));
        vm.stopSnapshotGas();
    }
}

contract GovernanceGenesisGasTest is GovernanceGasFixture {
    /// @dev Four founding members minted once.
    function test_Gas_Genesis_4Members() public {
        membership.genesis(_founders());
        vm.snapshotGasLastCall("MedchainMembership", "genesis.4members");
    }
}

/// @dev Genesis done, one second later (votes are checkpointed at genesis).
abstract contract GovernanceMembersGasFixture is GovernanceGasFixture {
    function setUp() public virtual override {
        super.setUp();
        membership.genesis(_founders());
        vm.warp(block.timestamp + 1);
    }
}

contract GovernanceProposeGasTest is GovernanceMembersGasFixture {
    /// @dev A member proposes to accredit an issuer (the first proposal).
    function test_Gas_Propose() public {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _proposal(issuer);
        vm.prank(m1);
        governor.propose(targets, values, calldatas, DESCRIPTION);
        vm.snapshotGasLastCall("MedchainGovernor", "propose");
    }

    /// @dev A relayed member's first proposal (its first relayed request).
    function test_Gas_Propose_ViaForwarder() public {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _proposal(m2);
        relay(
            forwarder,
            relayer,
            relayedMemberKey,
            address(governor),
            abi.encodeCall(IGovernor.propose, (targets, values, calldatas, "Accredit a second issuer"))
        );
        vm.snapshotGasLastCall("MedchainGovernor", "propose.viaForwarder");
        assertEq(governor.latestProposalId(), 1);
    }
}

/// @dev Proposal 1 open for voting.
abstract contract GovernanceProposedGasFixture is GovernanceMembersGasFixture {
    function setUp() public virtual override {
        super.setUp();
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _proposal(issuer);
        vm.prank(m1);
        governor.propose(targets, values, calldatas, DESCRIPTION);
        vm.warp(block.timestamp + VOTING_DELAY + 1);
    }
}

contract GovernanceVoteGasTest is GovernanceProposedGasFixture {
    /// @dev A member votes For (the proposal's first vote).
    function test_Gas_CastVote() public {
        vm.prank(m1);
        governor.castVote(1, 1);
        vm.snapshotGasLastCall("MedchainGovernor", "castVote");
    }

    /// @dev A relayed member votes For (the proposal's first vote; its first relayed request).
    function test_Gas_CastVote_ViaForwarder() public {
        relay(forwarder, relayer, relayedVoterKey, address(governor), abi.encodeCall(IGovernor.castVote, (1, 1)));
        vm.snapshotGasLastCall("MedchainGovernor", "castVote.viaForwarder");
        assertTrue(governor.hasVoted(1, relayedVoter));
    }
}

/// @dev Proposal 1 passed (three votes For) and its vote closed.
abstract contract GovernancePassedGasFixture is GovernanceProposedGasFixture {
    function setUp() public virtual override {
        super.setUp();
        vm.prank(m1);
        governor.castVote(1, 1);
        vm.prank(m2);
        governor.castVote(1, 1);
        vm.prank(relayedVoter);
        governor.castVote(1, 1);
        vm.warp(block.timestamp + VOTING_PERIOD);
    }
}

contract GovernanceQueueGasTest is GovernancePassedGasFixture {
    /// @dev The passed proposal is scheduled in the timelock.
    function test_Gas_Queue() public {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _proposal(issuer);
        vm.prank(m2);
        governor.queue(targets, values, calldatas, keccak256(bytes(DESCRIPTION)));
        vm.snapshotGasLastCall("MedchainGovernor", "queue");
    }
}

contract GovernanceExecuteGasTest is GovernancePassedGasFixture {
    function setUp() public override {
        super.setUp();
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _proposal(issuer);
        governor.queue(targets, values, calldatas, keccak256(bytes(DESCRIPTION)));
        vm.warp(block.timestamp + TIMELOCK_DELAY);
    }

    /// @dev After the delay: the timelock runs TrustRegistry.accredit.
    function test_Gas_Execute() public {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _proposal(issuer);
        vm.prank(m2);
        governor.execute(targets, values, calldatas, keccak256(bytes(DESCRIPTION)));
        vm.snapshotGasLastCall("MedchainGovernor", "execute");
        assertTrue(trust.isAccredited(issuer, CLINICIAN_TYPE));
    }
}
