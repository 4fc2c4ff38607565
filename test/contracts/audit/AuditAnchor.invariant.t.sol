// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {IAuditAnchor} from "../../../contracts/audit/IAuditAnchor.sol";
import {AuditAnchor} from "../../../contracts/audit/AuditAnchor.sol";
import {IMerkleRootAnchor} from "../../../contracts/utils/IMerkleRootAnchor.sol";
import {Test} from "../utils/Test.sol";
import {ModelCheckedHandler} from "../utils/ModelCheckedHandler.sol";

/// @notice Drives AuditAnchor (anchor directly and through the forwarder, the admin's keeper-role changes,
///         the passing of time) from a few actors and keeps a model of every anchor.
/// @dev Violations are recorded in ghost variables (assertions in a handler would only count as reverted
///      calls). Roots come from a small space so that repeated roots happen; actors 0 and 1 start as keepers.
contract AuditAnchorHandler is ModelCheckedHandler {
    AuditAnchor public immutable audit;
    MedchainForwarder public immutable forwarder;
    address public immutable admin;

    bytes32 internal constant KEEPER_ROLE = keccak256("KEEPER_ROLE");
    uint256 public constant ACTORS = 4;
    uint256 public constant ROOTS = 24;
    address[ACTORS] public actors;
    uint256[ACTORS] internal actorKeys;

    // model
    mapping(address account => bool keeper) public ghostKeeper;
    IAuditAnchor.Anchor[] internal _anchors; // anchor id = index + 1
    /// @dev Per anchor: its keeper held KEEPER_ROLE at that moment.
    mapping(uint256 anchorId => bool allowed) public ghostKeeperAtAnchor;
    mapping(bytes32 root => uint256 anchorId) public ghostAnchorIdOf;

    uint256 public successes;

    constructor(AuditAnchor audit_, MedchainForwarder forwarder_, address admin_) {
        audit = audit_;
        forwarder = forwarder_;
        admin = admin_;
        for (uint256 i = 0; i < ACTORS; ++i) {
            (actors[i], actorKeys[i]) = makeAddrAndKey(string.concat("audit-actor-", vm.toString(i)));
        }
        for (uint256 i = 0; i < 2; ++i) {
            vm.prank(admin_);
            audit_.grantRole(KEEPER_ROLE, actors[i]);
            ghostKeeper[actors[i]] = true;
        }
    }

    /// @param mode Bit 0 picks a keeper-to-be (actors 0, 1) as caller; mode % 16 == 15 zeroes the root and
    ///        mode % 16 == 14 the count.
    function anchor(
        uint256 callerSeed,
        uint256 rootSeed,
        uint32 count,
        bytes32 batchDigest,
        uint256 mode,
        bool relayed
    ) external {
        uint256 i = mode % 2 == 0 ? callerSeed % 2 : callerSeed % ACTORS;
        address caller = actors[i];
        bytes32 root = mode % 16 == 15 ? bytes32(0) : rootOf(rootSeed);
        if (mode % 16 == 14) count = 0;
        else if (count == 0) count = 1;

        bool allowed = ghostKeeper[caller];
        bytes memory expected;
        if (!allowed) {
            expected =
                abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, KEEPER_ROLE);
        } else if (root == bytes32(0) || count == 0) {
            expected = abi.encodeWithSelector(IMerkleRootAnchor.AnchorEmptyRoot.selector);
        } else if (ghostAnchorIdOf[root] != 0) {
            expected = abi.encodeWithSelector(IMerkleRootAnchor.AnchorRootExists.selector, root);
        }

        bytes memory data = abi.encodeCall(IAuditAnchor.anchor, (root, count, batchDigest));
        bool ok;
        bytes memory result;
        if (relayed) {
            ERC2771Forwarder.ForwardRequestData memory request = signedRequest(forwarder, actorKeys[i], address(audit), data);
            (ok, result) = address(forwarder).call(abi.encodeCall(ERC2771Forwarder.execute, (request)));
        } else {
            vm.prank(caller);
            (ok, result) = address(audit).call(data);
        }

        if (ok != (expected.length == 0)) {
            _violation(ok ? "anchor: succeeded, model says revert" : "anchor: reverted, model says success");
        } else if (!ok && !relayed && keccak256(result) != keccak256(expected)) {
            _violation("anchor: wrong error");
        }
        if (!ok) return;
        ++successes;
        _anchors.push(
            IAuditAnchor.Anchor({
                keeper: caller,
                anchoredAt: uint64(block.timestamp),
                count: count,
                root: root,
                batchDigest: batchDigest
            })
        );
        uint256 anchorId = _anchors.length;
        ghostKeeperAtAnchor[anchorId] = allowed;
        if (ghostAnchorIdOf[root] == 0) ghostAnchorIdOf[root] = anchorId;
        if (audit.anchorCount() != anchorId) _violation("anchor: anchorCount");
        if (!relayed && abi.decode(result, (uint256)) != anchorId) _violation("anchor: id");
    }

    /// @notice The admin grants or revokes the keeper role of an actor.
    function setKeeper(uint256 actorSeed, bool allowed) external {
        address account = actors[actorSeed % ACTORS];
        vm.prank(admin);
        if (allowed) audit.grantRole(KEEPER_ROLE, account);
        else audit.revokeRole(KEEPER_ROLE, account);
        ghostKeeper[account] = allowed;
    }

    function warp(uint256 elapsed) external {
        vm.warp(block.timestamp + bound(elapsed, 1, 1 days));
    }

    function anchorsLength() external view returns (uint256) {
        return _anchors.length;
    }

    function ghostAnchor(uint256 anchorId) external view returns (IAuditAnchor.Anchor memory) {
        return _anchors[anchorId - 1];
    }

    function rootOf(uint256 seed) public pure returns (bytes32) {
        return keccak256(abi.encode("audit root", seed % ROOTS));
    }

}

