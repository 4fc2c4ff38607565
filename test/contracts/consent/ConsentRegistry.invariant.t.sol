// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {IConsentRegistry} from "../../../contracts/consent/IConsentRegistry.sol";
import {ConsentRegistry} from "../../../contracts/consent/ConsentRegistry.sol";
import {ITrustRegistry} from "../../../contracts/identity/ITrustRegistry.sol";
import {TrustRegistry} from "../../../contracts/identity/TrustRegistry.sol";
import {Test} from "../utils/Test.sol";
import {ModelCheckedHandler} from "../utils/ModelCheckedHandler.sol";

/// @notice Drives ConsentRegistry (grant / revoke / setDelegate / breakGlass, directly and through the
///         forwarder, plus clinician licences registered and revoked in the trust registry, and the passing of time) from a pool of actors
///         that play patients, delegates, clinicians, grantees and strangers, and keeps an independent model.
/// @dev A failed assertion inside a handler only counts as a reverted call, so every disagreement with the
///      model is recorded in `ghostViolations` (reason in `lastViolation`) and checked by the invariants.
///      Actors 4 and 5 start as clinicians; an accredited board may license anyone later (the actor claims the
///      role) or revoke an actor's licence.
contract ConsentRegistryHandler is ModelCheckedHandler {
    ConsentRegistry public immutable registry;
    MedchainForwarder public immutable forwarder;
    TrustRegistry public immutable trust;
    address public immutable board;
    uint32 public immutable cap;
    uint64 public immutable duration;

    bytes32 internal constant CLINICIAN_TYPE = keccak256("ClinicianLicenceCredential");
    uint32 internal constant ETREAT = 1 << 1;
    uint32 internal constant VALID_BITS = 0x7FF;

    uint256 public constant ACTORS = 6;
    address[ACTORS] public actors;
    uint256[ACTORS] internal actorKeys;

    // model
    mapping(address patient => mapping(address delegate => bool allowed)) public ghostDelegate;
    mapping(address account => bool clinician) public ghostClinician;
    /// @dev The licence each actor last claimed the clinician role with (zero if none).
    mapping(address account => bytes32 credentialId) public ghostLicence;
    uint256 internal _licences;
    IConsentRegistry.Grant[] internal _grants; // grant id = index + 1
    /// @dev Per grant: the issuer was, at that moment, the patient or one of its delegates (ordinary grants)
    ///      or a holder of the clinician role (break-glass).
    mapping(uint256 grantId => bool allowed) public ghostIssuerAllowed;
    /// @dev Per revoked grant: the revoker was, at that moment, the patient or one of its delegates.
    mapping(uint256 grantId => bool allowed) public ghostRevokerAllowed;

    mapping(bytes4 selector => uint256 count) public calls;
    mapping(bytes4 selector => uint256 count) public successes;

    constructor(ConsentRegistry registry_, MedchainForwarder forwarder_, TrustRegistry trust_, address board_) {
        registry = registry_;
        forwarder = forwarder_;
        trust = trust_;
        board = board_;
        cap = registry_.breakGlassMaxCategories();
        duration = registry_.breakGlassDuration();
        for (uint256 i = 0; i < ACTORS; ++i) {
            (actors[i], actorKeys[i]) = makeAddrAndKey(string.concat("consent-actor-", vm.toString(i)));
        }
        for (uint256 i = 4; i < ACTORS; ++i) {
            _license(actors[i]);
        }
    }

    // ------------------------------------------------------------------------------------- actions

    struct GrantArgs {
        uint256 callerSeed;
        address caller;
        address patient;
        address grantee;
        uint32 categories;
        uint32 purposes;
        uint64 notBefore;
        uint64 expiresAt;
        bool relayed;
    }

    /// @param mode Low 2 bits choose the patient (random / the caller / a patient the caller is a delegate of);
    ///        the next 3 bits choose which input, if any, is left unconstrained (so often invalid).
    function grant(
        uint256 callerSeed,
        uint256 patientSeed,
        uint256 granteeSeed,
        uint32 categories,
        uint32 purposes,
        uint256 startSeed,
        uint256 lengthSeed,
        uint256 mode,
        bool relayed
    ) external {
        ++calls[this.grant.selector];
        GrantArgs memory a;
        a.callerSeed = callerSeed;
        a.caller = _actor(callerSeed);
        a.relayed = relayed;
        uint256 who = mode % 4;
        if (who == 0) a.patient = _actor(patientSeed);
        else if (who == 1) a.patient = a.caller;
        else a.patient = _patientOf(a.caller, patientSeed);
        a.grantee = granteeSeed % 16 == 15 ? address(0) : _actor(granteeSeed);

        uint256 loose = (mode >> 2) % 8;
        a.categories = loose == 0 ? categories : uint32(bound(categories, 1, VALID_BITS));
        a.purposes = loose == 1 ? purposes : uint32(bound(purposes, 1, VALID_BITS));
        // a period around now: started up to a day ago or starting within two days, lasting up to ten days
        uint256 start = block.timestamp - 1 days + bound(startSeed, 0, 3 days);
        uint256 end = loose == 2 ? bound(lengthSeed, start - 2 days, start) : start + bound(lengthSeed, 1, 10 days);
        a.notBefore = uint64(start);
        a.expiresAt = uint64(end);
        _grant(a);
    }

    function _grant(GrantArgs memory a) private {
        bool allowed = a.caller == a.patient || ghostDelegate[a.patient][a.caller];
        bytes memory expected;
        if (!allowed) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentNotPatientOrDelegate.selector, a.patient, a.caller);
        } else if (a.grantee == address(0) || a.grantee == a.patient) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentInvalidGrantee.selector, a.grantee);
        } else if (a.categories == 0 || a.categories > VALID_BITS) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentInvalidScope.selector, a.categories);
        } else if (a.purposes == 0 || a.purposes > VALID_BITS) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentInvalidPurpose.selector, a.purposes);
        } else if (a.notBefore >= a.expiresAt || a.expiresAt <= block.timestamp) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentInvalidPeriod.selector, a.notBefore, a.expiresAt);
        }
        (bool ok, bytes memory result) = _act(
            a.callerSeed,
            a.relayed,
            abi.encodeCall(
                IConsentRegistry.grant, (a.patient, a.grantee, a.categories, a.purposes, a.notBefore, a.expiresAt)
            )
        );
        _checkOutcome(ok, result, expected, a.relayed, "grant");
        if (!ok) return;
        ++successes[this.grant.selector];
        _grants.push(
            IConsentRegistry.Grant({
                patient: a.patient,
                categories: a.categories,
                purposes: a.purposes,
                notBefore: a.notBefore,
                grantee: a.grantee,
                expiresAt: a.expiresAt,
                revoked: false,
                breakGlass: false
            })
        );
        ghostIssuerAllowed[_grants.length] = allowed;
        _checkNewId(result, a.relayed, "grant");
    }

    /// @param mode Chooses the caller: the grant's patient, a delegate of it (if any), or anyone.
    function revoke(uint256 callerSeed, uint256 idSeed, uint256 mode, bool relayed) external {
        ++calls[this.revoke.selector];
        uint256 n = _grants.length;
        // mostly an existing grant, sometimes an unknown id (0 or past the last one)
        uint256 grantId = n > 0 && idSeed % 8 != 0 ? 1 + idSeed % n : (idSeed % 2 == 0 ? 0 : n + 1 + idSeed % 3);
        bool exists = grantId != 0 && grantId <= n;
        address patient = exists ? _grants[grantId - 1].patient : address(0);

        uint256 i = callerSeed % ACTORS;
        if (exists && mode % 3 == 0) i = _indexOf(patient);
        else if (exists && mode % 3 == 1) i = _indexOf(_delegateOf(patient, callerSeed));
        address caller = actors[i];

        bool allowed = exists && (caller == patient || ghostDelegate[patient][caller]);
        bytes memory expected;
        if (!exists) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentUnknownGrant.selector, grantId);
        } else if (!allowed) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentNotPatientOrDelegate.selector, patient, caller);
        } else if (_grants[grantId - 1].revoked) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentAlreadyRevoked.selector, grantId);
        }
        (bool ok, bytes memory result) = _act(i, relayed, abi.encodeCall(IConsentRegistry.revoke, (grantId)));
        _checkOutcome(ok, result, expected, relayed, "revoke");
        if (!ok) return;
        ++successes[this.revoke.selector];
        if (!exists) return; // already a violation; nothing to model
        _grants[grantId - 1].revoked = true;
        ghostRevokerAllowed[grantId] = allowed;
    }

    function setDelegate(uint256 patientSeed, uint256 delegateSeed, bool allowed, bool zero, bool relayed) external {
        ++calls[this.setDelegate.selector];
        address patient = _actor(patientSeed);
        address delegate = zero && delegateSeed % 8 == 0 ? address(0) : _actor(delegateSeed);
        bytes memory expected;
        if (delegate == address(0) || delegate == patient) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentInvalidDelegate.selector, delegate);
        }
        (bool ok, bytes memory result) =
            _act(patientSeed, relayed, abi.encodeCall(IConsentRegistry.setDelegate, (delegate, allowed)));
        _checkOutcome(ok, result, expected, relayed, "setDelegate");
        if (!ok) return;
        ++successes[this.setDelegate.selector];
        ghostDelegate[patient][delegate] = allowed;
    }

    /// @param mode Bit 0 picks a clinician as caller; bits 1..3 leave the categories unconstrained (often
    ///        beyond the cap) when zero; mode % 16 == 15 omits the reason; mode % 32 == 31 targets patient zero.
    function breakGlass(
        uint256 callerSeed,
        uint256 patientSeed,
        uint32 categories,
        bytes32 reasonHash,
        uint256 mode,
        bool relayed
    ) external {
        ++calls[this.breakGlass.selector];
        uint256 i = mode % 2 == 0 ? 4 + callerSeed % 2 : callerSeed % ACTORS;
        address clinician = actors[i];
        address patient = mode % 32 == 31 ? address(0) : _actor(patientSeed);
        if ((mode >> 1) % 8 != 0) categories &= cap;
        if (mode % 16 == 15) reasonHash = bytes32(0);
        else if (reasonHash == bytes32(0)) reasonHash = keccak256("reason");

        bool allowed = ghostClinician[clinician];
        bytes memory expected;
        if (!allowed) {
            bytes32 licence = ghostLicence[clinician];
            expected = licence == bytes32(0)
                ? abi.encodeWithSelector(ITrustRegistry.TrustRoleMissing.selector, clinician, CLINICIAN_TYPE)
                : abi.encodeWithSelector(ITrustRegistry.TrustCredentialRevoked.selector, licence);
        } else if (patient == address(0)) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentInvalidPatient.selector, patient);
        } else if (patient == clinician) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentInvalidGrantee.selector, clinician);
        } else if (categories == 0) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentInvalidScope.selector, categories);
        } else if (categories & ~cap != 0) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentBreakGlassExceedsCap.selector, categories, cap);
        } else if (reasonHash == bytes32(0)) {
            expected = abi.encodeWithSelector(IConsentRegistry.ConsentMissingReason.selector);
        }
        (bool ok, bytes memory result) =
            _act(i, relayed, abi.encodeCall(IConsentRegistry.breakGlass, (patient, categories, reasonHash)));
        _checkOutcome(ok, result, expected, relayed, "breakGlass");
        if (!ok) return;
        ++successes[this.breakGlass.selector];
        _grants.push(
            IConsentRegistry.Grant({
                patient: patient,
                categories: categories,
                purposes: ETREAT,
                notBefore: uint64(block.timestamp),
                grantee: clinician,
                expiresAt: uint64(block.timestamp + duration),
                revoked: false,
                breakGlass: true
            })
        );
        ghostIssuerAllowed[_grants.length] = allowed;
        _checkNewId(result, relayed, "breakGlass");
    }

    /// @notice The board licenses an actor (who claims the clinician role), or revokes its current licence.
    function setClinician(uint256 actorSeed, bool allowed) external {
        ++calls[this.setClinician.selector];
        address account = _actor(actorSeed);
        if (allowed) {
            _license(account);
        } else if (ghostClinician[account]) {
            vm.prank(board);
            trust.revokeCredential(ghostLicence[account]);
            ghostClinician[account] = false;
        }
    }

    /// @dev A fresh licence for `account`, valid far beyond any run, claimed at once.
    function _license(address account) private {
        bytes32 id = keccak256(abi.encode("licence", ++_licences));
        vm.prank(board);
        trust.registerCredential(id, CLINICIAN_TYPE, account, uint64(block.timestamp), uint64(block.timestamp + 36500 days));
        vm.prank(account);
        trust.claimRole(id);
        ghostLicence[account] = id;
        ghostClinician[account] = true;
    }

    /// @notice Time passes (grants start and expire).
    function warp(uint256 elapsed) external {
        ++calls[this.warp.selector];
        vm.warp(block.timestamp + bound(elapsed, 1, 3 days));
    }

    // ------------------------------------------------------------------------------------- views

    function grantsLength() external view returns (uint256) {
        return _grants.length;
    }

    /// @notice The model's grant `grantId` (1-based).
    function ghostGrant(uint256 grantId) external view returns (IConsentRegistry.Grant memory) {
        return _grants[grantId - 1];
    }

    // ----------------------------------------------------------------------------------- helpers

    function _actor(uint256 seed) private view returns (address) {
        return actors[seed % ACTORS];
    }

    function _indexOf(address account) private view returns (uint256) {
        for (uint256 i = 0; i < ACTORS; ++i) {
            if (actors[i] == account) return i;
        }
        revert("not an actor");
    }

    /// @dev A patient that `delegate` currently acts for (starting the search at `seed`), else `delegate` itself.
    function _patientOf(address delegate, uint256 seed) private view returns (address) {
        for (uint256 k = 0; k < ACTORS; ++k) {
            address p = _actor(seed + k);
            if (ghostDelegate[p][delegate]) return p;
        }
        return delegate;
    }

    /// @dev A current delegate of `patient` (starting the search at `seed`), else a random actor.
    function _delegateOf(address patient, uint256 seed) private view returns (address) {
        for (uint256 k = 0; k < ACTORS; ++k) {
            address d = _actor(seed + k);
            if (ghostDelegate[patient][d]) return d;
        }
        return _actor(seed);
    }

    /// @dev Performs `data` on the registry as actor `seed`, directly (prank) or relayed (signed request).
    function _act(uint256 seed, bool relayed, bytes memory data) private returns (bool ok, bytes memory result) {
        uint256 i = seed % ACTORS;
        return _callAs(forwarder, actorKeys[i], actors[i], address(registry), relayed, data);
    }

    /// @dev The new grant got the next sequential id (returned directly; counted when relayed).
    function _checkNewId(bytes memory result, bool relayed, string memory action) private {
        if (registry.grantCount() != _grants.length) _violation(string.concat(action, ": grantCount"));
        if (!relayed && abi.decode(result, (uint256)) != _grants.length) _violation(string.concat(action, ": id"));
    }


}

