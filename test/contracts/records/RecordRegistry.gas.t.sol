// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {IRecordRegistry} from "../../../contracts/records/IRecordRegistry.sol";
import {RecordRegistry} from "../../../contracts/records/RecordRegistry.sol";
import {Test} from "../utils/Test.sol";
import {ForwarderSigner} from "../utils/ForwarderSigner.sol";

/// @notice Gas snapshots of RecordRegistry (group "RecordRegistry", snapshots/RecordRegistry.json). Every test is
///         its own transaction on the state its contract's setUp left. Relayed requests are their signer's first
///         (nonce 0 -> 1) unless noted.
abstract contract RecordRegistryGasFixture is Test, ForwarderSigner {
    string internal constant GROUP = "RecordRegistry";
    uint32 internal constant CATEGORIES = 0x5;
    uint32 internal constant COUNT = 12;

    MedchainForwarder internal forwarder;
    RecordRegistry internal records;
    address internal patient;
    address internal provider;
    address internal relayedPatient;
    uint256 internal relayedPatientKey;
    address internal relayedPatient2;
    uint256 internal relayedPatient2Key;
    address internal relayedProvider;
    uint256 internal relayedProviderKey;
    address internal relayer;

    function setUp() public virtual {
        forwarder = new MedchainForwarder();
        records = new RecordRegistry(address(forwarder));
        patient = makeAddr("patient");
        provider = makeAddr("provider");
        (relayedPatient, relayedPatientKey) = makeAddrAndKey("relayed patient");
        (relayedPatient2, relayedPatient2Key) = makeAddrAndKey("relayed patient 2");
        (relayedProvider, relayedProviderKey) = makeAddrAndKey("relayed provider");
        relayer = makeAddr("relayer");
    }

    function _fixed(string memory label) internal pure returns (bytes32) {
        return keccak256(abi.encode("medchain gas snapshot", label));
    }

    function _append(address owner, string memory label) internal view returns (bytes memory) {
        return abi.encodeCall(
            IRecordRegistry.appendBatch,
            (_fixed(string.concat("batch ", label)), owner, CATEGORIES, _fixed(string.concat("manifest ", label)), _fixed(string.concat("root ", label)), COUNT)
        );
    }

    function _call(address from, bytes memory data) internal {
        vm.prank(from);
        (bool ok,) = address(records).call(data);
        require(ok, "call reverted"); // not an assertion: a cheatcode call would become the "last call"
    }
}

contract RecordRegistryGasTest is RecordRegistryGasFixture {
    function test_Gas_Deploy() public {
        vm.startSnapshotGas(GROUP, "deploy");
        new RecordRegistry(address(forwarder));
        vm.stopSnapshotGas();
    }

    function test_Gas_AuthorizeWriter() public {
        vm.prank(patient);
        records.authorizeWriter(provider);
        vm.snapshotGasLastCall(GROUP, "authorizeWriter");
    }

    function test_Gas_AuthorizeWriter_ViaForwarder() public {
        relay(forwarder, relayer, relayedPatientKey, address(records), abi.encodeCall(IRecordRegistry.authorizeWriter, (relayedProvider)));
        vm.snapshotGasLastCall(GROUP, "authorizeWriter.viaForwarder");
    }

    /// @dev The owner appends its first batch (batchCount 0 -> 1).
    function test_Gas_AppendBatch() public {
        _call(patient, _append(patient, "1"));
        vm.snapshotGasLastCall(GROUP, "appendBatch");
    }
}

/// @dev Writers authorized (the patient's provider, the relayed patients' relayed provider), the patient's batch 1,
///      batch 2 written by the provider, batch 3 of relayed patient 2 and the relayed provider's own batch 4.
contract RecordRegistryWrittenGasTest is RecordRegistryGasFixture {
    function setUp() public override {
        super.setUp();
        _call(patient, abi.encodeCall(IRecordRegistry.authorizeWriter, (provider)));
        _call(relayedPatient, abi.encodeCall(IRecordRegistry.authorizeWriter, (relayedProvider)));
        _call(relayedPatient2, abi.encodeCall(IRecordRegistry.authorizeWriter, (relayedProvider)));
        _call(patient, _append(patient, "1"));
        _call(provider, _append(patient, "2"));
        _call(relayedProvider, _append(relayedPatient2, "3"));
        _call(relayedProvider, _append(relayedProvider, "4"));
    }

    /// @dev An authorized writer appends the owner's third batch (batchCount non-zero).
    function test_Gas_AppendBatch_ByWriter() public {
        _call(provider, _append(patient, "5"));
        vm.snapshotGasLastCall(GROUP, "appendBatch.byWriter");
    }

    /// @dev A relayed writer appends the owner's first batch.
    function test_Gas_AppendBatch_ViaForwarder() public {
        relay(forwarder, relayer, relayedProviderKey, address(records), _append(relayedPatient, "6"));
        vm.snapshotGasLastCall(GROUP, "appendBatch.viaForwarder");
    }

    function test_Gas_RevokeWriter() public {
        vm.prank(patient);
        records.revokeWriter(provider);
        vm.snapshotGasLastCall(GROUP, "revokeWriter");
    }

    function test_Gas_RevokeWriter_ViaForwarder() public {
        relay(forwarder, relayer, relayedPatientKey, address(records), abi.encodeCall(IRecordRegistry.revokeWriter, (relayedProvider)));
        vm.snapshotGasLastCall(GROUP, "revokeWriter.viaForwarder");
    }

    function test_Gas_ShredBatch() public {
        vm.prank(patient);
        records.shredBatch(_fixed("batch 1"));
        vm.snapshotGasLastCall(GROUP, "shredBatch");
    }

    function test_Gas_ShredBatch_ViaForwarder() public {
        relay(forwarder, relayer, relayedPatient2Key, address(records), abi.encodeCall(IRecordRegistry.shredBatch, (_fixed("batch 3"))));
        vm.snapshotGasLastCall(GROUP, "shredBatch.viaForwarder");
    }

    /// @dev The owner rotates a batch a writer appended (version 1 -> 2; digest, root and version rewritten).
    function test_Gas_RotateBatch() public {
        vm.prank(patient);
        records.rotateBatch(_fixed("batch 2"), _fixed("manifest 2 rotated"), _fixed("root 2 rotated"));
        vm.snapshotGasLastCall(GROUP, "rotateBatch");
    }

    function test_Gas_RotateBatch_ViaForwarder() public {
        relay(
            forwarder,
            relayer,
            relayedProviderKey,
            address(records),
            abi.encodeCall(IRecordRegistry.rotateBatch, (_fixed("batch 4"), _fixed("manifest 4 rotated"), _fixed("root 4 rotated")))
        );
        vm.snapshotGasLastCall(GROUP, "rotateBatch.viaForwarder");
        assertEq(records.getBatch(_fixed("batch 4")).version, 2);
    }
}
