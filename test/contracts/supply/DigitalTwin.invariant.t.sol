// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {IDigitalTwin} from "../../../contracts/supply/IDigitalTwin.sol";
import {DigitalTwin} from "../../../contracts/supply/DigitalTwin.sol";
import {SupplyAnchor} from "../../../contracts/supply/SupplyAnchor.sol";
import {TrustRegistry} from "../../../contracts/identity/TrustRegistry.sol";
import {TradingPartners} from "../../../contracts/supply/TradingPartners.sol";
import {
    KIND_DISPENSER,
    KIND_MANUFACTURER,
    KIND_WHOLESALER
} from "../../../contracts/supply/ITradingPartners.sol";
import {Test} from "../utils/Test.sol";
import {ModelCheckedHandler} from "../utils/ModelCheckedHandler.sol";
import {StandardMerkle} from "./StandardMerkle.sol";
import {GS1Model} from "./GS1Model.sol";

/// @notice Drives DigitalTwin (mintTwin, transferCustody, decommission, directly and through the forwarder, and
///         attempts at plain ERC-721 transfers and approvals), the partners' anchoring of event batches and the
///         registrar's suspensions, from a pool of actors, and keeps an independent model: who owns each unit,
///         which units were minted and burned, which batch holds which events, and for every custody move
///         whether it was proven by an event of the custodian's own batch.
/// @dev Violations are recorded in ghost variables (assertions in a handler would only count as reverted calls).
///      Actors: 0 and 1 manufacturers, 2 and 3 wholesalers, 4 and 5 dispensers, 6 never registered. Unit keys
///      come from a small set so that re-mints and moves of burned units are tried.
contract DigitalTwinHandler is ModelCheckedHandler {
    DigitalTwin public immutable twin;
    SupplyAnchor public immutable anchor;
    TradingPartners public immutable partners;
    MedchainForwarder public immutable forwarder;
    address public immutable registrar;

    uint256 public constant ACTORS = 7;
    uint256 public constant UNITS = 10;
    address[ACTORS] public actors;
    uint256[ACTORS] internal actorKeys;
    bytes32[UNITS] public units;

    // model of the registry
    mapping(address account => bool active) public ghostActive;
    mapping(address account => uint8 kind) public ghostKind;
    // model of the anchors: batch id => anchoring partner and its events
    mapping(uint256 batchId => address partner) public ghostBatchPartner;
    mapping(uint256 batchId => bytes32[] events) internal _batchEvents;
    uint256 public batches;
    // model of the twins
    mapping(uint256 unit => bool minted) public ghostMinted;
    mapping(uint256 unit => bool burned) public ghostBurned;
    mapping(uint256 unit => address owner) public ghostOwner;
    uint256 public mintedCount;
    uint256 public burnedCount;
    uint256 public moves;
    /// @dev Custody moves (mints, transfers, burns) that the model did not see proven by an event of a batch
    ///      anchored by the acting custodian (or, for mints, the manufacturer), or not made by the custodian.
    uint256 public ghostUnprovenMoves;
    /// @dev ERC-721 transfers or approvals that succeeded.
    uint256 public ghostErc721Successes;

    mapping(bytes4 selector => uint256 count) public successes;

    /// @dev The proof an action presents: a batch, an event and its proof, and whether it is really a member.
    struct Evidence {
        uint256 batchId;
        bytes32 eventHash;
        bytes32[] proof;
        bool member;
    }

    constructor(
        DigitalTwin twin_,
        SupplyAnchor anchor_,
        TradingPartners partners_,
        MedchainForwarder forwarder_,
        address registrar_
    ) {
        twin = twin_;
        anchor = anchor_;
        partners = partners_;
        forwarder = forwarder_;
        registrar = registrar_;
        for (uint256 i = 0; i < ACTORS; ++i) {
            (actors[i], actorKeys[i]) = makeAddrAndKey(string.concat("twin-actor-", vm.toString(i)));
        }
        _register(0, KIND_MANUFACTURER, "0614141");
        _register(1, KIND_MANUFACTURER, "4012345");
        _register(2, KIND_WHOLESALER, "");
        _register(3, KIND_WHOLESALER, "");
        _register(4, KIND_DISPENSER, "");
        _register(5, KIND_DISPENSER, "");
        for (uint256 u = 0; u < UNITS; ++u) {
            units[u] = keccak256(abi.encode("https://id.gs1.org/01/00614141123452/21/", u));
        }
        // every registered actor starts with one batch
        for (uint256 i = 0; i < 6; ++i) _anchor(i, i);
    }

    // ------------------------------------------------------------------------------------- actions

    /// @notice An active partner anchors a batch of 1..4 fresh events.
    function anchorEvents(uint256 actorSeed, uint256 sizeSeed) external {
        uint256 i = actorSeed % 6;
        if (!ghostActive[actors[i]]) return;
        _anchor(i, sizeSeed);
    }

    /// @param mode Bit 0 picks a manufacturer as caller; `mode >> 1` chooses the evidence (see {_evidence});
    ///        bits 9..10 (unless both set) pick a unit not minted yet.
    function mintTwin(
        uint256 callerSeed,
        uint256 unitSeed,
        uint256 toSeed,
        uint256 batchSeed,
        uint256 eventSeed,
        uint256 mode,
        bool relayed
    ) external {
        uint256 i = mode % 2 == 0 ? callerSeed % 2 : callerSeed % ACTORS;
        address caller = actors[i];
        uint256 u = _pickUnit(unitSeed, mode, false);
        address to = actors[toSeed % ACTORS];
        Evidence memory e = _evidence(caller, batchSeed, eventSeed, mode >> 1);

        bytes memory expected;
        if (!(ghostActive[caller] && ghostKind[caller] == KIND_MANUFACTURER)) {
            expected = abi.encodeWithSelector(IDigitalTwin.TwinNotManufacturer.selector, caller);
        } else if (!ghostActive[to]) {
            expected = abi.encodeWithSelector(IDigitalTwin.TwinInvalidRecipient.selector, to);
        } else if (ghostMinted[u]) {
            expected = abi.encodeWithSelector(IDigitalTwin.TwinAlreadyMinted.selector, units[u]);
        } else {
            expected = _proofError(e, caller, IDigitalTwin.TwinNotCommissioner.selector);
        }
        (bool ok, bytes memory result) = _act(
            i, relayed, abi.encodeCall(IDigitalTwin.mintTwin, (e.batchId, e.eventHash, e.proof, units[u], to))
        );
        _checkOutcome(ok, result, expected, relayed, "mintTwin");
        if (!ok) return;
        ++successes[this.mintTwin.selector];
        if (!(e.member && ghostBatchPartner[e.batchId] == caller && ghostKind[caller] == KIND_MANUFACTURER)) {
            ++ghostUnprovenMoves;
        }
        if (!relayed && abi.decode(result, (uint256)) != uint256(units[u])) _violation("mintTwin: token id");
        ghostMinted[u] = true;
        ghostOwner[u] = to;
        ++mintedCount;
        ++moves;
    }

    /// @param mode Bits 0..1 (unless both set) make the unit's owner the caller; `mode >> 2` chooses the
    ///        evidence (see {_evidence}); bits 9..10 (unless both set) pick a live unit.
    function transferCustody(
        uint256 unitSeed,
        uint256 callerSeed,
        uint256 toSeed,
        uint256 batchSeed,
        uint256 eventSeed,
        uint256 mode,
        bool relayed
    ) external {
        uint256 u = _pickUnit(unitSeed, mode, true);
        uint256 i = _callerIndex(u, callerSeed, mode);
        address caller = actors[i];
        // often a dispenser, so that units reach the end of the chain
        address to = actors[toSeed % 3 == 0 ? 4 + (toSeed >> 8) % 2 : toSeed % ACTORS];
        Evidence memory e = _evidence(caller, batchSeed, eventSeed, mode >> 2);

        bytes memory expected = _custodianError(u, caller);
        if (expected.length == 0) {
            if (!ghostActive[caller]) {
                expected = abi.encodeWithSelector(IDigitalTwin.TwinNotPartner.selector, caller);
            } else if (to == caller || !ghostActive[to]) {
                expected = abi.encodeWithSelector(IDigitalTwin.TwinInvalidRecipient.selector, to);
            } else {
                expected = _proofError(e, caller, IDigitalTwin.TwinEventNotFromCustodian.selector);
            }
        }
        (bool ok, bytes memory result) = _act(
            i,
            relayed,
            abi.encodeCall(IDigitalTwin.transferCustody, (uint256(units[u]), to, e.batchId, e.eventHash, e.proof))
        );
        _checkOutcome(ok, result, expected, relayed, "transferCustody");
        if (!ok) return;
        ++successes[this.transferCustody.selector];
        if (!(ghostOwner[u] == caller && e.member && ghostBatchPartner[e.batchId] == caller)) ++ghostUnprovenMoves;
        ghostOwner[u] = to;
        ++moves;
    }

    /// @param mode As in {transferCustody}.
    function decommission(
        uint256 unitSeed,
        uint256 callerSeed,
        uint256 batchSeed,
        uint256 eventSeed,
        uint256 mode,
        bool relayed
    ) external {
        uint256 u = _pickUnit(unitSeed, mode, true);
        uint256 i = _callerIndex(u, callerSeed, mode);
        address caller = actors[i];
        Evidence memory e = _evidence(caller, batchSeed, eventSeed, mode >> 2);

        bytes memory expected = _custodianError(u, caller);
        if (expected.length == 0) {
            if (!(ghostActive[caller] && ghostKind[caller] == KIND_DISPENSER)) {
                expected = abi.encodeWithSelector(IDigitalTwin.TwinNotDispenser.selector, caller);
            } else {
                expected = _proofError(e, caller, IDigitalTwin.TwinEventNotFromCustodian.selector);
            }
        }
        (bool ok, bytes memory result) = _act(
            i, relayed, abi.encodeCall(IDigitalTwin.decommission, (uint256(units[u]), e.batchId, e.eventHash, e.proof))
        );
        _checkOutcome(ok, result, expected, relayed, "decommission");
        if (!ok) return;
        ++successes[this.decommission.selector];
        if (!(ghostOwner[u] == caller && e.member && ghostBatchPartner[e.batchId] == caller)) ++ghostUnprovenMoves;
        ghostBurned[u] = true;
        ghostOwner[u] = address(0);
        ++burnedCount;
        ++moves;
    }

    /// @notice Tries a plain ERC-721 move or approval (as the owner or anyone); it must always fail.
    function erc721(uint256 unitSeed, uint256 callerSeed, uint256 toSeed, uint256 kind) external {
        uint256 u = unitSeed % UNITS;
        address caller = kind % 2 == 0 && ghostOwner[u] != address(0) ? ghostOwner[u] : actors[callerSeed % ACTORS];
        address to = actors[toSeed % ACTORS];
        uint256 tokenId = uint256(units[u]);
        address owner = ghostOwner[u];
        bytes memory data;
        uint256 k = (kind >> 1) % 5;
        if (k == 0) data = abi.encodeWithSignature("transferFrom(address,address,uint256)", owner, to, tokenId);
        else if (k == 1) data = abi.encodeWithSignature("safeTransferFrom(address,address,uint256)", owner, to, tokenId);
        else if (k == 2) {
            data = abi.encodeWithSignature("safeTransferFrom(address,address,uint256,bytes)", owner, to, tokenId, "");
        } else if (k == 3) data = abi.encodeCall(IERC721.approve, (to, tokenId));
        else data = abi.encodeCall(IERC721.setApprovalForAll, (to, true));
        vm.prank(caller);
        (bool ok, bytes memory reason) = address(twin).call(data);
        if (ok) {
            ++ghostErc721Successes;
            _violation("erc721: a plain transfer or approval succeeded");
        } else if (keccak256(reason) != keccak256(abi.encodeWithSelector(IDigitalTwin.TwinTransferDisabled.selector))) {
            _violation("erc721: wrong error");
        }
    }

    /// @notice The registrar suspends or reinstates one of the registered actors.
    function setActive(uint256 actorSeed, bool active) external {
        address account = actors[actorSeed % 6];
        vm.prank(registrar);
        partners.setPartnerActive(account, active);
        ghostActive[account] = active;
    }

    // ----------------------------------------------------------------------------------- helpers

    function _register(uint256 i, uint8 kind, string memory prefix) private {
        uint64 gln = uint64(GS1Model.withCheckDigit(GS1Model.decimal(61414100200 + i, 12)));
        vm.prank(registrar);
        partners.registerPartner(actors[i], kind, gln, prefix);
        ghostActive[actors[i]] = true;
        ghostKind[actors[i]] = kind;
    }

    function _anchor(uint256 i, uint256 sizeSeed) private {
        bytes32[] memory events = new bytes32[](1 + sizeSeed % 4);
        for (uint256 k = 0; k < events.length; ++k) events[k] = keccak256(abi.encode("twin invariant event", batches, k));
        vm.prank(actors[i]);
        uint256 batchId = anchor.anchorBatch(StandardMerkle.root(events), uint32(events.length), bytes32(0));
        if (batchId != batches + 1) _violation("anchor: id");
        batches = batchId;
        ghostBatchPartner[batchId] = actors[i];
        _batchEvents[batchId] = events;
    }

    /// @dev Unit `unitSeed % UNITS`, or, unless `(mode >> 9) % 4 == 3`, the first from there that is live
    ///      (`live`) or not yet minted (`!live`), if any.
    function _pickUnit(uint256 unitSeed, uint256 mode, bool live) private view returns (uint256) {
        if ((mode >> 9) % 4 != 3) {
            for (uint256 k = 0; k < UNITS; ++k) {
                uint256 u = (unitSeed + k) % UNITS;
                if (live ? ghostMinted[u] && !ghostBurned[u] : !ghostMinted[u]) return u;
            }
        }
        return unitSeed % UNITS;
    }

    /// @dev The owner of unit `u` unless `mode % 4 == 3` or the unit has none, else any actor.
    function _callerIndex(uint256 u, uint256 callerSeed, uint256 mode) private view returns (uint256) {
        address owner = ghostOwner[u];
        if (mode % 4 != 3 && owner != address(0)) {
            for (uint256 i = 0; i < ACTORS; ++i) {
                if (actors[i] == owner) return i;
            }
        }
        return callerSeed % ACTORS;
    }

    /// @dev Evidence from one of `caller`'s batches (or, if `mode % 8 == 7`, any id up to two past the last),
    ///      with a member event and its proof (or, if `(mode >> 3) % 8 == 7`, a forged event). Zero (what
    ///      fuzzers try most) is the happy path.
    function _evidence(address caller, uint256 batchSeed, uint256 eventSeed, uint256 mode)
        private
        view
        returns (Evidence memory e)
    {
        e.batchId = batchSeed % (batches + 2);
        if (mode % 8 != 7) {
            for (uint256 k = 0; k < batches; ++k) {
                uint256 id = 1 + (batchSeed + k) % batches;
                if (ghostBatchPartner[id] == caller) {
                    e.batchId = id;
                    break;
                }
            }
        }
        bytes32[] memory events = _batchEvents[e.batchId];
        if (events.length == 0 || (mode >> 3) % 8 == 7) {
            e.eventHash = keccak256(abi.encode("forged event", eventSeed));
            e.proof = new bytes32[](eventSeed % 3);
            for (uint256 k = 0; k < e.proof.length; ++k) e.proof[k] = keccak256(abi.encode("forged node", k));
            return e;
        }
        uint256 index = eventSeed % events.length;
        e.eventHash = events[index];
        (, e.proof) = StandardMerkle.rootAndProof(events, index);
        e.member = true;
    }

    /// @dev The model's error for the batch and proof checks (`notOwn` when the batch is not the caller's).
    function _proofError(Evidence memory e, address caller, bytes4 notOwn) private view returns (bytes memory) {
        if (ghostBatchPartner[e.batchId] != caller) return abi.encodeWithSelector(notOwn, e.batchId, caller);
        if (!e.member) return abi.encodeWithSelector(IDigitalTwin.TwinInvalidProof.selector, e.batchId, e.eventHash);
        return "";
    }

    /// @dev The model's error for the unit and custodian checks of transferCustody and decommission.
    function _custodianError(uint256 u, address caller) private view returns (bytes memory) {
        uint256 tokenId = uint256(units[u]);
        if (!ghostMinted[u]) return abi.encodeWithSelector(IDigitalTwin.TwinUnknownUnit.selector, tokenId);
        if (ghostBurned[u]) return abi.encodeWithSelector(IDigitalTwin.TwinAlreadyDecommissioned.selector, tokenId);
        if (ghostOwner[u] != caller) return abi.encodeWithSelector(IDigitalTwin.TwinNotCustodian.selector, tokenId, caller);
        return "";
    }

    function _act(uint256 i, bool relayed, bytes memory data) private returns (bool ok, bytes memory result) {
        return _callAs(forwarder, actorKeys[i], actors[i], address(twin), relayed, data);
    }


}

