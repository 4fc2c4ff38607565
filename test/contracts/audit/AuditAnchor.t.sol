// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {IAuditAnchor} from "../../../contracts/audit/IAuditAnchor.sol";
import {AuditAnchor} from "../../../contracts/audit/AuditAnchor.sol";
import {IMerkleRootAnchor} from "../../../contracts/utils/IMerkleRootAnchor.sol";
import {Test} from "../utils/Test.sol";
import {ForwarderSigner} from "../utils/ForwarderSigner.sol";

abstract contract AuditAnchorFixture is Test, ForwarderSigner {
    MedchainForwarder internal forwarder;
    AuditAnchor internal audit;

    address internal admin;
    uint256 internal adminKey;
    address internal keeper;
    uint256 internal keeperKey;
    address internal keeper2;
    address internal stranger;
    uint256 internal strangerKey;
    address internal relayer;

    bytes32 internal constant KEEPER_ROLE = keccak256("KEEPER_ROLE");
    bytes32 internal constant DEFAULT_ADMIN_ROLE = 0x00;
    bytes32 internal constant ROOT = keccak256("audit root 1");
    bytes32 internal constant ROOT_2 = keccak256("audit root 2");
    bytes32 internal constant DIGEST = keccak256("audit batch blob 1");
    uint32 internal constant COUNT = 42;
    uint256 internal constant T0 = 1_800_000_000;

    function setUp() public virtual {
        vm.warp(T0);
        (admin, adminKey) = makeAddrAndKey("admin");
        (keeper, keeperKey) = makeAddrAndKey("keeper");
        keeper2 = makeAddr("keeper-2");
        (stranger, strangerKey) = makeAddrAndKey("stranger");
        relayer = makeAddr("relayer");
        forwarder = new MedchainForwarder();
        audit = new AuditAnchor(address(forwarder), admin);
        vm.startPrank(admin);
        audit.grantRole(KEEPER_ROLE, keeper);
        audit.grantRole(KEEPER_ROLE, keeper2);
        vm.stopPrank();
    }

    function _anchor(address caller, bytes32 root) internal returns (uint256) {
        vm.prank(caller);
        return audit.anchor(root, COUNT, DIGEST);
    }

    function _unauthorized(address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, account, KEEPER_ROLE);
    }
}

