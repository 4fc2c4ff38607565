// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {ITrustRegistry} from "../../../contracts/identity/ITrustRegistry.sol";
import {IMedchainMembership} from "../../../contracts/identity/IMedchainMembership.sol";
import {Test} from "../utils/Test.sol";
import {ModelCheckedHandler} from "../utils/ModelCheckedHandler.sol";
import {GovernanceFixture} from "./GovernanceFixture.sol";

/// @notice Drives the consortium's governance (members propose to accredit or de-accredit issuers, vote, anyone
///         queues and executes, time passes) and tries every way around the timelock, keeping a model of what
///         passed: the trust registry must change only by proposals executed after their timelock delay.
contract GovernanceHandler is ModelCheckedHandler, GovernanceFixture {
    uint256 public constant ISSUERS = 3;
    address[ISSUERS] public issuers;
    bytes32[2] public types;
    address public immutable stranger;
    uint256 internal immutable _strangerKey;

    struct Proposal {
        address[] targets;
        uint256[] values;
        bytes[] calldatas;
        bytes32 descriptionHash;
        uint256 id;
        bool accredit;
        address issuer;
        bytes32 typeId;
        uint256 queuedAt;
        uint256 executedAt;
    }

    Proposal[] internal _proposals;
    uint256 internal _nonce;

    // model: accreditations as applied by executed proposals only
    mapping(address issuer => mapping(bytes32 typeId => bool accredited)) public ghostAccredited;
    uint256 public ghostExecuted;
    uint256 public ghostQueued;

    constructor() {
        _deployGovernance();
        for (uint256 i = 0; i < ISSUERS; ++i) {
            issuers[i] = makeAddr(string.concat("gov-issuer-", vm.toString(i)));
        }
        types[0] = CLINICIAN;
        types[1] = PARTNER;
        (stranger, _strangerKey) = makeAddrAndKey("gov-stranger");
    }

    // ------------------------------------------------------------------------------------- actions

    /// @notice A member proposes to accredit or de-accredit an issuer (directly or gaslessly).
    function propose(uint256 memberSeed, uint256 issuerSeed, uint256 typeSeed, bool accredit, bool relayed) external {
        uint256 m = memberSeed % MEMBERS;
        address issuer = issuers[issuerSeed % ISSUERS];
        bytes32 typeId = types[typeSeed % 2];
        string memory description = string.concat("proposal ", vm.toString(++_nonce));
        (address[] memory t, uint256[] memory v, bytes[] memory c, bytes32 dh) = _trustProposal(
            accredit ? _accreditCall(issuer, typeId) : _deaccreditCall(issuer, typeId), description
        );
        (bool ok, bytes memory reason) = _callAs(
            forwarder, memberKeys[m], members[m], address(governor), relayed, abi.encodeCall(IGovernor.propose, (t, v, c, description))
        );
        _checkOutcome(ok, reason, "", relayed, "member propose");
        if (!ok) return;
        _proposals.push(Proposal(t, v, c, dh, governor.getProposalId(t, v, c, dh), accredit, issuer, typeId, 0, 0));
    }

    /// @notice A stranger tries to propose: always refused.
    function strangerProposes(uint256 issuerSeed, bool relayed) external {
        (address[] memory t, uint256[] memory v, bytes[] memory c,) =
            _trustProposal(_accreditCall(issuers[issuerSeed % ISSUERS], CLINICIAN), "stranger");
        (bool ok,) = _callAs(
            forwarder, _strangerKey, stranger, address(governor), relayed, abi.encodeCall(IGovernor.propose, (t, v, c, "stranger"))
        );
        if (ok) _violation("a stranger proposed");
    }

    /// @notice A member votes on a proposal (any outcome allowed; the Governor decides).
    function vote(uint256 memberSeed, uint256 proposalSeed, uint8 support, bool relayed) external {
        if (_proposals.length == 0) return;
        uint256 m = memberSeed % MEMBERS;
        Proposal storage p = _proposals[proposalSeed % _proposals.length];
        // mostly For, so that proposals pass
        uint8 s = support % 4 == 3 ? support % 3 : FOR;
        _callAs(forwarder, memberKeys[m], members[m], address(governor), relayed, abi.encodeCall(IGovernor.castVote, (p.id, s)));
    }

    /// @notice Anyone queues a proposal; a successful queue schedules it exactly one delay ahead.
    function queue(uint256 proposalSeed) external {
        if (_proposals.length == 0) return;
        Proposal storage p = _proposals[proposalSeed % _proposals.length];
        IGovernor.ProposalState before = governor.state(p.id);
        try governor.queue(p.targets, p.values, p.calldatas, p.descriptionHash) {
            if (before != IGovernor.ProposalState.Succeeded) _violation("queued a proposal that had not succeeded");
            if (governor.proposalEta(p.id) != block.timestamp + TIMELOCK_DELAY) _violation("eta is not now + delay");
            p.queuedAt = block.timestamp;
            ++ghostQueued;
        } catch {
            if (before == IGovernor.ProposalState.Succeeded) _violation("a succeeded proposal could not be queued");
        }
    }

    /// @notice Anyone executes a proposal; success must mean it was queued at least one delay ago.
    function execute(uint256 proposalSeed) external {
        if (_proposals.length == 0) return;
        Proposal storage p = _proposals[proposalSeed % _proposals.length];
        try governor.execute(p.targets, p.values, p.calldatas, p.descriptionHash) {
            if (p.queuedAt == 0) _violation("executed a proposal that was never queued");
            else if (block.timestamp < p.queuedAt + TIMELOCK_DELAY) _violation("executed before its timelock");
            if (p.executedAt != 0) _violation("executed twice");
            p.executedAt = block.timestamp;
            ghostAccredited[p.issuer][p.typeId] = p.accredit;
            ++ghostExecuted;
        } catch {}
    }

    /// @notice Members and strangers try every way around the timelock: all refused.
    function bypass(uint256 actorSeed, uint256 issuerSeed, uint8 how) external {
        address actor = actorSeed % 4 == 3 ? stranger : members[actorSeed % MEMBERS];
        address issuer = issuers[issuerSeed % ISSUERS];
        (address[] memory t, uint256[] memory v, bytes[] memory c,) = _trustProposal(_accreditCall(issuer, CLINICIAN), "bypass");
        bytes memory data;
        address target;
        uint8 which = how % 5;
        if (which == 0) (target, data) = (address(trust), _accreditCall(issuer, CLINICIAN));
        else if (which == 1) (target, data) = (address(trust), _deaccreditCall(issuer, CLINICIAN));
        else if (which == 2) (target, data) = (address(timelock), abi.encodeCall(timelock.scheduleBatch, (t, v, c, 0, 0, TIMELOCK_DELAY)));
        else if (which == 3) (target, data) = (address(timelock), abi.encodeCall(timelock.executeBatch, (t, v, c, 0, 0)));
        else (target, data) = (address(membership), abi.encodeCall(IMedchainMembership.addMember, (actor)));
        vm.prank(actor);
        (bool ok,) = target.call(data);
        if (ok) _violation("bypassed the timelock");
    }

    /// @notice Time passes.
    function warp(uint256 elapsed) external {
        vm.warp(block.timestamp + bound(elapsed, 1, (VOTING_PERIOD + TIMELOCK_DELAY) / 2));
    }

    // ------------------------------------------------------------------------------------ accessors

    function proposalCount() external view returns (uint256) {
        return _proposals.length;
    }

    function proposalTimes(uint256 i) external view returns (uint256 queuedAt, uint256 executedAt, uint256 id) {
        Proposal storage p = _proposals[i];
        return (p.queuedAt, p.executedAt, p.id);
    }

    function issuerCount() external pure returns (uint256) {
        return ISSUERS;
    }

    function memberAt(uint256 i) external view returns (address) {
        return members[i];
    }

    function trustAddress() external view returns (ITrustRegistry) {
        return trust;
    }

    function membershipAddress() external view returns (IMedchainMembership) {
        return membership;
    }

    function timelockAddress() external view returns (address) {
        return address(timelock);
    }

    function governorAddress() external view returns (address) {
        return address(governor);
    }
}

