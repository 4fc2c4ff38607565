// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";

/// @title MedchainForwarder
/// @author medchain
/// @notice The ERC-2771 trusted forwarder of medchain. A relayer submits users' EIP-712-signed
///         `ForwardRequest`s here and pays the gas; the target registries read the signer through
///         `_msgSender()`. Users never need native currency.
/// @dev EIP-712 domain: name "MedchainForwarder", version "1", this contract's chain id and address.
///      Typed struct: `ForwardRequest(address from,address to,uint256 value,uint256 gas,uint256 nonce,
///      uint48 deadline,bytes data)`; the nonce is the signer's sequential nonce (`nonces(from)`).
contract MedchainForwarder is ERC2771Forwarder {
    /// @notice Deploys the forwarder with the EIP-712 domain name "MedchainForwarder".
    constructor() ERC2771Forwarder("MedchainForwarder") {}
}
