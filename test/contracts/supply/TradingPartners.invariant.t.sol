// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {MedchainForwarder} from "../../../contracts/relay/MedchainForwarder.sol";
import {ITradingPartners, KIND_MANUFACTURER} from "../../../contracts/supply/ITradingPartners.sol";
import {TrustRegistry} from "../../../contracts/identity/TrustRegistry.sol";
import {TradingPartners} from "../../../contracts/supply/TradingPartners.sol";
import {Test} from "../utils/Test.sol";
import {ModelCheckedHandler} from "../utils/ModelCheckedHandler.sol";
import {GS1Model} from "./GS1Model.sol";

/// @notice Drives TradingPartners (registerPartner, addCompanyPrefix, setPartnerActive, directly and relayed by
///         the registrar, and attempts by a non-registrar) and keeps an independent model of partners, GLNs and
///         prefixes.
/// @dev Prefixes are 4 to 8 digits drawn from {0, 1} only, so that equal, shorter and longer overlapping
///      prefixes are tried all the time. GLNs come from a small set so that taken GLNs are tried.
contract TradingPartnersHandler is ModelCheckedHandler {
    TradingPartners public immutable partners;
    MedchainForwarder public immutable forwarder;
    address public immutable registrar;
    uint256 internal immutable registrarKey;

    uint256 public constant ACCOUNTS = 8;
    uint256 public constant GLNS = 10;
    address[ACCOUNTS] public accounts;
    address public stranger;

    // model
    mapping(address account => uint8 kind) public ghostKind;
    mapping(address account => bool active) public ghostActive;
    mapping(address account => uint64 gln) public ghostGln;
    mapping(uint64 gln => address holder) public ghostGlnHolder;
    bytes[] internal _prefixes;
    address[] internal _prefixOwners;
    uint256 public registered;

    mapping(bytes4 selector => uint256 count) public successes;

    constructor(TradingPartners partners_, MedchainForwarder forwarder_, address registrar_, uint256 registrarKey_) {
        partners = partners_;
        forwarder = forwarder_;
        registrar = registrar_;
        registrarKey = registrarKey_;
        for (uint256 i = 0; i < ACCOUNTS; ++i) accounts[i] = makeAddr(string.concat("partners-account-", vm.toString(i)));
        stranger = makeAddr("partners-stranger");
    }

    // ------------------------------------------------------------------------------------- actions

    /// @param kindSeed Kinds 1..5, or an invalid 0 or 6 when `kindSeed % 16 == 15`; a prefix goes with it when
    ///        `prefixSeed % 3 != 0`.
    function registerPartner(uint256 accountSeed, uint8 kindSeed, uint256 glnSeed, uint256 prefixSeed, bool relayed)
        external
    {
        address account = accounts[accountSeed % ACCOUNTS];
        uint8 kind = kindSeed % 16 == 15 ? (kindSeed % 32 == 15 ? 0 : 6) : uint8(1 + kindSeed % 5);
        // mostly valid GLNs from a small set; sometimes the same body with a wrong check digit
        uint64 gln = glnOf(glnSeed % GLNS);
        if (glnSeed % 11 == 10) gln = gln % 10 == 9 ? gln - 9 : gln + 1;
        bytes memory prefix = prefixSeed % 3 == 0 ? bytes("") : prefixOf(prefixSeed);

        bytes memory expected;
        if (ghostKind[account] != 0) {
            expected = abi.encodeWithSelector(ITradingPartners.SupplyPartnerExists.selector, account);
        } else if (kind == 0 || kind > 5) {
            expected = abi.encodeWithSelector(ITradingPartners.SupplyInvalidKind.selector, kind);
        } else if (!GS1Model.isValidGln(gln)) {
            expected = abi.encodeWithSelector(ITradingPartners.SupplyInvalidGln.selector, gln);
        } else if (ghostGlnHolder[gln] != address(0)) {
            expected = abi.encodeWithSelector(ITradingPartners.SupplyGlnTaken.selector, gln, ghostGlnHolder[gln]);
        } else if (prefix.length != 0) {
            expected = _prefixError(account, kind, prefix);
        }
        (bool ok, bytes memory reason) = _asRegistrar(
            relayed, abi.encodeCall(ITradingPartners.registerPartner, (account, kind, gln, string(prefix)))
        );
        _checkOutcome(ok, reason, expected, relayed, "registerPartner");
        if (!ok) return;
        ++successes[this.registerPartner.selector];
        ghostKind[account] = kind;
        ghostActive[account] = true;
        ghostGln[account] = gln;
        ghostGlnHolder[gln] = account;
        ++registered;
        if (prefix.length != 0) {
            _prefixes.push(prefix);
            _prefixOwners.push(account);
        }
    }

    function addCompanyPrefix(uint256 accountSeed, uint256 prefixSeed, bool relayed) external {
        address account = accounts[accountSeed % ACCOUNTS];
        bytes memory prefix = prefixOf(prefixSeed);
        bytes memory expected;
        if (ghostKind[account] == 0) {
            expected = abi.encodeWithSelector(ITradingPartners.SupplyUnknownPartner.selector, account);
        } else {
            expected = _prefixError(account, ghostKind[account], prefix);
        }
        (bool ok, bytes memory reason) =
            _asRegistrar(relayed, abi.encodeCall(ITradingPartners.addCompanyPrefix, (account, string(prefix))));
        _checkOutcome(ok, reason, expected, relayed, "addCompanyPrefix");
        if (!ok) return;
        ++successes[this.addCompanyPrefix.selector];
        _prefixes.push(prefix);
        _prefixOwners.push(account);
    }

    function setPartnerActive(uint256 accountSeed, bool active, bool relayed) external {
        address account = accounts[accountSeed % ACCOUNTS];
        bytes memory expected;
        if (ghostKind[account] == 0) {
            expected = abi.encodeWithSelector(ITradingPartners.SupplyUnknownPartner.selector, account);
        }
        (bool ok, bytes memory reason) =
            _asRegistrar(relayed, abi.encodeCall(ITradingPartners.setPartnerActive, (account, active)));
        _checkOutcome(ok, reason, expected, relayed, "setPartnerActive");
        if (ok) ghostActive[account] = active;
    }

    /// @notice A non-registrar (a stranger, or a registered partner) tries any registrar action: always refused.
    function intrude(uint256 callerSeed, uint256 what, uint256 prefixSeed) external {
        address caller = callerSeed % 2 == 0 ? stranger : accounts[callerSeed % ACCOUNTS];
        address account = accounts[(callerSeed >> 8) % ACCOUNTS];
        bytes memory data;
        if (what % 3 == 0) {
            data = abi.encodeCall(ITradingPartners.registerPartner, (caller, KIND_MANUFACTURER, glnOf(0), "0101"));
        } else if (what % 3 == 1) {
            data = abi.encodeCall(ITradingPartners.addCompanyPrefix, (account, string(prefixOf(prefixSeed))));
        } else {
            data = abi.encodeCall(ITradingPartners.setPartnerActive, (account, true));
        }
        vm.prank(caller);
        (bool ok,) = address(partners).call(data);
        if (ok) _violation("intrude: a non-registrar changed the registry");
    }

    // ------------------------------------------------------------------------------------- views

    function prefixesLength() external view returns (uint256) {
        return _prefixes.length;
    }

    function prefixAt(uint256 i) external view returns (bytes memory prefix, address owner) {
        return (_prefixes[i], _prefixOwners[i]);
    }

    /// @dev A prefix of 4..8 digits over {0, 1}.
    function prefixOf(uint256 seed) public pure returns (bytes memory prefix) {
        prefix = new bytes(4 + seed % 5);
        for (uint256 i = 0; i < prefix.length; ++i) prefix[i] = (seed >> (8 + i)) & 1 == 1 ? bytes1("1") : bytes1("0");
    }

    /// @dev GLN k of the small set: body 0614141000k0.., with its check digit.
    function glnOf(uint256 k) public pure returns (uint64) {
        return uint64(GS1Model.withCheckDigit(GS1Model.decimal(61414100300 + k, 12)));
    }

    // ----------------------------------------------------------------------------------- helpers

    /// @dev The model's error for giving `prefix` to `account` of `kind` (empty if it must succeed).
    function _prefixError(address account, uint8 kind, bytes memory prefix) private view returns (bytes memory) {
        if (kind != KIND_MANUFACTURER) {
            return abi.encodeWithSelector(ITradingPartners.SupplyNotManufacturer.selector, account);
        }
        for (uint256 i = 0; i < _prefixes.length; ++i) {
            if (GS1Model.startsWith(prefix, _prefixes[i]) || GS1Model.startsWith(_prefixes[i], prefix)) {
                return abi.encodeWithSelector(ITradingPartners.SupplyPrefixTaken.selector, string(prefix));
            }
        }
        return "";
    }

    function _asRegistrar(bool relayed, bytes memory data) private returns (bool ok, bytes memory reason) {
        if (relayed) {
            ERC2771Forwarder.ForwardRequestData memory request =
                signedRequest(forwarder, registrarKey, address(partners), data);
            (ok, reason) = address(forwarder).call(abi.encodeCall(ERC2771Forwarder.execute, (request)));
        } else {
            vm.prank(registrar);
            (ok, reason) = address(partners).call(data);
        }
    }


}