contract DigitalTwinInvariantTest is Test {
    DigitalTwin internal twin;
    TradingPartners internal partners;
    DigitalTwinHandler internal handler;

    bytes32 internal constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");

    function setUp() public {
        vm.warp(1_800_000_000);
        MedchainForwarder forwarder = new MedchainForwarder();
        address admin = makeAddr("twin-admin");
        address registrar = makeAddr("twin-registrar");
        partners = new TradingPartners(address(forwarder), admin, address(new TrustRegistry(address(forwarder), admin)));
        SupplyAnchor anchor = new SupplyAnchor(address(forwarder), address(partners));
        twin = new DigitalTwin(address(forwarder), address(anchor), address(partners));
        vm.prank(admin);
        partners.grantRole(REGISTRAR_ROLE, registrar);
        handler = new DigitalTwinHandler(twin, anchor, partners, forwarder, registrar);

        bytes4[] memory selectors = new bytes4[](6);
        selectors[0] = DigitalTwinHandler.anchorEvents.selector;
        selectors[1] = DigitalTwinHandler.mintTwin.selector;
        selectors[2] = DigitalTwinHandler.transferCustody.selector;
        selectors[3] = DigitalTwinHandler.decommission.selector;
        selectors[4] = DigitalTwinHandler.erc721.selector;
        selectors[5] = DigitalTwinHandler.setActive.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// Every call (success or exact error) behaved as the model predicts.
    function invariant_OutcomesMatchModel() public view {
        assertEq(handler.ghostViolations(), 0, handler.lastViolation());
    }

    /// A unit never has two owners: the ghost owner of every live unit is its `ownerOf`, each actor's balance
    /// is the number of live units the model gives it, and the balances sum to minted minus burned.
    function invariant_AUnitNeverHasTwoOwners() public view {
        uint256 live;
        for (uint256 u = 0; u < handler.UNITS(); ++u) {
            if (handler.ghostMinted(u) && !handler.ghostBurned(u)) {
                ++live;
                assertEq(twin.ownerOf(uint256(handler.units(u))), handler.ghostOwner(u), "ownerOf vs ghost owner");
            }
        }
        uint256 sum;
        for (uint256 i = 0; i < handler.ACTORS(); ++i) {
            address a = handler.actors(i);
            uint256 held;
            for (uint256 u = 0; u < handler.UNITS(); ++u) {
                if (handler.ghostOwner(u) == a && handler.ghostMinted(u) && !handler.ghostBurned(u)) ++held;
            }
            assertEq(twin.balanceOf(a), held, "balance vs units held");
            sum += held;
        }
        assertEq(sum, live, "every live unit is held by one actor");
        assertEq(sum, handler.mintedCount() - handler.burnedCount(), "balances = minted - burned");
    }

    /// Custody only moves with a proven event from the current custodian (shipping), the manufacturer
    /// (commissioning) or the dispensing custodian (decommissioning), never through ERC-721 transfers.
    function invariant_CustodyOnlyMovesWithAProvenEventFromTheCustodian() public view {
        assertEq(handler.ghostUnprovenMoves(), 0, "custody moved without a proven event of the custodian");
        assertEq(handler.ghostErc721Successes(), 0, "an ERC-721 transfer or approval succeeded");
        for (uint256 u = 0; u < handler.UNITS(); ++u) {
            if (handler.ghostMinted(u) && !handler.ghostBurned(u)) {
                assertEq(twin.getApproved(uint256(handler.units(u))), address(0), "an approval exists");
            }
        }
    }

    /// Unminted units have no twin, decommissioned ones stay burned and flagged, live ones are not flagged.
    function invariant_LifecycleMatchesModel() public view {
        for (uint256 u = 0; u < handler.UNITS(); ++u) {
            uint256 tokenId = uint256(handler.units(u));
            if (!handler.ghostMinted(u)) {
                try twin.twinOf(tokenId) returns (IDigitalTwin.Twin memory) {
                    assertTrue(false, "twin of an unminted unit");
                } catch (bytes memory reason) {
                    assertEq(reason, abi.encodeWithSelector(IDigitalTwin.TwinUnknownUnit.selector, tokenId));
                }
                continue;
            }
            IDigitalTwin.Twin memory t = twin.twinOf(tokenId);
            assertEq(t.decommissioned, handler.ghostBurned(u), "decommissioned flag");
            assertEq(twin.isDecommissioned(tokenId), handler.ghostBurned(u), "isDecommissioned");
            if (handler.ghostBurned(u)) {
                try twin.ownerOf(tokenId) returns (address) {
                    assertTrue(false, "a decommissioned unit has an owner");
                } catch (bytes memory reason) {
                    assertEq(reason, abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, tokenId));
                }
            }
        }
    }
}
