// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {ITrustRegistry} from "../../../contracts/identity/ITrustRegistry.sol";
import {TrustRegistry} from "../../../contracts/identity/TrustRegistry.sol";
import {Test} from "../utils/Test.sol";
import {ModelCheckedHandler} from "../utils/ModelCheckedHandler.sol";

/// @notice Drives TrustRegistry from a pool of actors that play issuers, holders and strangers (directly and through
///         the forwarder), with governance accrediting and de-accrediting issuers and time passing, and keeps an
///         independent model of accreditations, credentials and roles.
/// @dev Every disagreement with the model is recorded in `ghostViolations` (reason in `lastViolation`).
contract TrustRegistryHandler is ModelCheckedHandler {
    TrustRegistry public immutable registry;
    MedchainForwarder public immutable forwarder;
    address public immutable governance;

    uint256 public constant ACTORS = 5;
    uint256 public constant TYPES = 2;
    address[ACTORS] public actors;
    uint256[ACTORS] internal actorKeys;
    bytes32[TYPES] public types;

    // model
    mapping(address issuer => mapping(bytes32 typeId => uint32 epoch)) public ghostEpoch;
    uint32 public ghostEpochs;
    bytes32[] public credentialIds;
    mapping(bytes32 id => ITrustRegistry.Credential credential) internal _credentials;
    mapping(bytes32 typeId => mapping(address account => bytes32 id)) public ghostRole;
    uint256 internal _nonce;

    mapping(bytes4 selector => uint256 count) public calls;
    mapping(bytes4 selector => uint256 count) public successes;

    constructor(TrustRegistry registry_, MedchainForwarder forwarder_, address governance_) {
        registry = registry_;
        forwarder = forwarder_;
        governance = governance_;
        for (uint256 i = 0; i < ACTORS; ++i) {
            (actors[i], actorKeys[i]) = makeAddrAndKey(string.concat("trust-actor-", vm.toString(i)));
        }
        types[0] = keccak256("ClinicianLicenceCredential");
        types[1] = keccak256("AuthorizedTradingPartnerCredential");
    }

    // ------------------------------------------------------------------------------------- actions

    /// @notice Governance accredits an actor for a type.
    function accredit(uint256 issuerSeed, uint256 typeSeed) external {
        ++calls[this.accredit.selector];
        address issuer = actors[issuerSeed % ACTORS];
        bytes32 typeId = types[typeSeed % TYPES];
        bytes memory expected;
        if (ghostEpoch[issuer][typeId] != 0) {
            expected = abi.encodeWithSelector(ITrustRegistry.TrustAlreadyAccredited.selector, issuer, typeId);
        }
        vm.prank(governance);
        (bool ok, bytes memory reason) = address(registry).call(abi.encodeCall(ITrustRegistry.accredit, (issuer, typeId)));
        _checkOutcome(ok, reason, expected, false, "accredit");
        if (!ok) return;
        ++successes[this.accredit.selector];
        ghostEpoch[issuer][typeId] = ++ghostEpochs;
    }

    /// @notice Governance withdraws an accreditation.
    function deaccredit(uint256 issuerSeed, uint256 typeSeed) external {
        ++calls[this.deaccredit.selector];
        address issuer = actors[issuerSeed % ACTORS];
        bytes32 typeId = types[typeSeed % TYPES];
        bytes memory expected;
        if (ghostEpoch[issuer][typeId] == 0) {
            expected = abi.encodeWithSelector(ITrustRegistry.TrustIssuerNotAccredited.selector, issuer, typeId);
        }
        vm.prank(governance);
        (bool ok, bytes memory reason) = address(registry).call(abi.encodeCall(ITrustRegistry.deaccredit, (issuer, typeId)));
        _checkOutcome(ok, reason, expected, false, "deaccredit");
        if (!ok) return;
        ++successes[this.deaccredit.selector];
        ghostEpoch[issuer][typeId] = 0;
    }

    /// @notice Anyone but governance tries to accredit itself: always refused.
    function usurp(uint256 actorSeed, uint256 typeSeed, bool relayed) external {
        ++calls[this.usurp.selector];
        uint256 i = actorSeed % ACTORS;
        bytes32 typeId = types[typeSeed % TYPES];
        bytes memory expected = abi.encodeWithSelector(
            IAccessControl.AccessControlUnauthorizedAccount.selector, actors[i], registry.GOVERNANCE_ROLE()
        );
        (bool ok, bytes memory reason) =
            _act(i, relayed, abi.encodeCall(ITrustRegistry.accredit, (actors[i], typeId)));
        _checkOutcome(ok, reason, expected, relayed, "usurp");
    }

    /// @notice An actor registers a credential (often a valid one, sometimes with an invalid period).
    function register(uint256 issuerSeed, uint256 typeSeed, uint256 subjectSeed, uint256 from, uint256 length, bool relayed)
        external
    {
        ++calls[this.register.selector];
        uint256 i = issuerSeed % ACTORS;
        address issuer = actors[i];
        bytes32 typeId = types[typeSeed % TYPES];
        address subject = actors[subjectSeed % ACTORS];
        uint64 validFrom = uint64(block.timestamp - 30 days + bound(from, 0, 60 days));
        uint64 validUntil = uint64(uint256(validFrom) + bound(length, 0, 90 days));
        bytes32 id = keccak256(abi.encode("credential", ++_nonce));
        uint32 epoch = ghostEpoch[issuer][typeId];
        bytes memory expected;
        if (epoch == 0) {
            expected = abi.encodeWithSelector(ITrustRegistry.TrustIssuerNotAccredited.selector, issuer, typeId);
        } else if (validFrom >= validUntil || validUntil <= block.timestamp) {
            expected = abi.encodeWithSelector(ITrustRegistry.TrustInvalidValidity.selector, validFrom, validUntil);
        }
        (bool ok, bytes memory reason) =
            _act(i, relayed, abi.encodeCall(ITrustRegistry.registerCredential, (id, typeId, subject, validFrom, validUntil)));
        _checkOutcome(ok, reason, expected, relayed, "register");
        if (!ok) return;
        ++successes[this.register.selector];
        credentialIds.push(id);
        _credentials[id] = ITrustRegistry.Credential({
            typeId: typeId,
            issuer: issuer,
            subject: subject,
            validFrom: validFrom,
            validUntil: validUntil,
            accreditationEpoch: epoch,
            revoked: false
        });
    }

    /// @notice An actor (or governance) revokes a known credential (or an unknown id).
    function revoke(uint256 callerSeed, uint256 credentialSeed, bool relayed) external {
        ++calls[this.revoke.selector];
        bytes32 id = _pick(credentialSeed);
        ITrustRegistry.Credential storage c = _credentials[id];
        bool asGovernance = callerSeed % 7 == 0;
        uint256 i = callerSeed % ACTORS;
        // often the issuer itself
        if (!asGovernance && callerSeed % 3 != 0 && c.issuer != address(0)) i = _indexOf(c.issuer);
        address caller = asGovernance ? governance : actors[i];
        bytes memory expected;
        if (c.issuer == address(0)) {
            expected = abi.encodeWithSelector(ITrustRegistry.TrustUnknownCredential.selector, id);
        } else if (caller != c.issuer && !asGovernance) {
            expected = abi.encodeWithSelector(ITrustRegistry.TrustNotIssuer.selector, id, caller);
        } else if (c.revoked) {
            expected = abi.encodeWithSelector(ITrustRegistry.TrustAlreadyRevoked.selector, id);
        }
        bytes memory data = abi.encodeCall(ITrustRegistry.revokeCredential, (id));
        bool ok;
        bytes memory reason;
        if (asGovernance) {
            relayed = false;
            vm.prank(governance);
            (ok, reason) = address(registry).call(data);
        } else {
            (ok, reason) = _act(i, relayed, data);
        }
        _checkOutcome(ok, reason, expected, relayed, "revoke");
        if (!ok) return;
        ++successes[this.revoke.selector];
        c.revoked = true;
    }

    /// @notice An actor claims a role with a credential (often its own).
    function claim(uint256 callerSeed, uint256 credentialSeed, bool relayed) external {
        ++calls[this.claim.selector];
        bytes32 id = _pick(credentialSeed);
        ITrustRegistry.Credential storage c = _credentials[id];
        uint256 i = callerSeed % ACTORS;
        if (callerSeed % 4 != 0 && c.subject != address(0)) i = _indexOf(c.subject);
        address caller = actors[i];
        bytes memory expected;
        if (c.issuer == address(0)) {
            expected = abi.encodeWithSelector(ITrustRegistry.TrustUnknownCredential.selector, id);
        } else if (caller != c.subject) {
            expected = abi.encodeWithSelector(ITrustRegistry.TrustNotSubject.selector, id, caller);
        } else {
            expected = _validityError(id);
        }
        (bool ok, bytes memory reason) = _act(i, relayed, abi.encodeCall(ITrustRegistry.claimRole, (id)));
        _checkOutcome(ok, reason, expected, relayed, "claim");
        if (!ok) return;
        ++successes[this.claim.selector];
        ghostRole[c.typeId][caller] = id;
    }

    /// @notice Time passes (credentials start and expire).
    function warp(uint256 elapsed) external {
        ++calls[this.warp.selector];
        vm.warp(block.timestamp + bound(elapsed, 1, 20 days));
    }

    // ------------------------------------------------------------------------------------ the model

    /// @notice The revert data of the first failing validity check of a registered credential (empty when valid).
    function _validityError(bytes32 id) public view returns (bytes memory) {
        ITrustRegistry.Credential memory c = _credentials[id];
        if (c.revoked) return abi.encodeWithSelector(ITrustRegistry.TrustCredentialRevoked.selector, id);
        if (block.timestamp < c.validFrom) return abi.encodeWithSelector(ITrustRegistry.TrustCredentialNotYetValid.selector, id);
        if (block.timestamp >= c.validUntil) return abi.encodeWithSelector(ITrustRegistry.TrustCredentialExpired.selector, id);
        if (ghostEpoch[c.issuer][c.typeId] != c.accreditationEpoch) {
            return abi.encodeWithSelector(ITrustRegistry.TrustIssuerDeaccredited.selector, c.issuer, c.typeId);
        }
        return "";
    }

    /// @notice The model's stored credential.
    function ghostCredential(bytes32 id) external view returns (ITrustRegistry.Credential memory) {
        return _credentials[id];
    }

    function credentialCount() external view returns (uint256) {
        return credentialIds.length;
    }

    function _pick(uint256 seed) private view returns (bytes32) {
        uint256 n = credentialIds.length;
        if (n == 0 || seed % 10 == 0) return keccak256(abi.encode("unknown", seed));
        return credentialIds[seed % n];
    }

    function _indexOf(address account) private view returns (uint256) {
        for (uint256 i = 0; i < ACTORS; ++i) {
            if (actors[i] == account) return i;
        }
        return 0;
    }

    function _act(uint256 i, bool relayed, bytes memory data) private returns (bool, bytes memory) {
        return _callAs(forwarder, actorKeys[i], actors[i], address(registry), relayed, data);
    }
}

