// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @title OzMintBaseline
/// @notice The baseline of the supply gas figures: a plain OpenZeppelin ERC-721 whose `mint` is one
///         `_safeMint`, i.e. what "one token per unit" costs without any provenance. `DigitalTwin.gas.t.sol`
///         records its mint in the gas group `Baseline` (`ozMint`), next to `SupplyAnchor.anchorBatch`, so that
///         anchor gas per unit can be compared with an OpenZeppelin mint per unit.
contract OzMintBaseline is ERC721 {
    constructor() ERC721("OpenZeppelin mint baseline", "OZBASE") {}

    /// @notice Mints `tokenId` to `to` with OpenZeppelin's `_safeMint` (no access control: a measurement only).
    function mint(address to, uint256 tokenId) external {
        _safeMint(to, tokenId);
    }
}
