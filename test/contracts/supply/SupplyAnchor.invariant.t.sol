// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {ISupplyAnchor} from "../../../contracts/supply/ISupplyAnchor.sol";
import {SupplyAnchor} from "../../../contracts/supply/SupplyAnchor.sol";
import {ITrustRegistry} from "../../../contracts/identity/ITrustRegistry.sol";
import {TrustRegistry} from "../../../contracts/identity/TrustRegistry.sol";
import {TradingPartners} from "../../../contracts/supply/TradingPartners.sol";
import {IMerkleRootAnchor} from "../../../contracts/utils/IMerkleRootAnchor.sol";
import {
    KIND_DISPENSER,
    KIND_MANUFACTURER,
    KIND_REGULATOR,
    KIND_WHOLESALER,
    TRADING_PARTNER_CREDENTIAL
} from "../../../contracts/supply/ITradingPartners.sol";
import {Test} from "../utils/Test.sol";
import {ModelCheckedHandler} from "../utils/ModelCheckedHandler.sol";
import {StandardMerkle} from "./StandardMerkle.sol";
import {GS1Model} from "./GS1Model.sol";

/// @notice Drives SupplyAnchor (anchorBatch directly and through the forwarder, recall, clearRecall) and the
///         registrar's changes to the trading partners (suspend, reinstate, register latecomers), and keeps an
///         independent model of every batch and recall.
/// @dev Violations are recorded in ghost variables (assertions in a handler would only count as reverted
///      calls). Roots come from a small set of real Merkle trees so that repeated roots happen and the
///      invariants can check proofs against what is stored. Actors 0..3 start registered (0 and 1 are
///      manufacturers owning "0614141" and "4012345", 2 a wholesaler, 3 a dispenser), 4 and 5 do not. Actor 4
///      joins as a wholesaler with a trading-partner credential (valid 5 days) that the issuer may revoke, so
///      that "no partner acts without a valid credential" is checked against revocation and expiry.
contract SupplyAnchorHandler is ModelCheckedHandler {
    SupplyAnchor public immutable anchor;
    TradingPartners public immutable partners;
    MedchainForwarder public immutable forwarder;
    address public immutable registrar;
    TrustRegistry public immutable trust;
    address public immutable issuer;

    bytes32 public constant CREDENTIAL = keccak256("anchor invariant trading-partner credential");
    uint64 public constant CREDENTIAL_VALIDITY = 5 days;
    uint64 public ghostCredentialUntil;
    bool public ghostRevoked;
    mapping(address account => bool byCredential) public ghostByCredential;

    uint256 public constant ACTORS = 6;
    uint256 public constant ROOTS = 16;
    uint256 public constant GTINS = 3;
    uint256 public constant LOTS = 3;
    address[ACTORS] public actors;
    uint256[ACTORS] internal actorKeys;

    // model of the registry
    mapping(address account => bool registered) public ghostRegistered;
    mapping(address account => bool active) public ghostActive;
    mapping(address account => bool manufacturer) public ghostManufacturer;
    // the trees whose roots are anchored: root k has 1 + k % 5 events
    bytes32[][ROOTS] internal _events;
    bytes32[ROOTS] public roots;
    // model of the anchors
    ISupplyAnchor.Batch[] internal _batches; // batch id = index + 1
    mapping(uint256 batchId => uint256 rootIndex) public ghostRootIndex;
    /// @dev Per batch: its partner was registered and active at that moment.
    mapping(uint256 batchId => bool allowed) public ghostActiveAtAnchor;
    mapping(bytes32 root => uint256 batchId) public ghostBatchIdOf;
    // model of the recalls: GTIN g (0: under actor 0's prefix, 1: under actor 1's, 2: under no prefix), lot l
    uint64[GTINS] public gtins;
    string[LOTS] public lots;
    mapping(uint256 gtinIndex => mapping(uint256 lotIndex => address manufacturer)) public ghostRecaller;
    /// @dev Per recall: the recaller owned the GTIN's prefix and was an active manufacturer at that moment.
    uint256 public ghostUnauthorizedRecalls;

    mapping(bytes4 selector => uint256 count) public successes;

    constructor(
        SupplyAnchor anchor_,
        TradingPartners partners_,
        MedchainForwarder forwarder_,
        address registrar_,
        TrustRegistry trust_,
        address issuer_
    ) {
        trust = trust_;
        issuer = issuer_;
        anchor = anchor_;
        partners = partners_;
        forwarder = forwarder_;
        registrar = registrar_;
        for (uint256 i = 0; i < ACTORS; ++i) {
            (actors[i], actorKeys[i]) = makeAddrAndKey(string.concat("anchor-actor-", vm.toString(i)));
        }
        _register(0, KIND_MANUFACTURER, "0614141");
        _register(1, KIND_MANUFACTURER, "4012345");
        _register(2, KIND_WHOLESALER, "");
        _register(3, KIND_DISPENSER, "");
        for (uint256 k = 0; k < ROOTS; ++k) {
            bytes32[] memory events = new bytes32[](1 + k % 5);
            for (uint256 i = 0; i < events.length; ++i) events[i] = keccak256(abi.encode("anchor invariant event", k, i));
            _events[k] = events;
            roots[k] = StandardMerkle.root(events);
        }
        gtins = [uint64(614141123452), 4012345000115, 614142123451];
        lots = ["LOT-1", "LOT-2", "B/2026"];
    }

    // ------------------------------------------------------------------------------------- actions

    /// @param mode Bit 0 picks a registered actor (0..3) as caller; mode % 16 == 15 zeroes the root and
    ///        mode % 16 == 14 the count.
    function anchorBatch(uint256 callerSeed, uint256 rootSeed, uint32 count, bytes32 digest, uint256 mode, bool relayed)
        external
    {
        uint256 i = mode % 2 == 0 ? callerSeed % 4 : callerSeed % ACTORS;
        address caller = actors[i];
        uint256 k = rootSeed % ROOTS;
        bytes32 root = mode % 16 == 15 ? bytes32(0) : roots[k];
        if (mode % 16 == 14) count = 0;
        else if (count == 0) count = 1;

        bytes memory expected = _credentialError(caller);
        bool allowed = ghostActive[caller] && expected.length == 0;
        if (expected.length == 0) {
            // the credential's error comes first
            if (!allowed) expected = abi.encodeWithSelector(ISupplyAnchor.SupplyNotPartner.selector, caller);
            else if (root == bytes32(0) || count == 0) expected = abi.encodeWithSelector(IMerkleRootAnchor.AnchorEmptyRoot.selector);
            else if (ghostBatchIdOf[root] != 0) expected = abi.encodeWithSelector(IMerkleRootAnchor.AnchorRootExists.selector, root);
        }

        (bool ok, bytes memory result) = _act(i, relayed, abi.encodeCall(ISupplyAnchor.anchorBatch, (root, count, digest)));
        _checkOutcome(ok, result, expected, relayed, "anchorBatch");
        if (!ok) return;
        ++successes[this.anchorBatch.selector];
        _batches.push(
            ISupplyAnchor.Batch({
                partner: caller,
                anchoredAt: uint64(block.timestamp),
                count: count,
                root: root,
                batchDigest: digest
            })
        );
        uint256 batchId = _batches.length;
        ghostActiveAtAnchor[batchId] = allowed;
        ghostRootIndex[batchId] = k;
        if (ghostBatchIdOf[root] == 0) ghostBatchIdOf[root] = batchId;
        if (anchor.batchCount() != batchId) _violation("anchorBatch: batchCount");
        if (!relayed && abi.decode(result, (uint256)) != batchId) _violation("anchorBatch: id");
    }

    /// @param mode Bit 0 picks a manufacturer (0, 1) as caller; bits 1..2 pick the prefix named: the caller's
    ///        own (0, 1), the other manufacturer's (2) or an unregistered one (3); bits 3..4 pick the GTIN under
    ///        the caller's prefix unless both set (zero, what fuzzers try most, is the happy path).
    function recall(uint256 callerSeed, uint256 gtinSeed, uint256 lotSeed, uint256 mode, bool relayed) external {
        uint256 i = mode % 2 == 0 ? callerSeed % 2 : callerSeed % ACTORS;
        // mostly a manufacturer's own GTIN, so that recalls succeed often
        uint256 g = (mode >> 3) % 4 != 3 && i < 2 ? i : gtinSeed % GTINS;
        uint256 l = lotSeed % LOTS;
        uint256 which = (mode >> 1) % 4;
        string memory prefix = which == 3 ? "0614142" : (which == 2 ? i == 0 : i != 0) ? "4012345" : "0614141";
        (bytes memory expected, bool authorized) = _expectedRecall(actors[i], g, l, prefix);
        (bool ok, bytes memory result) =
            _act(i, relayed, abi.encodeCall(ISupplyAnchor.recall, (gtins[g], prefix, lots[l], "contamination")));
        _checkOutcome(ok, result, expected, relayed, "recall");
        if (!ok) return;
        ++successes[this.recall.selector];
        if (!authorized) ++ghostUnauthorizedRecalls;
        ghostRecaller[g][l] = actors[i];
    }

    /// @dev The model's outcome of a recall, and whether the caller is an active manufacturer owning a prefix
    ///      that begins the GTIN.
    function _expectedRecall(address caller, uint256 g, uint256 l, string memory prefix)
        private
        view
        returns (bytes memory expected, bool authorized)
    {
        address prefixOwner = keccak256(bytes(prefix)) == keccak256("0614141")
            ? actors[0]
            : keccak256(bytes(prefix)) == keccak256("4012345") ? actors[1] : address(0);
        bool matches = GS1Model.startsWith(GS1Model.gtinBody(gtins[g]), bytes(prefix));
        bool manufacturer = ghostActive[caller] && ghostManufacturer[caller];
        authorized = manufacturer && prefixOwner == caller && matches;
        expected = _credentialError(caller);
        if (expected.length != 0) {
            authorized = false;
        } else if (!manufacturer) {
            expected = abi.encodeWithSelector(ISupplyAnchor.SupplyNotManufacturer.selector, caller);
        } else if (prefixOwner != caller) {
            expected = abi.encodeWithSelector(ISupplyAnchor.SupplyNotPrefixOwner.selector, caller, prefix);
        } else if (!matches) {
            expected = abi.encodeWithSelector(ISupplyAnchor.SupplyPrefixMismatch.selector, gtins[g], prefix);
        } else if (ghostRecaller[g][l] != address(0)) {
            expected = abi.encodeWithSelector(ISupplyAnchor.SupplyAlreadyRecalled.selector, gtins[g], lots[l]);
        }
    }

    function clearRecall(uint256 callerSeed, uint256 gtinSeed, uint256 lotSeed, bool anyone, bool relayed) external {
        uint256 i = anyone ? callerSeed % ACTORS : callerSeed % 2;
        address caller = actors[i];
        uint256 g = gtinSeed % GTINS;
        uint256 l = lotSeed % LOTS;
        address recaller = ghostRecaller[g][l];
        bytes memory expected = _credentialError(caller); // the credential's error comes first
        if (expected.length != 0) {
            // nothing else to predict
        } else if (!(ghostActive[caller] && ghostManufacturer[caller])) {
            expected = abi.encodeWithSelector(ISupplyAnchor.SupplyNotManufacturer.selector, caller);
        } else if (recaller == address(0)) {
            expected = abi.encodeWithSelector(ISupplyAnchor.SupplyNotRecalled.selector, gtins[g], lots[l]);
        } else if (recaller != caller) {
            expected = abi.encodeWithSelector(ISupplyAnchor.SupplyNotRecaller.selector, caller, recaller);
        }
        (bool ok, bytes memory result) = _act(i, relayed, abi.encodeCall(ISupplyAnchor.clearRecall, (gtins[g], lots[l])));
        _checkOutcome(ok, result, expected, relayed, "clearRecall");
        if (!ok) return;
        ++successes[this.clearRecall.selector];
        ghostRecaller[g][l] = address(0);
    }

    /// @notice The registrar suspends or reinstates a registered actor, or registers an unregistered one
    ///         (actor 4 as a wholesaler, actor 5 as a regulator).
    function setActive(uint256 actorSeed, bool active) external {
        uint256 i = actorSeed % ACTORS;
        if (!ghostRegistered[actors[i]]) {
            if (i == 4) _joinWithCredential(i);
            else _register(i, KIND_REGULATOR, "");
            return;
        }
        vm.prank(registrar);
        partners.setPartnerActive(actors[i], active);
        ghostActive[actors[i]] = active;
    }

    /// @notice The issuer revokes actor 4's credential (once it joined, once).
    function revokeCredential() external {
        if (!ghostByCredential[actors[4]] || ghostRevoked) return;
        vm.prank(issuer);
        trust.revokeCredential(CREDENTIAL);
        ghostRevoked = true;
    }

    function warp(uint256 elapsed) external {
        vm.warp(block.timestamp + bound(elapsed, 1, 1 days));
    }

    // ------------------------------------------------------------------------------------- views

    /// @notice The model's view of whether `account` may act now: registered, active and, if it joined with a
    ///         credential, that credential valid.
    function ghostMayAct(address account) external view returns (bool) {
        return ghostActive[account] && _credentialError(account).length == 0;
    }

    function batchesLength() external view returns (uint256) {
        return _batches.length;
    }

    function ghostBatch(uint256 batchId) external view returns (ISupplyAnchor.Batch memory) {
        return _batches[batchId - 1];
    }

    function eventsOf(uint256 rootIndex) external view returns (bytes32[] memory) {
        return _events[rootIndex];
    }

    // ----------------------------------------------------------------------------------- helpers

    function _register(uint256 i, uint8 kind, string memory prefix) private {
        uint64 gln = uint64(GS1Model.withCheckDigit(GS1Model.decimal(61414100100 + i, 12)));
        vm.prank(registrar);
        partners.registerPartner(actors[i], kind, gln, prefix);
        ghostRegistered[actors[i]] = true;
        ghostActive[actors[i]] = true;
        ghostManufacturer[actors[i]] = kind == KIND_MANUFACTURER;
    }

    /// @dev Actor `i` joins as a wholesaler with a credential the issuer registers with its claims' digest.
    function _joinWithCredential(uint256 i) private {
        uint64 gln = uint64(GS1Model.withCheckDigit(GS1Model.decimal(61414100100 + i, 12)));
        ghostCredentialUntil = uint64(block.timestamp) + CREDENTIAL_VALIDITY;
        vm.prank(issuer);
        trust.registerCredentialWithClaims(
            CREDENTIAL, TRADING_PARTNER_CREDENTIAL, actors[i], uint64(block.timestamp), ghostCredentialUntil,
            keccak256(abi.encode(KIND_WHOLESALER, gln, "0614199"))
        );
        vm.prank(actors[i]);
        partners.registerWithCredential(CREDENTIAL, KIND_WHOLESALER, gln, "0614199");
        ghostRegistered[actors[i]] = true;
        ghostActive[actors[i]] = true;
        ghostByCredential[actors[i]] = true;
    }

    /// @dev The trust registry's error for an account that joined with a credential no longer valid, else empty.
    function _credentialError(address account) private view returns (bytes memory) {
        if (!ghostByCredential[account]) return "";
        if (ghostRevoked) return abi.encodeWithSelector(ITrustRegistry.TrustCredentialRevoked.selector, CREDENTIAL);
        if (block.timestamp >= ghostCredentialUntil) {
            return abi.encodeWithSelector(ITrustRegistry.TrustCredentialExpired.selector, CREDENTIAL);
        }
        return "";
    }

    function _act(uint256 i, bool relayed, bytes memory data) private returns (bool ok, bytes memory result) {
        return _callAs(forwarder, actorKeys[i], actors[i], address(anchor), relayed, data);
    }


}

