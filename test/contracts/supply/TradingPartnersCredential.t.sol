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
import {Vm} from "../utils/Test.sol";
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
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustIssuerNotAccredited.selector, stranger, TRADING_PARTNER_CREDENTIAL));
        vm.prank(stranger);
        trust.registerCredentialWithClaims(CRED, TRADING_PARTNER_CREDENTIAL, joiner, uint64(block.timestamp), uint64(block.timestamp) + 1, bytes32(uint256(1)));
    }

    function test_RevertWhen_CheckingAnUnknownCredential() public {
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustUnknownCredential.selector, CRED));
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
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustUnknownCredential.selector, CRED));
        _join(joiner, CRED, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
    }

    function test_RevertWhen_TheCredentialIsRevoked() public {
        _issue(CRED, joiner, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        vm.prank(gs1);
        trust.revokeCredential(CRED);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustCredentialRevoked.selector, CRED));
        _join(joiner, CRED, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
    }

    function test_RevertWhen_TheCredentialExpired() public {
        _issue(CRED, joiner, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        vm.warp(block.timestamp + VALIDITY);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustCredentialExpired.selector, CRED));
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
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustCredentialRevoked.selector, CRED));
        _anchorAs(joiner, keccak256("root 2"));
    }

    function test_RevertWhen_AnchoringAfterExpiry() public {
        _issueAndJoin();
        vm.warp(block.timestamp + VALIDITY);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustCredentialExpired.selector, CRED));
        _anchorAs(joiner, keccak256("root"));
    }

    function test_RevertWhen_AnchoringAfterDeaccreditation() public {
        _issueAndJoin();
        vm.prank(admin);
        trust.deaccredit(gs1, TRADING_PARTNER_CREDENTIAL);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustIssuerDeaccredited.selector, gs1, TRADING_PARTNER_CREDENTIAL));
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
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustCredentialRevoked.selector, CRED));
        vm.prank(joiner);
        anchor.recall(614199000016, JOIN_PREFIX, LOT, REASON);
    }

    function test_RevertWhen_MintingAfterRevocation() public {
        _issue(CRED, joiner, KIND_MANUFACTURER, GLN_SPARE, JOIN_PREFIX);
        _join(joiner, CRED, KIND_MANUFACTURER, GLN_SPARE, JOIN_PREFIX);
        uint256 batchId = _anchorOne(joiner, keccak256("commissioning"));
        vm.prank(gs1);
        trust.revokeCredential(CRED);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustCredentialRevoked.selector, CRED));
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