contract AuditAnchorInvariantTest is Test {
    AuditAnchor internal audit;
    AuditAnchorHandler internal handler;

    bytes32 internal constant KEEPER_ROLE = keccak256("KEEPER_ROLE");

    function setUp() public {
        vm.warp(1_800_000_000);
        MedchainForwarder forwarder = new MedchainForwarder();
        address admin = makeAddr("audit-admin");
        audit = new AuditAnchor(address(forwarder), admin);
        handler = new AuditAnchorHandler(audit, forwarder, admin);

        bytes4[] memory selectors = new bytes4[](3);
        selectors[0] = AuditAnchorHandler.anchor.selector;
        selectors[1] = AuditAnchorHandler.setKeeper.selector;
        selectors[2] = AuditAnchorHandler.warp.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// Every call (success or exact error) behaved as the model predicts.
    function invariant_OutcomesMatchModel() public view {
        assertEq(handler.ghostViolations(), 0, handler.lastViolation());
    }

    /// Only holders of the keeper role at the time anchor, and each anchor records that keeper.
    function invariant_OnlyKeepersAnchor() public view {
        uint256 n = handler.anchorsLength();
        for (uint256 id = 1; id <= n; ++id) {
            assertTrue(handler.ghostKeeperAtAnchor(id), "anchored by a non-keeper");
            assertEq(audit.getAnchor(id).keeper, handler.ghostAnchor(id).keeper, "keeper");
        }
        for (uint256 i = 0; i < handler.ACTORS(); ++i) {
            address a = handler.actors(i);
            assertEq(audit.hasRole(KEEPER_ROLE, a), handler.ghostKeeper(a), "keeper role");
        }
    }

    /// Anchors never change once written, and each root maps to the one anchor that holds it.
    function invariant_AnchorsAreImmutable() public view {
        uint256 n = handler.anchorsLength();
        for (uint256 id = 1; id <= n; ++id) {
            IAuditAnchor.Anchor memory a = audit.getAnchor(id);
            IAuditAnchor.Anchor memory m = handler.ghostAnchor(id);
            assertEq(uint256(a.anchoredAt), uint256(m.anchoredAt), "anchoredAt");
            assertEq(uint256(a.count), uint256(m.count), "count");
            assertEq(a.root, m.root, "root");
            assertEq(a.batchDigest, m.batchDigest, "batchDigest");
            assertEq(audit.anchorIdOf(a.root), id, "anchorIdOf");
        }
    }

    /// Anchor ids are sequential from 1, roots are unique, and unanchored roots map to nothing.
    function invariant_AnchorIdsAreSequential() public view {
        uint256 n = handler.anchorsLength();
        assertEq(audit.anchorCount(), n, "anchorCount");
        try audit.getAnchor(n + 1) returns (IAuditAnchor.Anchor memory) {
            assertTrue(false, "anchor past the count");
        } catch (bytes memory reason) {
            assertEq(reason, abi.encodeWithSelector(IMerkleRootAnchor.AnchorUnknownId.selector, n + 1));
        }
        uint256 anchoredRoots;
        for (uint256 k = 0; k < handler.ROOTS(); ++k) {
            bytes32 root = handler.rootOf(k);
            uint256 id = audit.anchorIdOf(root);
            assertEq(id, handler.ghostAnchorIdOf(root), "anchorIdOf vs model");
            if (id != 0) ++anchoredRoots;
        }
        assertEq(anchoredRoots, n, "one anchor per root");
        assertEq(audit.anchorIdOf(bytes32(0)), 0, "zero root");
    }
}