contract AuditAnchorTest is AuditAnchorFixture {
    // ------------------------------------------------------------------------------------ deployment

    function test_Deployment_SetsRoles() public view {
        assertTrue(audit.isTrustedForwarder(address(forwarder)));
        assertEq(audit.trustedForwarder(), address(forwarder));
        assertEq(audit.KEEPER_ROLE(), KEEPER_ROLE);
        assertEq(audit.getRoleAdmin(KEEPER_ROLE), DEFAULT_ADMIN_ROLE);
        assertTrue(audit.hasRole(DEFAULT_ADMIN_ROLE, admin));
        assertFalse(audit.hasRole(KEEPER_ROLE, admin));
        assertTrue(audit.hasRole(KEEPER_ROLE, keeper));
        assertEq(audit.anchorCount(), 0);
    }

    function test_SupportsInterfaces() public view {
        assertTrue(audit.supportsInterface(type(IAuditAnchor).interfaceId));
        assertTrue(audit.supportsInterface(type(IAccessControl).interfaceId));
        assertTrue(audit.supportsInterface(type(IERC165).interfaceId));
        assertFalse(audit.supportsInterface(0xffffffff));
    }

    function test_RevertWhen_DeployingWithZeroAdmin() public {
        vm.expectRevert(abi.encodeWithSelector(IAuditAnchor.AuditZeroAdmin.selector));
        new AuditAnchor(address(forwarder), address(0));
    }

    // ----------------------------------------------------------------------------------------- anchor

    function test_Anchor_StoresEverythingAndEmits() public {
        vm.expectEmit(address(audit));
        emit IAuditAnchor.AuditAnchored(1, keeper, ROOT, COUNT, DIGEST);
        uint256 id = _anchor(keeper, ROOT);
        assertEq(id, 1);
        assertEq(audit.anchorCount(), 1);
        assertEq(audit.anchorIdOf(ROOT), 1);

        IAuditAnchor.Anchor memory a = audit.getAnchor(id);
        assertEq(a.keeper, keeper);
        assertEq(uint256(a.anchoredAt), T0);
        assertEq(uint256(a.count), COUNT);
        assertEq(a.root, ROOT);
        assertEq(a.batchDigest, DIGEST);
    }

    function test_Anchor_IdsAreSequentialAcrossKeepers() public {
        assertEq(_anchor(keeper, ROOT), 1);
        vm.warp(T0 + 1 hours);
        assertEq(_anchor(keeper2, ROOT_2), 2);
        assertEq(audit.anchorCount(), 2);
        assertEq(audit.anchorIdOf(ROOT_2), 2);
        IAuditAnchor.Anchor memory second = audit.getAnchor(2);
        assertEq(second.keeper, keeper2);
        assertEq(uint256(second.anchoredAt), T0 + 1 hours);
        // the first anchor is untouched
        IAuditAnchor.Anchor memory first = audit.getAnchor(1);
        assertEq(first.keeper, keeper);
        assertEq(first.root, ROOT);
        assertEq(uint256(first.anchoredAt), T0);
    }

    function test_Anchor_AllowsAZeroBatchDigest() public {
        vm.prank(keeper);
        uint256 id = audit.anchor(ROOT, 1, bytes32(0));
        assertEq(audit.getAnchor(id).batchDigest, bytes32(0));
        assertEq(uint256(audit.getAnchor(id).count), 1);
    }

    function test_RevertWhen_StrangerAnchors() public {
        vm.expectRevert(_unauthorized(stranger));
        _anchor(stranger, ROOT);
        vm.expectRevert(_unauthorized(admin));
        _anchor(admin, ROOT);
        assertEq(audit.anchorCount(), 0);
        assertEq(audit.anchorIdOf(ROOT), 0);
    }

    function test_RevertWhen_RevokedKeeperAnchors() public {
        _anchor(keeper, ROOT);
        vm.prank(admin);
        audit.revokeRole(KEEPER_ROLE, keeper);
        vm.expectRevert(_unauthorized(keeper));
        _anchor(keeper, ROOT_2);
        // its earlier anchor stays
        assertEq(audit.getAnchor(1).keeper, keeper);
    }

    function test_RevertWhen_NonAdminGrantsKeeperRole() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, keeper, DEFAULT_ADMIN_ROLE)
        );
        vm.prank(keeper);
        audit.grantRole(KEEPER_ROLE, stranger);
    }

    function test_Anchor_ChecksTheRoleFirst() public {
        vm.expectRevert(_unauthorized(stranger));
        vm.prank(stranger);
        audit.anchor(bytes32(0), 0, bytes32(0));
    }

    function test_RevertWhen_AnchoringZeroRoot() public {
        vm.expectRevert(abi.encodeWithSelector(IMerkleRootAnchor.AnchorEmptyRoot.selector));
        _anchor(keeper, bytes32(0));
    }

    function test_RevertWhen_AnchoringZeroCount() public {
        vm.expectRevert(abi.encodeWithSelector(IMerkleRootAnchor.AnchorEmptyRoot.selector));
        vm.prank(keeper);
        audit.anchor(ROOT, 0, DIGEST);
    }

    function test_RevertWhen_AnchoringARootTwice() public {
        _anchor(keeper, ROOT);
        vm.expectRevert(abi.encodeWithSelector(IMerkleRootAnchor.AnchorRootExists.selector, ROOT));
        _anchor(keeper, ROOT);
        // another keeper, another count and digest: still the same root
        vm.expectRevert(abi.encodeWithSelector(IMerkleRootAnchor.AnchorRootExists.selector, ROOT));
        vm.prank(keeper2);
        audit.anchor(ROOT, 7, keccak256("other digest"));
        assertEq(audit.anchorCount(), 1);
        assertEq(audit.getAnchor(1).keeper, keeper);
        assertEq(uint256(audit.getAnchor(1).count), COUNT);
    }

    // ------------------------------------------------------------------------------------------ views

    function test_RevertWhen_GettingUnknownAnchor() public {
        vm.expectRevert(abi.encodeWithSelector(IMerkleRootAnchor.AnchorUnknownId.selector, uint256(0)));
        audit.getAnchor(0);
        _anchor(keeper, ROOT);
        vm.expectRevert(abi.encodeWithSelector(IMerkleRootAnchor.AnchorUnknownId.selector, uint256(2)));
        audit.getAnchor(2);
        vm.expectRevert(abi.encodeWithSelector(IMerkleRootAnchor.AnchorUnknownId.selector, type(uint256).max));
        audit.getAnchor(type(uint256).max);
    }

    function test_AnchorIdOf_IsZeroForUnknownRoots() public {
        assertEq(audit.anchorIdOf(ROOT), 0);
        assertEq(audit.anchorIdOf(bytes32(0)), 0);
        _anchor(keeper, ROOT);
        assertEq(audit.anchorIdOf(ROOT_2), 0);
        assertEq(audit.anchorIdOf(bytes32(0)), 0);
    }

    // ---------------------------------------------------------------------------------- via forwarder

    function test_Relayed_KeeperAnchorsAndIsRecorded() public {
        vm.expectEmit(address(audit));
        emit IAuditAnchor.AuditAnchored(1, keeper, ROOT, COUNT, DIGEST);
        vm.prank(relayer);
        forwarder.execute(
            signedRequest(forwarder, keeperKey, address(audit), abi.encodeCall(IAuditAnchor.anchor, (ROOT, COUNT, DIGEST)))
        );
        assertEq(audit.getAnchor(1).keeper, keeper);
        assertEq(forwarder.nonces(keeper), 1);
    }

    function test_Relayed_AdminGrantsKeeperRole() public {
        vm.prank(relayer);
        forwarder.execute(
            signedRequest(forwarder, adminKey, address(audit), abi.encodeCall(IAccessControl.grantRole, (KEEPER_ROLE, stranger)))
        );
        assertTrue(audit.hasRole(KEEPER_ROLE, stranger));
    }

    function test_Relayed_ForgedSignatureDoesNothing() public {
        ERC2771Forwarder.ForwardRequestData memory request = signRequest(
            forwarder,
            forwardRequest(keeper, address(audit), abi.encodeCall(IAuditAnchor.anchor, (ROOT, COUNT, DIGEST))),
            strangerKey
        );
        vm.expectRevert(abi.encodeWithSelector(ERC2771Forwarder.ERC2771ForwarderInvalidSigner.selector, stranger, keeper));
        vm.prank(relayer);
        forwarder.execute(request);
        assertEq(audit.anchorCount(), 0);
    }

    function test_Relayed_StrangerSignedAnchorIsRejected() public {
        ERC2771Forwarder.ForwardRequestData memory request =
            signedRequest(forwarder, strangerKey, address(audit), abi.encodeCall(IAuditAnchor.anchor, (ROOT, COUNT, DIGEST)));
        vm.expectRevert();
        vm.prank(relayer);
        forwarder.execute(request);
        assertEq(audit.anchorCount(), 0);
        assertEq(forwarder.nonces(stranger), 0);
    }

    function test_DirectCallWithSpoofedSuffixActsAsTheCaller() public {
        bytes memory spoofed = abi.encodePacked(abi.encodeCall(IAuditAnchor.anchor, (ROOT, COUNT, DIGEST)), keeper);
        vm.prank(stranger);
        (bool ok, bytes memory reason) = address(audit).call(spoofed);
        assertFalse(ok);
        assertEq(reason, _unauthorized(stranger));
    }
}