/// @notice A partner registered by credential renews its right with a new credential for the same claims.
abstract contract RenewalFixture is CredentialFixture {
    bytes32 internal constant CRED_2 = keccak256("urn:uuid:tp-2");

    function _renew(address caller, bytes32 id, uint8 kind, uint64 gln, string memory prefix) internal {
        vm.prank(caller);
        partners.renewCredential(id, kind, gln, prefix);
    }

    /// @dev The standard renewal: the issuer issues CRED_2 with the joiner's claims and the joiner renews with it.
    function _issueAndRenew() internal {
        _issue(CRED_2, joiner, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        _renew(joiner, CRED_2, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
    }
}

contract TradingPartnersRenewalTest is RenewalFixture {
    function test_Renew_AfterRevocation_ThePartnerActsAgain() public {
        _issueAndJoin();
        ITradingPartners.Partner memory before = partners.partnerOf(joiner);
        uint256 count = partners.partnerCount();
        vm.prank(gs1);
        trust.revokeCredential(CRED);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustCredentialRevoked.selector, CRED));
        _anchorAs(joiner, keccak256("refused"));

        _issue(CRED_2, joiner, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        vm.recordLogs();
        _renew(joiner, CRED_2, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 1); // PartnerCredentialRenewed only
        assertEq(logs[0].emitter, address(partners));
        assertEq(logs[0].topics[0], ITradingPartners.PartnerCredentialRenewed.selector);
        assertEq(logs[0].topics[1], bytes32(uint256(uint160(joiner))));
        assertEq(logs[0].topics[2], CRED);
        assertEq(logs[0].topics[3], CRED_2);

        assertEq(partners.credentialOf(joiner), CRED_2);
        assertTrue(partners.isActivePartner(joiner));
        assertTrue(partners.isPartner(joiner, KIND_WHOLESALER));
        ITradingPartners.Partner memory after_ = partners.partnerOf(joiner);
        assertEq(abi.encode(after_), abi.encode(before));
        assertEq(partners.partnerCount(), count);
        assertEq(partners.partnerOfGln(GLN_SPARE), joiner);
        _anchorAs(joiner, keccak256("accepted"));
    }

    function test_Renew_AfterExpiry() public {
        _issueAndJoin();
        vm.warp(block.timestamp + VALIDITY);
        assertFalse(partners.isActivePartner(joiner));
        _issueAndRenew();
        assertTrue(partners.isActivePartner(joiner));
        _anchorAs(joiner, keccak256("root"));
    }

    function test_Renew_AfterDeaccreditation_WithAnotherAccreditedIssuer() public {
        _issueAndJoin();
        vm.prank(admin);
        trust.deaccredit(gs1, TRADING_PARTNER_CREDENTIAL);
        assertFalse(partners.isActivePartner(joiner));
        address gs1b = makeAddr("another-gs1-member-organisation");
        vm.prank(admin);
        trust.accredit(gs1b, TRADING_PARTNER_CREDENTIAL);
        vm.prank(gs1b);
        trust.registerCredentialWithClaims(
            CRED_2, TRADING_PARTNER_CREDENTIAL, joiner, uint64(block.timestamp), uint64(block.timestamp) + VALIDITY, _digest(KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX)
        );
        _renew(joiner, CRED_2, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        assertTrue(partners.isActivePartner(joiner));
        _anchorAs(joiner, keccak256("root"));
    }

    function test_Renew_BeforeExpiry_ThenTheOldCredentialNoLongerMatters() public {
        _issueAndJoin();
        vm.warp(block.timestamp + VALIDITY / 2);
        _issueAndRenew(); // CRED_2 runs to now + VALIDITY
        vm.prank(gs1);
        trust.revokeCredential(CRED);
        vm.warp(block.timestamp + VALIDITY / 2 + 1); // past CRED's expiry, inside CRED_2's
        assertTrue(partners.isActivePartner(joiner));
        _anchorAs(joiner, keccak256("root"));
    }

    function test_Renew_ManufacturerKeepsItsPrefix() public {
        _issue(CRED, joiner, KIND_MANUFACTURER, GLN_SPARE, JOIN_PREFIX);
        _join(joiner, CRED, KIND_MANUFACTURER, GLN_SPARE, JOIN_PREFIX);
        vm.prank(gs1);
        trust.revokeCredential(CRED);
        _issue(CRED_2, joiner, KIND_MANUFACTURER, GLN_SPARE, JOIN_PREFIX);
        _renew(joiner, CRED_2, KIND_MANUFACTURER, GLN_SPARE, JOIN_PREFIX);
        assertEq(partners.ownerOfPrefix(JOIN_PREFIX), joiner);
        assertTrue(partners.isPartner(joiner, KIND_MANUFACTURER));
    }

    function test_Renew_ViaForwarder() public {
        _issueAndJoin();
        _issue(CRED_2, joiner, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        ERC2771Forwarder.ForwardRequestData memory request = signedRequest(
            forwarder, joinerKey, address(partners), abi.encodeCall(ITradingPartners.renewCredential, (CRED_2, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX))
        );
        vm.prank(relayer);
        forwarder.execute(request);
        assertEq(partners.credentialOf(joiner), CRED_2);
    }

    function test_Renew_KeepsTheRegistrarsSuspension() public {
        _issueAndJoin();
        _setActive(joiner, false);
        _issueAndRenew();
        assertEq(partners.credentialOf(joiner), CRED_2);
        assertFalse(partners.isActivePartner(joiner));
        (, bool active) = partners.checkPartner(joiner);
        assertFalse(active);
    }

    function test_RevertWhen_RejoiningInsteadOfRenewing() public {
        _issueAndJoin();
        vm.prank(gs1);
        trust.revokeCredential(CRED);
        _issue(CRED_2, joiner, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyPartnerExists.selector, joiner));
        _join(joiner, CRED_2, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
    }

    function test_RevertWhen_RenewingUnregistered() public {
        _issue(CRED_2, joiner, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyUnknownPartner.selector, joiner));
        _renew(joiner, CRED_2, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
    }

    function test_RevertWhen_ARegistrarPartnerRenews() public {
        _issue(CRED_2, wholesaler, KIND_WHOLESALER, GLN_WHOLESALER, "");
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyNotCredentialPartner.selector, wholesaler));
        _renew(wholesaler, CRED_2, KIND_WHOLESALER, GLN_WHOLESALER, "");
    }

    function test_RevertWhen_RenewingWithTheCurrentCredential() public {
        _issueAndJoin();
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyCredentialAlreadyBound.selector, joiner, CRED));
        _renew(joiner, CRED, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
    }

    function test_RevertWhen_RenewalChangesTheKind() public {
        _issueAndJoin();
        _issue(CRED_2, joiner, KIND_MANUFACTURER, GLN_SPARE, JOIN_PREFIX); // the issuer attests the new kind
        vm.expectRevert(
            abi.encodeWithSelector(ITradingPartners.SupplyRenewalClaimsChanged.selector, joiner, KIND_MANUFACTURER, GLN_SPARE, JOIN_PREFIX)
        );
        _renew(joiner, CRED_2, KIND_MANUFACTURER, GLN_SPARE, JOIN_PREFIX);
    }

    function test_RevertWhen_RenewalChangesTheGln() public {
        _issueAndJoin();
        _issue(CRED_2, joiner, KIND_WHOLESALER, GLN_SPARE_2, JOIN_PREFIX);
        vm.expectRevert(
            abi.encodeWithSelector(ITradingPartners.SupplyRenewalClaimsChanged.selector, joiner, KIND_WHOLESALER, GLN_SPARE_2, JOIN_PREFIX)
        );
        _renew(joiner, CRED_2, KIND_WHOLESALER, GLN_SPARE_2, JOIN_PREFIX);
    }

    function test_RevertWhen_RenewalChangesThePrefix() public {
        _issueAndJoin();
        _issue(CRED_2, joiner, KIND_WHOLESALER, GLN_SPARE, "0614198");
        vm.expectRevert(
            abi.encodeWithSelector(ITradingPartners.SupplyRenewalClaimsChanged.selector, joiner, KIND_WHOLESALER, GLN_SPARE, "0614198")
        );
        _renew(joiner, CRED_2, KIND_WHOLESALER, GLN_SPARE, "0614198");
    }

    function test_RevertWhen_TheNewCredentialBindsOtherClaims() public {
        _issueAndJoin();
        _issue(CRED_2, joiner, KIND_WHOLESALER, GLN_SPARE_2, JOIN_PREFIX);
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyClaimsMismatch.selector, CRED_2));
        _renew(joiner, CRED_2, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
    }

    function test_RevertWhen_TheNewCredentialIsRevoked() public {
        _issueAndJoin();
        _issue(CRED_2, joiner, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        vm.prank(gs1);
        trust.revokeCredential(CRED_2);
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustCredentialRevoked.selector, CRED_2));
        _renew(joiner, CRED_2, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        assertEq(partners.credentialOf(joiner), CRED);
    }

    function test_RevertWhen_TheNewCredentialIsUnknown() public {
        _issueAndJoin();
        vm.expectRevert(abi.encodeWithSelector(ITrustRegistry.TrustUnknownCredential.selector, CRED_2));
        _renew(joiner, CRED_2, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
    }

    function test_RevertWhen_TheNewCredentialIsAboutSomeoneElse() public {
        _issueAndJoin();
        _issue(CRED_2, stranger, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyNotCredentialSubject.selector, CRED_2, joiner));
        _renew(joiner, CRED_2, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
    }

    function test_RevertWhen_TheNewCredentialIsOfAnotherType() public {
        _issueAndJoin();
        vm.prank(gs1);
        trust.registerCredentialWithClaims(
            CRED_2, CLINICIAN, joiner, uint64(block.timestamp), uint64(block.timestamp) + VALIDITY, _digest(KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX)
        );
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyWrongCredentialType.selector, CRED_2, CLINICIAN));
        _renew(joiner, CRED_2, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
    }
}

