// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Test} from "../utils/Test.sol";
import {OzMintBaseline} from "./OzMintBaseline.sol";

/// @notice The gas baseline is a working OpenZeppelin `_safeMint` (the snapshot's `Baseline.ozMint` measures it).
contract OzMintBaselineTest is Test {
    function test_MintsWithSafeMint() public {
        OzMintBaseline baseline = new OzMintBaseline();
        address holder = makeAddr("holder");
        baseline.mint(holder, 1);
        baseline.mint(holder, 2);
        assertEq(baseline.ownerOf(1), holder);
        assertEq(baseline.balanceOf(holder), 2);
        // _safeMint checks contract recipients: this test contract implements no receiver hook
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InvalidReceiver.selector, address(this)));
        baseline.mint(address(this), 3);
    }
}
