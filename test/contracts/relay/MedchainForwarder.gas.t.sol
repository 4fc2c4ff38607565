// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {IRecordRegistry} from "../../../contracts/records/IRecordRegistry.sol";
import {RecordRegistry} from "../../../contracts/records/RecordRegistry.sol";
import {Test} from "../utils/Test.sol";
import {ForwarderSigner} from "../utils/ForwarderSigner.sol";

/// @notice Gas snapshots of MedchainForwarder (group "MedchainForwarder", snapshots/MedchainForwarder.json).
contract MedchainForwarderGasTest is Test, ForwarderSigner {
    string internal constant GROUP = "MedchainForwarder";

    MedchainForwarder internal forwarder;
    RecordRegistry internal records;
    address internal provider;
    uint256 internal providerKey;
    address internal relayer;

    function setUp() public {
        forwarder = new MedchainForwarder();
        records = new RecordRegistry(address(forwarder));
        (provider, providerKey) = makeAddrAndKey("relayed provider");
        relayer = makeAddr("relayer");
    }

    function test_Gas_Deploy() public {
        vm.startSnapshotGas(GROUP, "deploy");
        new MedchainForwarder();
        vm.stopSnapshotGas();
    }

    /// @dev Two relayed appends of the signer's own batches (nonces 0 and 1) in one `executeBatch`.
    function test_Gas_ExecuteBatch_AppendBatchx2() public {
        ERC2771Forwarder.ForwardRequestData[] memory requests = new ERC2771Forwarder.ForwardRequestData[](2);
        for (uint256 i = 0; i < 2; ++i) {
            bytes memory data = abi.encodeCall(
                IRecordRegistry.appendBatch,
                (keccak256(abi.encode("batch", i)), provider, 0x5, keccak256(abi.encode("manifest", i)), keccak256(abi.encode("root", i)), 12)
            );
            ERC2771Forwarder.ForwardRequestData memory request = forwardRequest(provider, address(records), data);
            (uint8 v, bytes32 r, bytes32 s) = vm.sign(providerKey, forwardRequestDigest(forwarder, request, i));
            request.signature = abi.encodePacked(r, s, v);
            requests[i] = request;
        }
        vm.prank(relayer);
        forwarder.executeBatch(requests, payable(relayer));
        vm.snapshotGasLastCall(GROUP, "executeBatch.appendBatchx2");
        assertEq(records.batchCount(provider), 2);
    }
}