contract TradingPartnersInvariantTest is Test {
    TradingPartners internal partners;
    TradingPartnersHandler internal handler;

    bytes32 internal constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");

    function setUp() public {
        MedchainForwarder forwarder = new MedchainForwarder();
        address admin = makeAddr("partners-admin");
        (address registrar, uint256 registrarKey) = makeAddrAndKey("partners-registrar");
        partners = new TradingPartners(address(forwarder), admin, address(new TrustRegistry(address(forwarder), admin)));
        vm.prank(admin);
        partners.grantRole(REGISTRAR_ROLE, registrar);
        handler = new TradingPartnersHandler(partners, forwarder, registrar, registrarKey);

        bytes4[] memory selectors = new bytes4[](4);
        selectors[0] = TradingPartnersHandler.registerPartner.selector;
        selectors[1] = TradingPartnersHandler.addCompanyPrefix.selector;
        selectors[2] = TradingPartnersHandler.setPartnerActive.selector;
        selectors[3] = TradingPartnersHandler.intrude.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// Every call (success or exact error) behaved as the model predicts; no non-registrar changed anything.
    function invariant_OutcomesMatchModel() public view {
        assertEq(handler.ghostViolations(), 0, handler.lastViolation());
    }

    /// Partners, their kinds, status and GLNs match the model; a GLN belongs to one partner.
    function invariant_PartnersMatchModel() public view {
        assertEq(partners.partnerCount(), handler.registered(), "partnerCount");
        for (uint256 i = 0; i < handler.ACCOUNTS(); ++i) {
            address a = handler.accounts(i);
            uint8 kind = handler.ghostKind(a);
            assertEq(partners.isActivePartner(a), kind != 0 && handler.ghostActive(a), "active");
            if (kind == 0) continue;
            ITradingPartners.Partner memory p = partners.partnerOf(a);
            assertEq(uint256(p.kind), kind, "kind");
            assertEq(uint256(p.gln), handler.ghostGln(a), "gln");
            assertEq(partners.partnerOfGln(p.gln), a, "partnerOfGln");
        }
        for (uint256 k = 0; k < handler.GLNS(); ++k) {
            uint64 gln = handler.glnOf(k);
            assertEq(partners.partnerOfGln(gln), handler.ghostGlnHolder(gln), "GLN holder");
        }
    }

    /// Registered prefixes are prefix-free, each owned by the manufacturer the model says, and any prefix of
    /// the space is owned only if registered; every GTIN under a registered prefix belongs to its owner.
    function invariant_PrefixesArePrefixFreeAndOwnedOnce() public view {
        uint256 n = handler.prefixesLength();
        for (uint256 i = 0; i < n; ++i) {
            (bytes memory p, address owner) = handler.prefixAt(i);
            assertEq(partners.ownerOfPrefix(string(p)), owner, "ownerOfPrefix");
            assertEq(uint256(handler.ghostKind(owner)), KIND_MANUFACTURER, "owner is a manufacturer");
            for (uint256 j = i + 1; j < n; ++j) {
                (bytes memory q,) = handler.prefixAt(j);
                assertFalse(GS1Model.startsWith(p, q) || GS1Model.startsWith(q, p), "overlapping prefixes");
            }
            // a GTIN-14 whose body begins with p, padded with 9s
            bytes memory body13 = bytes("9999999999999");
            for (uint256 k = 0; k < p.length; ++k) body13[1 + k] = p[k];
            assertEq(partners.ownerOfGtin(uint64(GS1Model.withCheckDigit(body13))), owner, "ownerOfGtin");
        }
        // every prefix of 4 digits over {0, 1}: owned iff registered
        for (uint256 seed = 0; seed < 16; ++seed) {
            bytes memory p = new bytes(4);
            for (uint256 k = 0; k < 4; ++k) p[k] = (seed >> k) & 1 == 1 ? bytes1("1") : bytes1("0");
            address registeredOwner;
            for (uint256 i = 0; i < n; ++i) {
                (bytes memory q, address owner) = handler.prefixAt(i);
                if (keccak256(q) == keccak256(p)) registeredOwner = owner;
            }
            assertEq(partners.ownerOfPrefix(string(p)), registeredOwner, "owned iff registered");
        }
    }
}