contract MedchainGovernorInvariantTest is Test {
    GovernanceHandler internal handler;

    function setUp() public {
        vm.warp(1_800_000_000);
        handler = new GovernanceHandler();
        vm.warp(1_800_000_001);
        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = GovernanceHandler.propose.selector;
        selectors[1] = GovernanceHandler.vote.selector;
        selectors[2] = GovernanceHandler.vote.selector;
        selectors[3] = GovernanceHandler.queue.selector;
        selectors[4] = GovernanceHandler.execute.selector;
        selectors[5] = GovernanceHandler.execute.selector;
        selectors[6] = GovernanceHandler.bypass.selector;
        selectors[7] = GovernanceHandler.strangerProposes.selector;
        selectors[8] = GovernanceHandler.warp.selector;
        selectors[9] = GovernanceHandler.warp.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// No action disagreed with the rules (no early execution, no bypass, no stranger's proposal, ...).
    function invariant_OutcomesMatchModel() public view {
        assertEq(handler.ghostViolations(), 0, handler.lastViolation());
    }

    /// Nothing executes before its timelock: every executed proposal was queued at least the delay earlier.
    function invariant_NothingExecutesBeforeItsTimelock() public view {
        uint256 n = handler.proposalCount();
        for (uint256 i = 0; i < n; ++i) {
            (uint256 queuedAt, uint256 executedAt, uint256 id) = handler.proposalTimes(i);
            if (executedAt == 0) continue;
            assertTrue(queuedAt != 0, "executed without queueing");
            vm.assertGe(executedAt, queuedAt + 10 minutes, "executed before the delay");
            assertEq(uint256(IGovernor(handler.governorAddress()).state(id)), uint256(IGovernor.ProposalState.Executed), "state");
        }
    }

    /// The trust registry's accreditations are exactly those that executed proposals left.
    function invariant_RegistryChangesOnlyByExecutedProposals() public view {
        ITrustRegistry trust = handler.trustAddress();
        for (uint256 i = 0; i < handler.issuerCount(); ++i) {
            for (uint256 t = 0; t < 2; ++t) {
                address issuer = handler.issuers(i);
                bytes32 typeId = handler.types(t);
                assertEq(trust.isAccredited(issuer, typeId), handler.ghostAccredited(issuer, typeId), "accreditation");
            }
        }
    }

    /// Membership and the timelock's roles never change outside governance (no proposal here touches them).
    function invariant_MembershipAndRolesAreFixed() public view {
        IMedchainMembership membership = handler.membershipAddress();
        assertEq(membership.memberCount(), 3, "member count");
        for (uint256 i = 0; i < 3; ++i) assertTrue(membership.isMember(handler.memberAt(i)), "member");
        assertFalse(membership.isMember(handler.stranger()), "stranger");
        (bool ok, bytes memory r) = handler.timelockAddress().staticcall(
            abi.encodeWithSignature("hasRole(bytes32,address)", bytes32(0), address(handler))
        );
        assertTrue(ok && !abi.decode(r, (bool)), "the deployer is no timelock admin");
    }
}
