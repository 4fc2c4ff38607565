// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {IKeyRegistry} from "../../../contracts/accounts/IKeyRegistry.sol";
import {KeyRegistry} from "../../../contracts/accounts/KeyRegistry.sol";
import {Test} from "../utils/Test.sol";
import {ForwarderSigner} from "../utils/ForwarderSigner.sol";

/// @notice Gas snapshots of KeyRegistry (group "KeyRegistry", snapshots/KeyRegistry.json). Every test is its own
///         transaction on the state its contract's setUp left: the measured call is the first to touch its slots.
abstract contract KeyRegistryGasFixture is Test, ForwarderSigner {
    string internal constant GROUP = "KeyRegistry";

    MedchainForwarder internal forwarder;
    KeyRegistry internal keys;
    address internal patient;
    uint256 internal relayedPatientKey;
    address internal relayer;

    function setUp() public virtual {
        forwarder = new MedchainForwarder();
        keys = new KeyRegistry(address(forwarder));
        patient = makeAddr("patient");
        (, relayedPatientKey) = makeAddrAndKey("relayed patient");
        relayer = makeAddr("relayer");
    }
}

contract KeyRegistryGasTest is KeyRegistryGasFixture {
    function test_Gas_Deploy() public {
        vm.startSnapshotGas(GROUP, "deploy");
        new KeyRegistry(address(forwarder));
        vm.stopSnapshotGas();
    }

    /// @dev The account's first key (zero -> non-zero slots).
    function test_Gas_PublishEncryptionKey() public {
        vm.prank(patient);
        keys.publishEncryptionKey(keccak256("key 1"));
        vm.snapshotGasLastCall(GROUP, "publishEncryptionKey");
    }

    /// @dev A relayed first key (the signer's first relayed request: nonce 0 -> 1).
    function test_Gas_PublishEncryptionKey_ViaForwarder() public {
        relay(forwarder, relayer, relayedPatientKey, address(keys), abi.encodeCall(IKeyRegistry.publishEncryptionKey, (keccak256("key 3"))));
        vm.snapshotGasLastCall(GROUP, "publishEncryptionKey.viaForwarder");
    }
}

contract KeyRegistryReplaceGasTest is KeyRegistryGasFixture {
    function setUp() public override {
        super.setUp();
        vm.prank(patient);
        keys.publishEncryptionKey(keccak256("key 1"));
    }

    /// @dev The second key of the same account (non-zero -> non-zero slots).
    function test_Gas_PublishEncryptionKey_Replace() public {
        vm.prank(patient);
        keys.publishEncryptionKey(keccak256("key 2"));
        vm.snapshotGasLastCall(GROUP, "publishEncryptionKey.replace");
    }
}