contract AuditAnchorFuzzTest is AuditAnchorFixture {
    function testFuzz_AnchorStoresExactlyWhatWasGiven(bytes32 root, uint32 count, bytes32 digest, uint64 timestamp)
        public
    {
        vm.assume(root != bytes32(0) && count != 0);
        vm.warp(timestamp);
        vm.expectEmit(address(audit));
        emit IAuditAnchor.AuditAnchored(1, keeper, root, count, digest);
        vm.prank(keeper);
        uint256 id = audit.anchor(root, count, digest);
        IAuditAnchor.Anchor memory a = audit.getAnchor(id);
        assertEq(a.keeper, keeper);
        assertEq(uint256(a.anchoredAt), timestamp);
        assertEq(uint256(a.count), count);
        assertEq(a.root, root);
        assertEq(a.batchDigest, digest);
        assertEq(audit.anchorIdOf(root), id);
    }

    function testFuzz_EmptyAnchorIsRejected(bytes32 root, uint32 count, bool zeroRoot) public {
        if (zeroRoot) root = bytes32(0);
        else count = 0;
        vm.expectRevert(abi.encodeWithSelector(IMerkleRootAnchor.AnchorEmptyRoot.selector));
        vm.prank(keeper);
        audit.anchor(root, count, DIGEST);
    }

    function testFuzz_OnlyKeepersAnchor(address caller, bytes32 root) public {
        vm.assume(caller != address(forwarder) && root != bytes32(0));
        bool isKeeper = caller == keeper || caller == keeper2;
        if (!isKeeper) vm.expectRevert(_unauthorized(caller));
        _anchor(caller, root);
        assertEq(audit.anchorCount(), isKeeper ? 1 : 0);
        assertEq(audit.anchorIdOf(root), isKeeper ? 1 : 0);
    }

    function testFuzz_RootIsAnchoredOnlyOnce(bytes32 root, uint32 count, bytes32 digest, bool sameKeeper) public {
        vm.assume(root != bytes32(0) && count != 0);
        _anchor(keeper, root);
        vm.expectRevert(abi.encodeWithSelector(IMerkleRootAnchor.AnchorRootExists.selector, root));
        vm.prank(sameKeeper ? keeper : keeper2);
        audit.anchor(root, count, digest);
        assertEq(audit.getAnchor(1).batchDigest, DIGEST);
        assertEq(uint256(audit.getAnchor(1).count), COUNT);
    }
}
