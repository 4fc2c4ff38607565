// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {IKeyRegistry} from "../../../contracts/accounts/IKeyRegistry.sol";
import {KeyRegistry} from "../../../contracts/accounts/KeyRegistry.sol";
import {Test} from "../utils/Test.sol";
import {ForwarderSigner} from "../utils/ForwarderSigner.sol";

/// @notice Drives KeyRegistry from a few actors, directly and through the forwarder, and keeps a model.
/// @dev Assertions in a handler would only count as reverted calls, so violations are recorded in ghost
///      variables that the invariant functions check.
contract KeyRegistryHandler is ForwarderSigner {
    KeyRegistry public immutable registry;
    MedchainForwarder public immutable forwarder;

    uint256 public constant ACTORS = 3;
    address[ACTORS] public actors;
    uint256[ACTORS] internal actorKeys;

    mapping(address account => bytes32 key) public ghostKey;
    mapping(address account => uint64 version) public ghostVersion;
    /// @dev Number of calls whose outcome differed from the model, or whose version did not strictly increase.
    uint256 public ghostViolations;
    uint256 public ghostPublications;
    uint256 public ghostRejected;

    constructor(KeyRegistry registry_, MedchainForwarder forwarder_) {
        registry = registry_;
        forwarder = forwarder_;
        for (uint256 i = 0; i < ACTORS; ++i) {
            (actors[i], actorKeys[i]) = makeAddrAndKey(string.concat("key-actor-", vm.toString(i)));
        }
    }

    function publish(uint256 actorSeed, bytes32 key, bool zero) external {
        uint256 i = actorSeed % ACTORS;
        if (zero) key = bytes32(0);
        vm.prank(actors[i]);
        try registry.publishEncryptionKey(key) {
            _onSuccess(actors[i], key);
        } catch (bytes memory reason) {
            _onFailure(key, reason);
        }
    }

    function publishRelayed(uint256 actorSeed, bytes32 key, bool zero) external {
        uint256 i = actorSeed % ACTORS;
        if (zero) key = bytes32(0);
        ERC2771Forwarder.ForwardRequestData memory request =
            signedRequest(forwarder, actorKeys[i], address(registry), abi.encodeCall(IKeyRegistry.publishEncryptionKey, (key)));
        try forwarder.execute(request) {
            _onSuccess(actors[i], key);
        } catch {
            // the forwarder hides the inner error (FailedCall); only a zero key may fail
            if (key != bytes32(0)) ++ghostViolations;
            ++ghostRejected;
        }
    }

    function _onSuccess(address account, bytes32 key) private {
        if (key == bytes32(0)) ++ghostViolations;
        (bytes32 storedKey, uint64 version) = registry.encryptionKeyOf(account);
        if (version <= ghostVersion[account] || storedKey != key) ++ghostViolations;
        ghostKey[account] = key;
        ++ghostVersion[account];
        ++ghostPublications;
    }

    function _onFailure(bytes32 key, bytes memory reason) private {
        if (key != bytes32(0) || keccak256(reason) != keccak256(abi.encodeWithSelector(IKeyRegistry.KeyRegistryZeroKey.selector))) {
            ++ghostViolations;
        }
        ++ghostRejected;
    }
}

contract KeyRegistryInvariantTest is Test {
    KeyRegistry internal registry;
    KeyRegistryHandler internal handler;

    function setUp() public {
        MedchainForwarder forwarder = new MedchainForwarder();
        registry = new KeyRegistry(address(forwarder));
        handler = new KeyRegistryHandler(registry, forwarder);

        bytes4[] memory selectors = new bytes4[](2);
        selectors[0] = KeyRegistryHandler.publish.selector;
        selectors[1] = KeyRegistryHandler.publishRelayed.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// Every call behaved as the model predicts and versions strictly increased.
    function invariant_OutcomesMatchModel() public view {
        assertEq(handler.ghostViolations(), 0, "violations");
    }

    /// The stored key is the last one published and the version counts the publications.
    function invariant_KeyIsLastPublishedAndVersionCountsPublications() public view {
        uint256 total;
        for (uint256 i = 0; i < handler.ACTORS(); ++i) {
            address account = handler.actors(i);
            (bytes32 key, uint64 version) = registry.encryptionKeyOf(account);
            assertEq(key, handler.ghostKey(account), "key");
            assertEq(uint256(version), uint256(handler.ghostVersion(account)), "version");
            total += version;
        }
        assertEq(total, handler.ghostPublications(), "publications");
    }
}