contract TradingPartnersRenewalFuzzTest is RenewalFixture {
    /// @notice A renewal with any claims other than the partner's own is refused with SupplyRenewalClaimsChanged,
    ///         even when the new credential attests them, and nothing changes.
    function testFuzz_RevertWhen_RenewalChangesClaims(uint8 kind, uint64 gln, string calldata prefix) public {
        vm.assume(kind != KIND_WHOLESALER || gln != GLN_SPARE || keccak256(bytes(prefix)) != keccak256(bytes(JOIN_PREFIX)));
        _issueAndJoin();
        _issue(CRED_2, joiner, kind, gln, prefix);
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyRenewalClaimsChanged.selector, joiner, kind, gln, prefix));
        _renew(joiner, CRED_2, kind, gln, prefix);
        assertEq(partners.credentialOf(joiner), CRED);
    }

    /// @notice Whatever ended the first credential (nothing, revocation, de-accreditation re-granted to a new
    ///         issuer, expiry), renewing with a fresh valid credential lets the partner act again.
    function testFuzz_RenewalRestoresTheRight(uint8 what, uint64 elapsed) public {
        _issueAndJoin();
        elapsed = uint64(bound(elapsed, 0, 3 * VALIDITY));
        what = uint8(bound(what, 0, 2));
        address issuer = gs1;
        if (what == 1) {
            vm.prank(gs1);
            trust.revokeCredential(CRED);
        } else if (what == 2) {
            issuer = makeAddr("successor-issuer");
            vm.startPrank(admin);
            trust.deaccredit(gs1, TRADING_PARTNER_CREDENTIAL);
            trust.accredit(issuer, TRADING_PARTNER_CREDENTIAL);
            vm.stopPrank();
        }
        vm.warp(block.timestamp + elapsed);
        vm.prank(issuer);
        trust.registerCredentialWithClaims(
            CRED_2, TRADING_PARTNER_CREDENTIAL, joiner, uint64(block.timestamp), uint64(block.timestamp) + VALIDITY, _digest(KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX)
        );
        _renew(joiner, CRED_2, KIND_WHOLESALER, GLN_SPARE, JOIN_PREFIX);
        assertTrue(partners.isActivePartner(joiner));
        (uint8 kind, bool active) = partners.checkPartner(joiner);
        assertEq(kind, KIND_WHOLESALER);
        assertTrue(active);
        _anchorAs(joiner, keccak256("root"));
    }
}
