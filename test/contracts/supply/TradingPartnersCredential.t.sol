// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {ITrustRegistry} from "../../../contracts/identity/ITrustRegistry.sol";
import {ISupplyAnchor} from "../../../contracts/supply/ISupplyAnchor.sol";
import {IDigitalTwin} from "../../../contracts/supply/IDigitalTwin.sol";
import {
    ITradingPartners,
    KIND_MANUFACTURER,
    KIND_WHOLESALER,
    TRADING_PARTNER_CREDENTIAL
} from "../../../contracts/supply/ITradingPartners.sol";
import {SupplyFixture} from "./SupplyFixture.sol";

/// @notice A trading partner registers itself with an authorized-trading-partner credential whose claims the
///         accredited issuer bound in the trust registry, and acts only while that credential stays valid.
abstract contract CredentialFixture is SupplyFixture {
    address internal gs1;
    address internal joiner;
    uint256 internal joinerKey;

    bytes32 internal constant CRED = keccak256("urn:uuid:tp-1");
    bytes32 internal constant CLINICIAN = keccak256("ClinicianLicenceCredential");
    string internal constant JOIN_PREFIX = "0614199";
    uint64 internal constant VALIDITY = 365 days;

    function setUp() public virtual override {
        super.setUp();
        gs1 = makeAddr("gs1-member-organisation");
        (joiner, joinerKey) = makeAddrAndKey("joining-wholesaler");
        vm.startPrank(admin); // the fixture's trust registry is governed by `admin`
        trust.accredit(gs1, TRADING_PARTNER_CREDENTIAL);
        trust.accredit(gs1, CLINICIAN);
        vm.stopPrank();
    }

    function _digest(uint8 kind, uint64 gln, string memory prefix) internal pure returns (bytes32) {
        return keccak256(abi.encode(kind, gln, prefix));
    }

    /// @dev The issuer registers credential `id` about `subject` with the claims (kind, gln, prefix) bound.
    function _issue(bytes32 id, address subject, uint8 kind, uint64 gln, string memory prefix) internal {
        vm.prank(gs1);
        trust.registerCredentialWithClaims(
            id, TRADING_PARTNER_CREDENTIAL, subject, uint64(block.timestamp), uint64(block.timestamp) + VALIDITY, _digest(kind, gln, prefix)
        );
    }

    function _join(address caller, bytes32 id, uint8 kind, uint64 gln, string memory prefix) internal {
        vm.prank(caller);
        partners.registerWithCredential(id, kind, gln, prefix);
    }

    /// @dev The standard case: the joiner, a wholesaler with GLN_SPARE, holds CRED and joins with it.
    function _issueAndJoin() internal {
        _issue(CRED, joiner, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        _join(joiner, CRED, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
    }

    function _anchorAs(address caller, bytes32 root) internal returns (uint256) {
        vm.prank(caller);
        return anchor.anchorBatch(root, 1, bytes32(0));
    }
}

contract TradingPartnersCredentialTest is CredentialFixture {
    // ---------------------------------------------------------------------- registerCredentialWithClaims

    function test_RegisterCredentialWithClaims_BindsTheDigest() public {
        bytes32 digest = _digest(KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        vm.expectEmit(address(trust));
        emit ITrustRegistry.CredentialClaimsBound(CRED, digest);
        _issue(CRED, joiner, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        assertEq(trust.claimsDigestOf(CRED), digest);
        (ITrustRegistry.Credential memory c, bytes32 bound) = trust.checkCredential(CRED);
        assertEq(bound, digest);
        assertEq(c.subject, joiner);
        assertEq(c.issuer, gs1);
        assertEq(partners.partnerClaimsDigest(KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX), digest);
    }

    function test_RegisterCredentialWithClaims_ZeroDigestBindsNothing() public {
        vm.recordLogs();
        vm.prank(gs1);
        trust.registerCredentialWithClaims(CRED, TRADING_PARTNER_CREDENTIAL, joiner, uint64(block.timestamp), uint64(block.timestamp) + 1 days, 0);
        assertEq(vm.getRecordedLogs().length, 1); // CredentialRegistered only
        assertEq(trust.claimsDigestOf(CRED), bytes32(0));
    }

    function test_RevertWhen_RegisteringClaimsUnaccredited() public {
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.Trust_IssuerNotAccredited.selector, stranger, TRADING_PARTNER_CREDENTIAL));
        vm.prank(stranger);
        trust.registerCredentialWithClaims(CRED, TRADING_PARTNER_CREDENTIAL, joiner, uint64(block.timestamp), uint64(block.timestamp) + 1, bytes32(uint256(1)));
    }

    function test_RevertWhen_CheckingAnUnknownCredential() public {
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.Trust_UnknownCredential.selector, CRED));
        trust.checkCredential(CRED);
    }

    // ---------------------------------------------------------------------- registerWithCredential

    function test_RegisterWithCredential_RegistersTheClaimedPartner() public {
        _issue(CRED, joiner, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        uint256 before = partners.partnerCount();
        vm.expectEmit(address(partners));
        emit ITradingPartners.PartnerRegistered(joiner, KIND_WHOLESALER, GLN_SPARE, gs1);
        vm.expectEmit(address(partners));
        emit ITradingPartners.PartnerCredentialBound(joiner, CRED);
        _join(joiner, CRED, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);

        ITradingPartners.Partner memory p = partners.partnerOf(joiner);
        assertEq(p.kind, KIND_WHOLESALER);
        assertEq(p.gln, GLN_SPARE);
        assertTrue(p.active);
        assertEq(p.registeredAt, block.timestamp);
        assertEq(partners.credentialOf(joiner), CRED);
        assertEq(partners.partnerOfGln(GLN_SPARE), joiner);
        assertEq(partners.partnerCount(), before + 1);
        assertTrue(partners.isActivePartner(joiner));
        assertTrue(partners.isPartner(joiner, KIND_WHOLESALER));
        // a wholesaler's prefix is bound by the digest, not registered as a product prefix
        assertEq(partners.ownerOfPrefix(JOIN_PREFIX), address(0));
        (uint8 kind, bool active) = partners.checkPartner(joiner);
        assertEq(kind, KIND_WHOLESALER);
        assertTrue(active);
        assertEq(address(partners.trustRegistry()), address(trust));
    }

    function test_RegisterWithCredential_ManufacturerGetsItsPrefix() public {
        _issue(CRED, joiner, KIND_MANUFACTURER, GLN_SPARE, JOIN_PREFIX);
        _join(joiner, CRED, KIND_MANUFACTURER, GLN_SPARE, JOIN_PREFIX);
        assertTrue(partners.ownsPrefix(joiner, JOIN_PREFIX));
    }

    function test_RegisterWithCredential_ViaForwarder() public {
        _issue(CRED, joiner, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        ERC2771Forwarder.ForwardRequestData memory request = signedRequest(
            forwarder, joinerKey, address(partners), abi.encodeCall(ITradingPartners.registerWithCredential, (CRED, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX))
        );
        vm.prank(relayer);
        forwarder.execute(request);
        assertEq(partners.credentialOf(joiner), CRED);
        assertTrue(partners.isActivePartner(joiner));
    }

    function test_RevertWhen_ClaimedGlnDiffersFromTheCredential() public {
        _issue(CRED, joiner, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyClaimsMismatch.selector, CRED));
        _join(joiner, CRED, KIND_WHOLESALER, GLN_SPARE_2, JOIN_PREFIX);
    }

    function test_RevertWhen_ClaimedKindDiffersFromTheCredential() public {
        _issue(CRED, joiner, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyClaimsMismatch.selector, CRED));
        _join(joiner, CRED, KIND_MANUFACTURER, GLN_SPARE, JOIN_PREFIX);
    }

    function test_RevertWhen_TheCredentialBindsNoClaims() public {
        vm.prank(gs1);
        trust.registerCredential(CRED, TRADING_PARTNER_CREDENTIAL, joiner, uint64(block.timestamp), uint64(block.timestamp) + VALIDITY);
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyClaimsMismatch.selector, CRED));
        _join(joiner, CRED, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
    }

    function test_RevertWhen_CallerIsNotTheSubject() public {
        _issue(CRED, joiner, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyNotCredentialSubject.selector, CRED, stranger));
        _join(stranger, CRED, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
    }

    function test_RevertWhen_TheCredentialIsOfAnotherType() public {
        vm.prank(gs1);
        trust.registerCredentialWithClaims(
            CRED, CLINICIAN, joiner, uint64(block.timestamp), uint64(block.timestamp) + VALIDITY, _digest(KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX)
        );
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyWrongCredentialType.selector, CRED, CLINICIAN));
        _join(joiner, CRED, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
    }

    function test_RevertWhen_TheCredentialIsUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.Trust_UnknownCredential.selector, CRED));
        _join(joiner, CRED, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
    }

    function test_RevertWhen_TheCredentialIsRevoked() public {
        _issue(CRED, joiner, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        vm.prank(gs1);
        trust.revokeCredential(CRED);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.Trust_CredentialRevoked.selector, CRED));
        _join(joiner, CRED, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
    }

    function test_RevertWhen_TheCredentialExpired() public {
        _issue(CRED, joiner, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        vm.warp(block.timestamp + VALIDITY);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.Trust_CredentialExpired.selector, CRED));
        _join(joiner, CRED, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
    }

    function test_RevertWhen_AlreadyAPartner() public {
        _issue(CRED, wholesaler, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyPartnerExists.selector, wholesaler));
        _join(wholesaler, CRED, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
    }

    function test_RevertWhen_TheClaimedGlnIsTaken() public {
        _issue(CRED, joiner, KIND_WHOLESALER, GLN_WHOLESALER, JOIN_PREFIX);
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyGlnTaken.selector, GLN_WHOLESALER, wholesaler));
        _join(joiner, CRED, KIND_WHOLESALER, GLN_WHOLESALER, JOIN_PREFIX);
    }

    function test_RevertWhen_TheClaimedManufacturerPrefixIsTaken() public {
        _issue(CRED, joiner, KIND_MANUFACTURER, GLN_SPARE, PREFIX);
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyPrefixTaken.selector, PREFIX));
        _join(joiner, CRED, KIND_MANUFACTURER, GLN_SPARE, PREFIX);
    }

    // ---------------------------------------------------------------------- acting while the credential holds

    function test_CredentialPartnerAnchorsWhileValid() public {
        _issueAndJoin();
        assertEq(_anchorAs(joiner, keccak256("root")), 1);
    }

    function test_RevertWhen_AnchoringAfterRevocation() public {
        _issueAndJoin();
        _anchorAs(joiner, keccak256("root"));
        vm.prank(gs1);
        trust.revokeCredential(CRED);
        assertFalse(partners.isActivePartner(joiner));
        assertFalse(partners.isPartner(joiner, KIND_WHOLESALER));
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.Trust_CredentialRevoked.selector, CRED));
        _anchorAs(joiner, keccak256("root 2"));
    }

    function test_RevertWhen_AnchoringAfterExpiry() public {
        _issueAndJoin();
        vm.warp(block.timestamp + VALIDITY);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.Trust_CredentialExpired.selector, CRED));
        _anchorAs(joiner, keccak256("root"));
    }

    function test_RevertWhen_AnchoringAfterDeaccreditation() public {
        _issueAndJoin();
        vm.prank(admin);
        trust.deaccredit(gs1, TRADING_PARTNER_CREDENTIAL);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.Trust_IssuerDeaccredited.selector, gs1, TRADING_PARTNER_CREDENTIAL));
        _anchorAs(joiner, keccak256("root"));
    }

    function test_RevertWhen_SuspendedCredentialPartnerAnchors() public {
        _issueAndJoin();
        _setActive(joiner, false);
        vm.expectRevert(abi.encodeWithSelector(ISupplyAnchor.SupplyNotPartner.selector, joiner));
        _anchorAs(joiner, keccak256("root"));
    }

    function test_RevertWhen_RecallingAfterRevocation() public {
        _issue(CRED, joiner, KIND_MANUFACTURER, GLN_SPARE, JOIN_PREFIX);
        _join(joiner, CRED, KIND_MANUFACTURER, GLN_SPARE, JOIN_PREFIX);
        vm.prank(gs1);
        trust.revokeCredential(CRED);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.Trust_CredentialRevoked.selector, CRED));
        vm.prank(joiner);
        anchor.recall(614199000016, JOIN_PREFIX, LOT, REASON);
    }

    function test_RevertWhen_MintingAfterRevocation() public {
        _issue(CRED, joiner, KIND_MANUFACTURER, GLN_SPARE, JOIN_PREFIX);
        _join(joiner, CRED, KIND_MANUFACTURER, GLN_SPARE, JOIN_PREFIX);
        uint256 batchId = _anchorOne(joiner, keccak256("commissioning"));
        vm.prank(gs1);
        trust.revokeCredential(CRED);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.Trust_CredentialRevoked.selector, CRED));
        vm.prank(joiner);
        twin.mintTwin(batchId, keccak256("commissioning"), new bytes32[](0), keccak256("unit"), joiner);
    }

    function test_RevertWhen_MintingToARevokedPartner() public {
        _issueAndJoin();
        uint256 batchId = _anchorOne(manufacturer, keccak256("commissioning"));
        vm.prank(gs1);
        trust.revokeCredential(CRED);
        vm.expectRevert(abi.encodeWithSelector(IDigitalTwin.TwinInvalidRecipient.selector, joiner));
        vm.prank(manufacturer);
        twin.mintTwin(batchId, keccak256("commissioning"), new bytes32[](0), keccak256("unit"), joiner);
    }

    function test_RegistrarPartnersAreUnaffected() public view {
        (uint8 kind, bool active) = partners.checkPartner(wholesaler);
        assertEq(kind, KIND_WHOLESALER);
        assertTrue(active);
        assertEq(partners.credentialOf(wholesaler), bytes32(0));
        (kind, active) = partners.checkPartner(stranger);
        assertEq(kind, 0);
        assertFalse(active);
    }
}

