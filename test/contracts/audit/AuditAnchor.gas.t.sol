// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {IAuditAnchor} from "../../../contracts/audit/IAuditAnchor.sol";
import {AuditAnchor} from "../../../contracts/audit/AuditAnchor.sol";
import {Test} from "../utils/Test.sol";
import {ForwarderSigner} from "../utils/ForwarderSigner.sol";

/// @notice Gas snapshots of AuditAnchor (group "AuditAnchor", snapshots/AuditAnchor.json). Every test is its own
///         transaction on the state its contract's setUp left.
abstract contract AuditAnchorGasFixture is Test, ForwarderSigner {
    string internal constant GROUP = "AuditAnchor";
    bytes32 internal constant KEEPER_ROLE = keccak256("KEEPER_ROLE");
    uint32 internal constant COUNT = 12;

    MedchainForwarder internal forwarder;
    AuditAnchor internal audit;
    address internal admin;
    address internal keeper;
    address internal relayedKeeper;
    uint256 internal relayedKeeperKey;
    address internal relayer;

    function setUp() public virtual {
        admin = makeAddr("admin");
        keeper = makeAddr("keeper");
        (relayedKeeper, relayedKeeperKey) = makeAddrAndKey("relayed audit keeper");
        relayer = makeAddr("relayer");
        forwarder = new MedchainForwarder();
        audit = new AuditAnchor(address(forwarder), admin);
    }
}

contract AuditAnchorGasTest is AuditAnchorGasFixture {
    function test_Gas_Deploy() public {
        vm.startSnapshotGas(GROUP, "deploy");
        new AuditAnchor(address(forwarder), admin);
        vm.stopSnapshotGas();
    }

    /// @dev AccessControl: the admin grants KEEPER_ROLE.
    function test_Gas_GrantRole() public {
        vm.prank(admin);
        audit.grantRole(KEEPER_ROLE, keeper);
        vm.snapshotGasLastCall(GROUP, "grantRole");
    }
}

contract AuditAnchorKeeperGasTest is AuditAnchorGasFixture {
    function setUp() public override {
        super.setUp();
        vm.startPrank(admin);
        audit.grantRole(KEEPER_ROLE, keeper);
        audit.grantRole(KEEPER_ROLE, relayedKeeper);
        vm.stopPrank();
    }

    /// @dev A keeper anchors the first root (anchorCount 0 -> 1).
    function test_Gas_Anchor() public {
        vm.prank(keeper);
        audit.anchor(keccak256("audit root 1"), COUNT, keccak256("audit batch 1"));
        vm.snapshotGasLastCall(GROUP, "anchor");
    }

    /// @dev A relayed keeper anchors the first root.
    function test_Gas_Anchor_ViaForwarder() public {
        relay(
            forwarder,
            relayer,
            relayedKeeperKey,
            address(audit),
            abi.encodeCall(IAuditAnchor.anchor, (keccak256("audit root 2"), COUNT, keccak256("audit batch 2")))
        );
        vm.snapshotGasLastCall(GROUP, "anchor.viaForwarder");
        assertEq(audit.getAnchor(1).keeper, relayedKeeper);
    }
}