contract SupplyAnchorInvariantTest is Test {
    SupplyAnchor internal anchor;
    TradingPartners internal partners;
    SupplyAnchorHandler internal handler;

    bytes32 internal constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");

    function setUp() public {
        vm.warp(1_800_000_000);
        MedchainForwarder forwarder = new MedchainForwarder();
        address admin = makeAddr("supply-admin");
        address registrar = makeAddr("supply-registrar");
        address issuer = makeAddr("supply-gs1-issuer");
        TrustRegistry trust = new TrustRegistry(address(forwarder), admin);
        partners = new TradingPartners(address(forwarder), admin, address(trust));
        anchor = new SupplyAnchor(address(forwarder), address(partners));
        vm.startPrank(admin);
        partners.grantRole(REGISTRAR_ROLE, registrar);
        trust.accredit(issuer, TRADING_PARTNER_CREDENTIAL);
        vm.stopPrank();
        handler = new SupplyAnchorHandler(anchor, partners, forwarder, registrar, trust, issuer);

        bytes4[] memory selectors = new bytes4[](6);
        selectors[0] = SupplyAnchorHandler.anchorBatch.selector;
        selectors[1] = SupplyAnchorHandler.recall.selector;
        selectors[2] = SupplyAnchorHandler.clearRecall.selector;
        selectors[3] = SupplyAnchorHandler.setActive.selector;
        selectors[4] = SupplyAnchorHandler.warp.selector;
        selectors[5] = SupplyAnchorHandler.revokeCredential.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// Every call (success or exact error) behaved as the model predicts.
    function invariant_OutcomesMatchModel() public view {
        assertEq(handler.ghostViolations(), 0, handler.lastViolation());
    }

    /// Only registered partners that were active at that moment anchored (and, for a partner that joined with a
    /// credential, while that credential was valid: no partner acts without a valid credential), and each batch
    /// names its anchorer.
    function invariant_OnlyActivePartnersAnchor() public view {
        uint256 n = handler.batchesLength();
        for (uint256 id = 1; id <= n; ++id) {
            assertTrue(handler.ghostActiveAtAnchor(id), "anchored by a non-partner or a suspended one");
            address partner = anchor.getBatch(id).partner;
            assertEq(partner, handler.ghostBatch(id).partner, "partner");
            assertTrue(handler.ghostRegistered(partner), "unregistered anchorer");
        }
        for (uint256 i = 0; i < handler.ACTORS(); ++i) {
            address a = handler.actors(i);
            assertEq(partners.isActivePartner(a), handler.ghostMayAct(a), "active status");
        }
    }

    /// Anchored batches never change, each root maps to its one batch, and every event of an anchored tree
    /// still verifies against it (and against no other batch).
    function invariant_AnchoredRootsAreImmutable() public view {
        uint256 n = handler.batchesLength();
        for (uint256 id = 1; id <= n; ++id) {
            ISupplyAnchor.Batch memory b = anchor.getBatch(id);
            ISupplyAnchor.Batch memory m = handler.ghostBatch(id);
            assertEq(b.root, m.root, "root");
            assertEq(uint256(b.anchoredAt), uint256(m.anchoredAt), "anchoredAt");
            assertEq(uint256(b.count), uint256(m.count), "count");
            assertEq(b.batchDigest, m.batchDigest, "batchDigest");
            assertEq(anchor.batchIdOf(b.root), id, "batchIdOf");
            bytes32[] memory events = handler.eventsOf(handler.ghostRootIndex(id));
            for (uint256 i = 0; i < events.length; ++i) {
                (, bytes32[] memory proof) = StandardMerkle.rootAndProof(events, i);
                assertTrue(anchor.verifyEvent(id, events[i], proof), "anchored event no longer verifies");
                if (id > 1) assertFalse(anchor.verifyEvent(id - 1, events[i], proof), "verifies in another batch");
            }
        }
    }

    /// Batch ids are sequential from 1, roots are unique, unanchored roots map to nothing.
    function invariant_BatchIdsAreSequential() public view {
        uint256 n = handler.batchesLength();
        assertEq(anchor.batchCount(), n, "batchCount");
        try anchor.getBatch(n + 1) returns (ISupplyAnchor.Batch memory) {
            assertTrue(false, "batch past the count");
        } catch (bytes memory reason) {
            assertEq(reason, abi.encodeWithSelector(IMerkleRootAnchor.AnchorUnknownId.selector, n + 1));
        }
        uint256 anchoredRoots;
        for (uint256 k = 0; k < handler.ROOTS(); ++k) {
            bytes32 root = handler.roots(k);
            uint256 id = anchor.batchIdOf(root);
            assertEq(id, handler.ghostBatchIdOf(root), "batchIdOf vs model");
            if (id != 0) ++anchoredRoots;
        }
        assertEq(anchoredRoots, n, "one batch per root");
    }

    /// Every open recall was made by the active manufacturer owning the GTIN's prefix, and matches the model.
    function invariant_RecallsOnlyByThePrefixOwner() public view {
        assertEq(handler.ghostUnauthorizedRecalls(), 0, "recall by someone else");
        for (uint256 g = 0; g < handler.GTINS(); ++g) {
            uint64 gtin = handler.gtins(g);
            for (uint256 l = 0; l < handler.LOTS(); ++l) {
                string memory lot = handler.lots(l);
                address recaller = anchor.getRecall(gtin, lot).manufacturer;
                assertEq(recaller, handler.ghostRecaller(g, l), "recall vs model");
                assertEq(anchor.isRecalled(gtin, lot), recaller != address(0), "isRecalled");
                if (recaller != address(0)) assertEq(partners.ownerOfGtin(gtin), recaller, "recaller owns the GTIN");
            }
        }
    }
}