contract TradingPartnersCredentialFuzzTest is CredentialFixture {
    /// @notice Any claims other than the bound ones are refused with SupplyClaimsMismatch, and nothing is stored.
    function testFuzz_RevertWhen_ClaimsDiffer(uint8 kind, uint64 gln, string calldata prefix) public {
        vm.assume(kind != KIND_WHOLESALER || gln != GLN_SPARE || keccak256(bytes(prefix)) != keccak256(bytes(JOIN_PREFIX)));
        _issue(CRED, joiner, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyClaimsMismatch.selector, CRED));
        _join(joiner, CRED, kind, gln, prefix);
        assertEq(partners.credentialOf(joiner), bytes32(0));
        assertFalse(partners.isActivePartner(joiner));
    }

    /// @notice A credential partner anchors exactly while its credential is valid, whatever happens to it.
    function testFuzz_AnchorsOnlyWhileTheCredentialIsValid(uint8 what, uint64 elapsed) public {
        _issueAndJoin();
        elapsed = uint64(bound(elapsed, 0, 2 * VALIDITY));
        what = uint8(bound(what, 0, 2));
        if (what == 1) {
            vm.prank(gs1);
            trust.revokeCredential(CRED);
        } else if (what == 2) {
            vm.prank(admin);
            trust.deaccredit(gs1, TRADING_PARTNER_CREDENTIAL);
        }
        vm.warp(block.timestamp + elapsed);
        bool valid = trust.credentialStatus(CRED) == ITrustRegistry.CredentialStatus.Valid;
        assertEq(valid, what == 0 && elapsed < VALIDITY);
        assertEq(partners.isActivePartner(joiner), valid);
        if (!valid) vm.expectRevert();
        _anchorAs(joiner, keccak256("root"));
    }
}
