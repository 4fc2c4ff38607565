// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {ITrustRegistry} from "../../../contracts/identity/ITrustRegistry.sol";
import {TrustRegistry} from "../../../contracts/identity/TrustRegistry.sol";
import {MedchainMembership} from "../../../contracts/identity/MedchainMembership.sol";
import {MedchainGovernor} from "../../../contracts/identity/MedchainGovernor.sol";
import {MedchainTimelock} from "../../../contracts/identity/MedchainTimelock.sol";
import {Cheats} from "../utils/Test.sol";

/// @title GovernanceFixture
/// @notice The consortium as the node deploys it (see src/node/deployment.ts): a timelock whose temporary admin
///         wires the Governor in and renounces, the membership token minted at genesis, the Governor, and the trust
///         registry governed by the timelock. Periods are the node's embedded defaults.
abstract contract GovernanceFixture is Cheats {
    uint48 internal constant VOTING_DELAY = 1;
    uint32 internal constant VOTING_PERIOD = 5 minutes;
    uint256 internal constant TIMELOCK_DELAY = 10 minutes;
    uint256 internal constant QUORUM_PERCENT = 50;
    bytes32 internal constant CLINICIAN = keccak256("ClinicianLicenceCredential");
    bytes32 internal constant PARTNER = keccak256("AuthorizedTradingPartnerCredential");
    uint8 internal constant AGAINST = 0;
    uint8 internal constant FOR = 1;
    uint8 internal constant ABSTAIN = 2;

    MedchainForwarder internal forwarder;
    MedchainTimelock internal timelock;
    MedchainMembership internal membership;
    MedchainGovernor internal governor;
    TrustRegistry internal trust;

    uint256 internal constant MEMBERS = 3;
    address[MEMBERS] internal members;
    uint256[MEMBERS] internal memberKeys;

    /// @dev Deploys and wires everything; the deploying contract is the genesis account and temporary admin.
    function _deployGovernance() internal {
        forwarder = new MedchainForwarder();
        address[] memory none = new address[](0);
        address[] memory anyone = new address[](1); // address(0): anyone may execute
        timelock = new MedchainTimelock(TIMELOCK_DELAY, none, anyone, address(this));
        membership = new MedchainMembership(address(timelock), address(this));
        governor = new MedchainGovernor(
            IVotes(address(membership)),
            TimelockController(payable(address(timelock))),
            address(forwarder),
            VOTING_DELAY,
            VOTING_PERIOD,
            QUORUM_PERCENT
        );
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(governor));
        timelock.grantRole(timelock.CANCELLER_ROLE(), address(governor));
        timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), address(this));
        trust = new TrustRegistry(address(forwarder), address(timelock));
        address[] memory founding = new address[](MEMBERS);
        for (uint256 i = 0; i < MEMBERS; ++i) {
            (members[i], memberKeys[i]) = makeAddrAndKey(string.concat("member-", vm.toString(i)));
            founding[i] = members[i];
        }
        membership.genesis(founding);
    }

    /// @dev A one-call proposal to the trust registry.
    function _trustProposal(bytes memory call, string memory description)
        internal
        view
        returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas, bytes32 descriptionHash)
    {
        targets = new address[](1);
        targets[0] = address(trust);
        values = new uint256[](1);
        calldatas = new bytes[](1);
        calldatas[0] = call;
        descriptionHash = keccak256(bytes(description));
    }

    function _accreditCall(address issuer, bytes32 typeId) internal pure returns (bytes memory) {
        return abi.encodeCall(ITrustRegistry.accredit, (issuer, typeId));
    }

    function _deaccreditCall(address issuer, bytes32 typeId) internal pure returns (bytes memory) {
        return abi.encodeCall(ITrustRegistry.deaccredit, (issuer, typeId));
    }

    /// @dev The timelock operation id of a proposal scheduled by the Governor.
    function _operationId(address[] memory targets, uint256[] memory values, bytes[] memory calldatas, bytes32 descriptionHash)
        internal
        view
        returns (bytes32)
    {
        bytes32 salt = bytes20(address(governor)) ^ descriptionHash;
        return timelock.hashOperationBatch(targets, values, calldatas, 0, salt);
    }
}