contract TrustRegistryInvariantTest is Test {
    TrustRegistry internal registry;
    TrustRegistryHandler internal handler;
    address internal governance;

    function setUp() public {
        vm.warp(1_800_000_000);
        MedchainForwarder forwarder = new MedchainForwarder();
        governance = makeAddr("trust-governance");
        registry = new TrustRegistry(address(forwarder), governance);
        handler = new TrustRegistryHandler(registry, forwarder, governance);

        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = TrustRegistryHandler.accredit.selector;
        selectors[1] = TrustRegistryHandler.accredit.selector; // twice: accreditations drive everything else
        selectors[2] = TrustRegistryHandler.deaccredit.selector;
        selectors[3] = TrustRegistryHandler.usurp.selector;
        selectors[4] = TrustRegistryHandler.register.selector;
        selectors[5] = TrustRegistryHandler.register.selector;
        selectors[6] = TrustRegistryHandler.revoke.selector;
        selectors[7] = TrustRegistryHandler.claim.selector;
        selectors[8] = TrustRegistryHandler.claim.selector;
        selectors[9] = TrustRegistryHandler.warp.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// Every call (success or exact error) behaved as the model predicts.
    function invariant_OutcomesMatchModel() public view {
        assertEq(handler.ghostViolations(), 0, handler.lastViolation());
    }

    /// No role without a credential that is registered for that type and that account, by an issuer accredited then
    /// and still (same accreditation), unrevoked, and within its validity period; and the role is exactly the model's.
    function invariant_NoRoleWithoutAValidCredential() public view {
        for (uint256 t = 0; t < handler.TYPES(); ++t) {
            bytes32 typeId = handler.types(t);
            for (uint256 a = 0; a < handler.ACTORS(); ++a) {
                address account = handler.actors(a);
                bool has = registry.hasValidRole(typeId, account);
                bytes32 modelId = handler.ghostRole(typeId, account);
                bool modelHas = modelId != bytes32(0) && handler._validityError(modelId).length == 0;
                assertEq(has, modelHas, "hasValidRole vs model");
                if (!has) continue;
                bytes32 id = registry.roleCredential(typeId, account);
                ITrustRegistry.Credential memory c = registry.getCredential(id);
                (uint32 epoch,) = registry.accreditation(c.issuer, typeId);
                assertEq(c.typeId, typeId, "type");
                assertEq(c.subject, account, "subject");
                assertFalse(c.revoked, "revoked credential gives a role");
                assertTrue(c.validFrom <= block.timestamp && block.timestamp < c.validUntil, "credential out of period");
                assertTrue(epoch != 0 && epoch == c.accreditationEpoch, "issuer not accredited since issuance");
                assertEq(registry.checkRole(typeId, account), id, "checkRole");
            }
        }
    }

    /// Accreditations agree with the model (only governance's calls changed them).
    function invariant_AccreditationsMatchModel() public view {
        for (uint256 t = 0; t < handler.TYPES(); ++t) {
            for (uint256 a = 0; a < handler.ACTORS(); ++a) {
                (uint32 epoch,) = registry.accreditation(handler.actors(a), handler.types(t));
                assertEq(uint256(epoch), uint256(handler.ghostEpoch(handler.actors(a), handler.types(t))), "epoch");
            }
        }
    }

    /// Registered credentials never change, except `revoked` going from false to true.
    function invariant_CredentialsChangeOnlyByRevocation() public view {
        uint256 n = handler.credentialCount();
        for (uint256 k = 0; k < n; ++k) {
            bytes32 id = handler.credentialIds(k);
            ITrustRegistry.Credential memory c = registry.getCredential(id);
            ITrustRegistry.Credential memory m = handler.ghostCredential(id);
            assertEq(c.typeId, m.typeId, "typeId");
            assertEq(c.issuer, m.issuer, "issuer");
            assertEq(c.subject, m.subject, "subject");
            assertEq(uint256(c.validFrom), uint256(m.validFrom), "validFrom");
            assertEq(uint256(c.validUntil), uint256(m.validUntil), "validUntil");
            assertEq(uint256(c.accreditationEpoch), uint256(m.accreditationEpoch), "epoch");
            assertEq(c.revoked, m.revoked, "revoked");
            assertEq(registry.isRevoked(id), m.revoked, "isRevoked");
        }
    }
}
