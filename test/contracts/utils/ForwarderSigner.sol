// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {Cheats} from "./Test.sol";

/// @title ForwarderSigner
/// @notice Builds and signs ERC-2771 `ForwardRequest`s for the MedchainForwarder the way a wallet would:
///         the EIP-712 domain and struct hashes are computed here independently of the forwarder, so a
///         wrong domain name/version or type string in the contract makes the signatures fail.
abstract contract ForwarderSigner is Cheats {
    bytes32 internal constant EIP712_DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant FORWARD_REQUEST_TYPEHASH = keccak256(
        "ForwardRequest(address from,address to,uint256 value,uint256 gas,uint256 nonce,uint48 deadline,bytes data)"
    );
    uint256 internal constant RELAY_GAS = 300_000;

    function forwarderDomainSeparator(ERC2771Forwarder forwarder) internal view returns (bytes32) {
        return keccak256(
            abi.encode(
                EIP712_DOMAIN_TYPEHASH,
                keccak256("MedchainForwarder"),
                keccak256("1"),
                block.chainid,
                address(forwarder)
            )
        );
    }

    /// @dev The EIP-712 digest a wallet signs for `request` with the given nonce.
    function forwardRequestDigest(ERC2771Forwarder forwarder, ERC2771Forwarder.ForwardRequestData memory request, uint256 nonce)
        internal
        view
        returns (bytes32)
    {
        bytes32 structHash = keccak256(
            abi.encode(
                FORWARD_REQUEST_TYPEHASH,
                request.from,
                request.to,
                request.value,
                request.gas,
                nonce,
                request.deadline,
                keccak256(request.data)
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", forwarderDomainSeparator(forwarder), structHash));
    }

    /// @dev An unsigned request from `from` to `to` with `data`, valid for one hour.
    function forwardRequest(address from, address to, bytes memory data)
        internal
        view
        returns (ERC2771Forwarder.ForwardRequestData memory request)
    {
        request = ERC2771Forwarder.ForwardRequestData({
            from: from,
            to: to,
            value: 0,
            gas: RELAY_GAS,
            deadline: uint48(block.timestamp + 1 hours),
            data: data,
            signature: ""
        });
    }

    /// @dev Signs `request` with `privateKey` for the current nonce of `request.from`.
    function signRequest(ERC2771Forwarder forwarder, ERC2771Forwarder.ForwardRequestData memory request, uint256 privateKey)
        internal
        view
        returns (ERC2771Forwarder.ForwardRequestData memory)
    {
        bytes32 digest = forwardRequestDigest(forwarder, request, forwarder.nonces(request.from));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(privateKey, digest);
        request.signature = abi.encodePacked(r, s, v);
        return request;
    }

    /// @dev A request from the account of `privateKey` to `to` with `data`, signed by that key.
    function signedRequest(ERC2771Forwarder forwarder, uint256 privateKey, address to, bytes memory data)
        internal
        view
        returns (ERC2771Forwarder.ForwardRequestData memory)
    {
        return signRequest(forwarder, forwardRequest(vm.addr(privateKey), to, data), privateKey);
    }

    /// @dev Signs a request from the account of `privateKey` to `to` with `data` and has `submitter` execute it
    ///      through `forwarder` (the relayer's transaction); the last call is then `forwarder.execute`, which is
    ///      what `vm.snapshotGasLastCall` measures after it.
    function relay(ERC2771Forwarder forwarder, address submitter, uint256 privateKey, address to, bytes memory data)
        internal
    {
        ERC2771Forwarder.ForwardRequestData memory request = signedRequest(forwarder, privateKey, to, data);
        vm.prank(submitter);
        forwarder.execute(request);
    }
}
