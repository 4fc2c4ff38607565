// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {IKeyRegistry} from "../../../contracts/accounts/IKeyRegistry.sol";
import {KeyRegistry} from "../../../contracts/accounts/KeyRegistry.sol";
import {Test} from "../utils/Test.sol";
import {ForwarderSigner} from "../utils/ForwarderSigner.sol";

contract KeyRegistryTest is Test, ForwarderSigner {
    MedchainForwarder internal forwarder;
    KeyRegistry internal registry;

    address internal alice;
    uint256 internal aliceKey;
    address internal bob;
    uint256 internal bobKey;
    address internal relayer;

    bytes32 internal constant KEY_1 = keccak256("x25519 key 1");
    bytes32 internal constant KEY_2 = keccak256("x25519 key 2");

    function setUp() public {
        forwarder = new MedchainForwarder();
        registry = new KeyRegistry(address(forwarder));
        (alice, aliceKey) = makeAddrAndKey("alice");
        (bob, bobKey) = makeAddrAndKey("bob");
        relayer = makeAddr("relayer");
    }

    // ----------------------------------------------------------------------------------------- unit

    function test_SupportsInterface() public view {
        assertTrue(registry.supportsInterface(type(IKeyRegistry).interfaceId));
        assertTrue(registry.supportsInterface(type(IERC165).interfaceId));
        assertFalse(registry.supportsInterface(0xffffffff));
    }

    function test_TrustsTheForwarder() public view {
        assertTrue(registry.isTrustedForwarder(address(forwarder)));
        assertEq(registry.trustedForwarder(), address(forwarder));
    }

    function test_EncryptionKeyOf_UnknownAccountIsZero() public view {
        (bytes32 key, uint64 version) = registry.encryptionKeyOf(alice);
        assertEq(key, bytes32(0));
        assertEq(uint256(version), 0);
    }

    function test_PublishEncryptionKey_FirstPublicationIsVersion1() public {
        vm.expectEmit(address(registry));
        emit IKeyRegistry.EncryptionKeyPublished(alice, KEY_1, 1);
        vm.prank(alice);
        registry.publishEncryptionKey(KEY_1);

        (bytes32 key, uint64 version) = registry.encryptionKeyOf(alice);
        assertEq(key, KEY_1);
        assertEq(uint256(version), 1);
    }

    function test_PublishEncryptionKey_ReplacesKeyAndBumpsVersion() public {
        vm.startPrank(alice);
        registry.publishEncryptionKey(KEY_1);
        vm.expectEmit(address(registry));
        emit IKeyRegistry.EncryptionKeyPublished(alice, KEY_2, 2);
        registry.publishEncryptionKey(KEY_2);
        vm.stopPrank();

        (bytes32 key, uint64 version) = registry.encryptionKeyOf(alice);
        assertEq(key, KEY_2);
        assertEq(uint256(version), 2);
    }

    function test_PublishEncryptionKey_SameKeyAgainStillBumpsVersion() public {
        vm.startPrank(alice);
        registry.publishEncryptionKey(KEY_1);
        registry.publishEncryptionKey(KEY_1);
        vm.stopPrank();
        (bytes32 key, uint64 version) = registry.encryptionKeyOf(alice);
        assertEq(key, KEY_1);
        assertEq(uint256(version), 2);
    }

    function test_PublishEncryptionKey_KeysArePerAccount() public {
        vm.prank(alice);
        registry.publishEncryptionKey(KEY_1);
        vm.prank(bob);
        registry.publishEncryptionKey(KEY_2);

        (bytes32 aKey, uint64 aVersion) = registry.encryptionKeyOf(alice);
        (bytes32 bKey, uint64 bVersion) = registry.encryptionKeyOf(bob);
        assertEq(aKey, KEY_1);
        assertEq(bKey, KEY_2);
        assertEq(uint256(aVersion), 1);
        assertEq(uint256(bVersion), 1);
    }

    function test_RevertWhen_PublishingZeroKey() public {
        vm.expectRevert(abi.encodeWithSelector(IKeyRegistry.KeyRegistryZeroKey.selector));
        vm.prank(alice);
        registry.publishEncryptionKey(bytes32(0));
    }

    function test_RevertWhen_PublishingZeroKey_KeepsPreviousKey() public {
        vm.startPrank(alice);
        registry.publishEncryptionKey(KEY_1);
        vm.expectRevert(abi.encodeWithSelector(IKeyRegistry.KeyRegistryZeroKey.selector));
        registry.publishEncryptionKey(bytes32(0));
        vm.stopPrank();
        (bytes32 key, uint64 version) = registry.encryptionKeyOf(alice);
        assertEq(key, KEY_1);
        assertEq(uint256(version), 1);
    }

    // ------------------------------------------------------------------------------- via forwarder

    function test_Relayed_PublishIsAttributedToTheSigner() public {
        ERC2771Forwarder.ForwardRequestData memory request =
            signedRequest(forwarder, aliceKey, address(registry), abi.encodeCall(IKeyRegistry.publishEncryptionKey, (KEY_1)));
        assertTrue(forwarder.verify(request));

        vm.expectEmit(address(registry));
        emit IKeyRegistry.EncryptionKeyPublished(alice, KEY_1, 1);
        vm.prank(relayer);
        forwarder.execute(request);

        (bytes32 key, uint64 version) = registry.encryptionKeyOf(alice);
        assertEq(key, KEY_1);
        assertEq(uint256(version), 1);
        (bytes32 relayerKey,) = registry.encryptionKeyOf(relayer);
        assertEq(relayerKey, bytes32(0));
        assertEq(forwarder.nonces(alice), 1);
    }

    function test_Relayed_ForgedSignatureDoesNotAct() public {
        // bob signs a request that claims to come from alice
        ERC2771Forwarder.ForwardRequestData memory request =
            forwardRequest(alice, address(registry), abi.encodeCall(IKeyRegistry.publishEncryptionKey, (KEY_2)));
        request = signRequest(forwarder, request, bobKey);
        assertFalse(forwarder.verify(request));

        vm.expectRevert(abi.encodeWithSelector(ERC2771Forwarder.ERC2771ForwarderInvalidSigner.selector, bob, alice));
        vm.prank(relayer);
        forwarder.execute(request);

        (bytes32 key, uint64 version) = registry.encryptionKeyOf(alice);
        assertEq(key, bytes32(0));
        assertEq(uint256(version), 0);
    }

    function test_Relayed_TamperedDataDoesNotAct() public {
        ERC2771Forwarder.ForwardRequestData memory request =
            signedRequest(forwarder, aliceKey, address(registry), abi.encodeCall(IKeyRegistry.publishEncryptionKey, (KEY_1)));
        request.data = abi.encodeCall(IKeyRegistry.publishEncryptionKey, (KEY_2));
        assertFalse(forwarder.verify(request));
        vm.expectRevert();
        vm.prank(relayer);
        forwarder.execute(request);
        (bytes32 key,) = registry.encryptionKeyOf(alice);
        assertEq(key, bytes32(0));
    }

    function test_Relayed_ZeroKeyFailsTheWholeRequest() public {
        ERC2771Forwarder.ForwardRequestData memory request = signedRequest(
            forwarder, aliceKey, address(registry), abi.encodeCall(IKeyRegistry.publishEncryptionKey, (bytes32(0)))
        );
        // the forwarder reverts with FailedCall and does not consume the nonce
        vm.expectRevert();
        vm.prank(relayer);
        forwarder.execute(request);
        assertEq(forwarder.nonces(alice), 0);
    }

    function test_DirectCallWithSpoofedSuffixActsAsTheCaller() public {
        // Appending alice's address to calldata only means something when the trusted forwarder calls.
        vm.prank(bob);
        (bool ok,) = address(registry).call(
            abi.encodePacked(abi.encodeCall(IKeyRegistry.publishEncryptionKey, (KEY_2)), alice)
        );
        assertTrue(ok);
        (bytes32 aliceKeyStored,) = registry.encryptionKeyOf(alice);
        (bytes32 bobKeyStored,) = registry.encryptionKeyOf(bob);
        assertEq(aliceKeyStored, bytes32(0));
        assertEq(bobKeyStored, KEY_2);
    }

    // ----------------------------------------------------------------------------------------- fuzz

    function testFuzz_PublishStoresKeyForCallerOnly(address caller, address other, bytes32 key) public {
        vm.assume(key != bytes32(0));
        vm.assume(caller != other && caller != address(forwarder));
        vm.prank(caller);
        registry.publishEncryptionKey(key);
        (bytes32 stored, uint64 version) = registry.encryptionKeyOf(caller);
        assertEq(stored, key);
        assertEq(uint256(version), 1);
        (bytes32 otherKey, uint64 otherVersion) = registry.encryptionKeyOf(other);
        assertEq(otherKey, bytes32(0));
        assertEq(uint256(otherVersion), 0);
    }

    function testFuzz_VersionCountsPublications(address caller, uint8 publications, bytes32 seed) public {
        vm.assume(caller != address(forwarder));
        uint256 n = bound(publications, 1, 40);
        bytes32 last;
        vm.startPrank(caller);
        for (uint256 i = 0; i < n; ++i) {
            last = keccak256(abi.encode(seed, i));
            registry.publishEncryptionKey(last);
        }
        vm.stopPrank();
        (bytes32 stored, uint64 version) = registry.encryptionKeyOf(caller);
        assertEq(stored, last);
        assertEq(uint256(version), n);
    }

    function testFuzz_RelayedPublishActsAsSigner(uint256 signerKey, bytes32 key) public {
        signerKey = bound(signerKey, 1, 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140);
        vm.assume(key != bytes32(0));
        address signer = vm.addr(signerKey);
        ERC2771Forwarder.ForwardRequestData memory request =
            signedRequest(forwarder, signerKey, address(registry), abi.encodeCall(IKeyRegistry.publishEncryptionKey, (key)));
        vm.prank(relayer);
        forwarder.execute(request);
        (bytes32 stored, uint64 version) = registry.encryptionKeyOf(signer);
        assertEq(stored, key);
        assertEq(uint256(version), 1);
    }
}