contract ConsentRegistryInvariantTest is Test {
    ConsentRegistry internal registry;
    ConsentRegistryHandler internal handler;

    uint32 internal constant CAP = (1 << 0) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6);
    uint64 internal constant DURATION = 4 hours;
    uint32 internal constant ETREAT = 1 << 1;
    bytes32 internal constant CLINICIAN_TYPE = keccak256("ClinicianLicenceCredential");
    TrustRegistry internal trust;

    function setUp() public {
        vm.warp(1_800_000_000);
        MedchainForwarder forwarder = new MedchainForwarder();
        address governance = makeAddr("consent-governance");
        address board = makeAddr("consent-board");
        trust = new TrustRegistry(address(forwarder), governance);
        vm.prank(governance);
        trust.accredit(board, CLINICIAN_TYPE);
        registry = new ConsentRegistry(address(forwarder), address(trust), CAP, DURATION);
        handler = new ConsentRegistryHandler(registry, forwarder, trust, board);

        bytes4[] memory selectors = new bytes4[](6);
        selectors[0] = ConsentRegistryHandler.grant.selector;
        selectors[1] = ConsentRegistryHandler.revoke.selector;
        selectors[2] = ConsentRegistryHandler.setDelegate.selector;
        selectors[3] = ConsentRegistryHandler.breakGlass.selector;
        selectors[4] = ConsentRegistryHandler.setClinician.selector;
        selectors[5] = ConsentRegistryHandler.warp.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// Every call (success or exact error) behaved as the model predicts.
    function invariant_OutcomesMatchModel() public view {
        assertEq(handler.ghostViolations(), 0, handler.lastViolation());
    }

    /// A revoked, expired or not-yet-valid grant never authorizes: for its grantee, its whole scope or a
    /// single category of it, and any purpose. An active grant authorizes exactly its grantee, scope and purposes.
    function invariant_OnlyActiveGrantsAuthorize() public view {
        uint256 n = handler.grantsLength();
        for (uint256 id = 1; id <= n; ++id) {
            IConsentRegistry.Grant memory g = handler.ghostGrant(id);
            bool active = !g.revoked && g.notBefore <= block.timestamp && block.timestamp < g.expiresAt;
            for (uint32 bit = 0; bit < 11; ++bit) {
                uint32 purpose = uint32(1) << bit;
                bool expected = active && (g.purposes & purpose) != 0;
                assertEq(registry.isGrantValid(id, g.grantee, g.categories, purpose), expected, "whole scope");
            }
            uint32 someGranted = _lowestBit(g.purposes);
            assertEq(registry.isGrantValid(id, g.grantee, _lowestBit(g.categories), someGranted), active, "one category");
            assertFalse(registry.isGrantValid(id, g.patient, g.categories, someGranted), "patient is not grantee");
            if (g.categories != 0x7FF) {
                assertFalse(registry.isGrantValid(id, g.grantee, 0x7FF, someGranted), "beyond the scope");
            }
        }
        assertFalse(registry.isGrantValid(0, handler.actors(0), 1, 1), "id 0");
        assertFalse(registry.isGrantValid(n + 1, handler.actors(0), 1, 1), "next id");
    }

    /// Every grant was issued, and every revocation made, by the patient or a delegate of hers at that time
    /// (break-glass grants: by a holder of the clinician role at that time).
    function invariant_OnlyPatientOrDelegateChangesHerGrants() public view {
        uint256 n = handler.grantsLength();
        for (uint256 id = 1; id <= n; ++id) {
            assertTrue(handler.ghostIssuerAllowed(id), "grant issued by someone else");
            if (registry.getGrant(id).revoked) {
                assertTrue(handler.ghostRevokerAllowed(id), "grant revoked by someone else");
            }
        }
    }

    /// Break-glass grants stay within the cap: non-empty scope inside it, purpose exactly ETREAT, duration
    /// exactly the configured one; ordinary grants are never flagged break-glass.
    function invariant_BreakGlassNeverExceedsItsCap() public view {
        uint256 n = handler.grantsLength();
        for (uint256 id = 1; id <= n; ++id) {
            IConsentRegistry.Grant memory g = registry.getGrant(id);
            assertEq(g.breakGlass, handler.ghostGrant(id).breakGlass, "breakGlass flag");
            if (!g.breakGlass) continue;
            assertTrue(g.categories != 0 && (g.categories & ~CAP) == 0, "break-glass scope beyond the cap");
            assertEq(uint256(g.purposes), ETREAT, "break-glass purpose");
            assertEq(uint256(g.expiresAt) - uint256(g.notBefore), DURATION, "break-glass duration");
        }
    }

    /// @dev The lowest set bit of `x` (0 for 0).
    function _lowestBit(uint32 x) internal pure returns (uint32) {
        unchecked {
            return x & (~x + 1);
        }
    }

    /// Grants never change, except `revoked` going from false to true by a revocation.
    function invariant_GrantsChangeOnlyByRevocation() public view {
        uint256 n = handler.grantsLength();
        for (uint256 id = 1; id <= n; ++id) {
            IConsentRegistry.Grant memory g = registry.getGrant(id);
            IConsentRegistry.Grant memory m = handler.ghostGrant(id);
            assertEq(g.patient, m.patient, "patient");
            assertEq(g.grantee, m.grantee, "grantee");
            assertEq(uint256(g.categories), uint256(m.categories), "categories");
            assertEq(uint256(g.purposes), uint256(m.purposes), "purposes");
            assertEq(uint256(g.notBefore), uint256(m.notBefore), "notBefore");
            assertEq(uint256(g.expiresAt), uint256(m.expiresAt), "expiresAt");
            assertEq(g.revoked, m.revoked, "revoked");
            assertEq(g.breakGlass, m.breakGlass, "breakGlass");
        }
    }

    /// Grant ids are sequential from 1: the count is the number of grants and nothing exists past it.
    function invariant_GrantIdsAreSequential() public view {
        uint256 n = handler.grantsLength();
        assertEq(registry.grantCount(), n, "grantCount");
        try registry.getGrant(n + 1) returns (IConsentRegistry.Grant memory) {
            assertTrue(false, "grant past the count");
        } catch (bytes memory reason) {
            assertEq(reason, abi.encodeWithSelector(IConsentRegistry.ConsentUnknownGrant.selector, n + 1));
        }
    }

    /// Delegations and clinician roles agree with the model for every pair of actors.
    function invariant_DelegatesAndRolesMatchModel() public view {
        for (uint256 i = 0; i < handler.ACTORS(); ++i) {
            address a = handler.actors(i);
            assertEq(trust.hasValidRole(CLINICIAN_TYPE, a), handler.ghostClinician(a), "clinician role");
            for (uint256 j = 0; j < handler.ACTORS(); ++j) {
                address b = handler.actors(j);
                assertEq(registry.isDelegate(a, b), handler.ghostDelegate(a, b), "isDelegate");
            }
        }
    }
}
