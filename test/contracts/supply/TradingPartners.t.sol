// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {
    ITradingPartners,
    KIND_DISPENSER,
    KIND_MANUFACTURER,
    KIND_REGULATOR,
    KIND_REPACKAGER,
    KIND_WHOLESALER
} from "../../../contracts/supply/ITradingPartners.sol";
import {TradingPartners} from "../../../contracts/supply/TradingPartners.sol";
import {SupplyFixture} from "./SupplyFixture.sol";
import {GS1Model} from "./GS1Model.sol";

abstract contract TradingPartnersFixture is SupplyFixture {
    address internal newcomer;

    function setUp() public virtual override {
        super.setUp();
        newcomer = makeAddr("newcomer");
    }

    function _addPrefix(address account, string memory prefix) internal {
        vm.prank(registrar);
        partners.addCompanyPrefix(account, prefix);
    }

    function _expectRevertRegister(bytes memory reason, address account, uint8 kind, uint64 gln, string memory prefix)
        internal
    {
        vm.expectRevert(reason);
        vm.prank(registrar);
        partners.registerPartner(account, kind, gln, prefix);
    }

    function _prefixTaken(string memory prefix) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITradingPartners.SupplyPrefixTaken.selector, prefix);
    }

    function _invalidPrefix(string memory prefix) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITradingPartners.SupplyInvalidPrefix.selector, prefix);
    }
}

contract TradingPartnersTest is TradingPartnersFixture {
    // ------------------------------------------------------------------------------------ deployment

    function test_Deployment_SetsRoles() public view {
        assertTrue(partners.isTrustedForwarder(address(forwarder)));
        assertEq(partners.trustedForwarder(), address(forwarder));
        assertEq(partners.REGISTRAR_ROLE(), REGISTRAR_ROLE);
        assertEq(partners.getRoleAdmin(REGISTRAR_ROLE), DEFAULT_ADMIN_ROLE);
        assertTrue(partners.hasRole(DEFAULT_ADMIN_ROLE, admin));
        assertFalse(partners.hasRole(REGISTRAR_ROLE, admin));
        assertTrue(partners.hasRole(REGISTRAR_ROLE, registrar));
        assertEq(partners.partnerCount(), 6);
    }

    function test_SupportsInterfaces() public view {
        assertTrue(partners.supportsInterface(type(ITradingPartners).interfaceId));
        assertTrue(partners.supportsInterface(type(IAccessControl).interfaceId));
        assertTrue(partners.supportsInterface(type(IERC165).interfaceId));
        assertFalse(partners.supportsInterface(0xffffffff));
    }

    function test_RevertWhen_DeployingWithZeroAdmin() public {
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyZeroAddress.selector));
        new TradingPartners(address(forwarder), address(0), address(trust));
    }

    // ------------------------------------------------------------------------------- registerPartner

    function test_RegisterPartner_StoresEverythingAndEmits() public {
        vm.warp(T0 + 1 days);
        vm.expectEmit(address(partners));
        emit ITradingPartners.PartnerRegistered(newcomer, KIND_WHOLESALER, GLN_SPARE, registrar);
        vm.recordLogs();
        _register(newcomer, KIND_WHOLESALER, GLN_SPARE, "");
        assertEq(vm.getRecordedLogs().length, 1, "no prefix event without a prefix");

        ITradingPartners.Partner memory p = partners.partnerOf(newcomer);
        assertEq(uint256(p.kind), KIND_WHOLESALER);
        assertTrue(p.active);
        assertEq(uint256(p.gln), GLN_SPARE);
        assertEq(uint256(p.registeredAt), T0 + 1 days);
        assertTrue(partners.isPartner(newcomer, KIND_WHOLESALER));
        assertTrue(partners.isActivePartner(newcomer));
        assertEq(partners.partnerOfGln(GLN_SPARE), newcomer);
        assertEq(partners.partnerCount(), 7);
    }

    function test_RegisterPartner_ManufacturerWithPrefixEmitsBoth() public {
        vm.expectEmit(address(partners));
        emit ITradingPartners.PartnerRegistered(newcomer, KIND_MANUFACTURER, GLN_SPARE, registrar);
        vm.expectEmit(address(partners));
        emit ITradingPartners.CompanyPrefixAdded(newcomer, "5012345");
        _register(newcomer, KIND_MANUFACTURER, GLN_SPARE, "5012345");
        assertTrue(partners.ownsPrefix(newcomer, "5012345"));
        assertEq(partners.ownerOfPrefix("5012345"), newcomer);
        assertTrue(partners.isPartner(newcomer, KIND_MANUFACTURER));
    }

    function test_RegisterPartner_ManufacturerWithoutPrefix() public {
        _register(newcomer, KIND_MANUFACTURER, GLN_SPARE, "");
        assertTrue(partners.isPartner(newcomer, KIND_MANUFACTURER));
        _addPrefix(newcomer, "5012345");
        assertEq(partners.ownerOfPrefix("5012345"), newcomer);
    }

    function test_RegisterPartner_EveryKindIsOnlyItsKind() public view {
        address[5] memory accounts = [manufacturer, repackager, wholesaler, dispenser, regulator];
        for (uint8 i = 0; i < 5; ++i) {
            for (uint8 kind = 0; kind <= 6; ++kind) {
                assertEq(partners.isPartner(accounts[i], kind), kind == i + 1, "isPartner");
            }
            assertEq(uint256(partners.partnerOf(accounts[i]).kind), i + 1);
            assertTrue(partners.isActivePartner(accounts[i]));
        }
        assertEq(uint256(KIND_MANUFACTURER), 1);
        assertEq(uint256(KIND_REPACKAGER), 2);
        assertEq(uint256(KIND_WHOLESALER), 3);
        assertEq(uint256(KIND_DISPENSER), 4);
        assertEq(uint256(KIND_REGULATOR), 5);
    }

    function test_RevertWhen_NonRegistrarRegisters() public {
        vm.expectRevert(_unauthorized(stranger, REGISTRAR_ROLE));
        vm.prank(stranger);
        partners.registerPartner(newcomer, KIND_WHOLESALER, GLN_SPARE, "");
        vm.expectRevert(_unauthorized(admin, REGISTRAR_ROLE));
        vm.prank(admin);
        partners.registerPartner(newcomer, KIND_WHOLESALER, GLN_SPARE, "");
        vm.expectRevert(_unauthorized(manufacturer, REGISTRAR_ROLE));
        vm.prank(manufacturer);
        partners.registerPartner(newcomer, KIND_WHOLESALER, GLN_SPARE, "");
    }

    function test_Register_ChecksTheRoleFirst() public {
        vm.expectRevert(_unauthorized(stranger, REGISTRAR_ROLE));
        vm.prank(stranger);
        partners.registerPartner(address(0), 0, 0, "x");
    }

    function test_RevertWhen_RegisteringZeroAccount() public {
        _expectRevertRegister(
            abi.encodeWithSelector(ITradingPartners.SupplyZeroAddress.selector), address(0), KIND_WHOLESALER, GLN_SPARE, ""
        );
    }

    function test_RevertWhen_RegisteringTwice() public {
        bytes memory exists = abi.encodeWithSelector(ITradingPartners.SupplyPartnerExists.selector, wholesaler);
        _expectRevertRegister(exists, wholesaler, KIND_WHOLESALER, GLN_SPARE, "");
        // a suspended partner is still registered
        _setActive(wholesaler, false);
        _expectRevertRegister(exists, wholesaler, KIND_DISPENSER, GLN_SPARE, "");
        assertEq(partners.partnerCount(), 6);
    }

    function test_RevertWhen_KindIsInvalid() public {
        uint8[3] memory kinds = [0, 6, type(uint8).max];
        for (uint256 i = 0; i < kinds.length; ++i) {
            _expectRevertRegister(
                abi.encodeWithSelector(ITradingPartners.SupplyInvalidKind.selector, kinds[i]), newcomer, kinds[i], GLN_SPARE, ""
            );
        }
    }

    function test_RevertWhen_GlnIsInvalid() public {
        uint64[6] memory glns = [
            uint64(0), // zero
            614141000013, // wrong check digit
            614141000010, // wrong check digit
            10000000000000, // 14 digits
            type(uint64).max,
            4012345000017 // wrong check digit, 13 digits
        ];
        for (uint256 i = 0; i < glns.length; ++i) {
            _expectRevertRegister(
                abi.encodeWithSelector(ITradingPartners.SupplyInvalidGln.selector, glns[i]), newcomer, KIND_WHOLESALER, glns[i], ""
            );
        }
    }

    function test_Register_AcceptsGlnsWithLeadingZeros() public {
        // 0000000000017 (body 000000000001 -> check digit 7) and 0614141000081
        _register(newcomer, KIND_WHOLESALER, 17, "");
        assertEq(uint256(partners.partnerOf(newcomer).gln), 17);
        address other = makeAddr("other");
        _register(other, KIND_DISPENSER, 614141000081, "");
        assertEq(partners.partnerOfGln(614141000081), other);
    }

    function test_RevertWhen_GlnIsTaken() public {
        _expectRevertRegister(
            abi.encodeWithSelector(ITradingPartners.SupplyGlnTaken.selector, GLN_WHOLESALER, wholesaler),
            newcomer,
            KIND_DISPENSER,
            GLN_WHOLESALER,
            ""
        );
    }

    function test_RevertWhen_NonManufacturerGetsAPrefix() public {
        for (uint8 kind = 2; kind <= 5; ++kind) {
            _expectRevertRegister(
                abi.encodeWithSelector(ITradingPartners.SupplyNotManufacturer.selector, newcomer), newcomer, kind, GLN_SPARE, "5012345"
            );
        }
    }

    function test_RevertWhen_RegisteringWithAnInvalidPrefix() public {
        _expectRevertRegister(_invalidPrefix("501"), newcomer, KIND_MANUFACTURER, GLN_SPARE, "501");
        assertEq(partners.partnerOfGln(GLN_SPARE), address(0), "nothing half-written");
    }

    function test_RevertWhen_RegisteringWithATakenPrefix() public {
        _expectRevertRegister(_prefixTaken(PREFIX), newcomer, KIND_MANUFACTURER, GLN_SPARE, PREFIX);
        _expectRevertRegister(_prefixTaken("061414"), newcomer, KIND_MANUFACTURER, GLN_SPARE, "061414");
        _expectRevertRegister(_prefixTaken("06141419"), newcomer, KIND_MANUFACTURER, GLN_SPARE, "06141419");
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyUnknownPartner.selector, newcomer));
        partners.partnerOf(newcomer);
    }

    // ------------------------------------------------------------------------------ addCompanyPrefix

    function test_AddCompanyPrefix_AddsAndEmits() public {
        vm.expectEmit(address(partners));
        emit ITradingPartners.CompanyPrefixAdded(manufacturer, "0312345");
        _addPrefix(manufacturer, "0312345");
        assertTrue(partners.ownsPrefix(manufacturer, "0312345"));
        assertTrue(partners.ownsPrefix(manufacturer, PREFIX), "keeps its first prefix");
        assertFalse(partners.ownsPrefix(manufacturer2, "0312345"));
    }

    function test_AddCompanyPrefix_ShortestAndLongest() public {
        _addPrefix(manufacturer, "7000");
        _addPrefix(manufacturer2, "800000000001");
        assertEq(partners.ownerOfPrefix("7000"), manufacturer);
        assertEq(partners.ownerOfPrefix("800000000001"), manufacturer2);
        // GTIN (01)07000123456781 -> body 700012345678, begins with 7000
        assertEq(partners.ownerOfGtin(uint64(GS1Model.withCheckDigit("0700012345678"))), manufacturer);
        // GTIN (01)38000000000011 -> body 800000000001 (the one GTIN of a 12-digit prefix)
        assertEq(partners.ownerOfGtin(uint64(GS1Model.withCheckDigit("3800000000001"))), manufacturer2);
    }

    function test_AddCompanyPrefix_LeadingZerosAreSignificant() public {
        // "614141" is not "0614141": neither begins with the other
        _addPrefix(manufacturer2, "614141");
        assertEq(partners.ownerOfPrefix("614141"), manufacturer2);
        assertEq(partners.ownerOfPrefix(PREFIX), manufacturer);
        assertEq(partners.ownerOfGtin(GTIN), manufacturer);
        assertEq(partners.ownerOfGtin(uint64(GS1Model.withCheckDigit("0614141999999"))), manufacturer2);
    }

    function test_AddCompanyPrefix_ToASuspendedManufacturer() public {
        _setActive(manufacturer, false);
        _addPrefix(manufacturer, "0312345");
        assertTrue(partners.ownsPrefix(manufacturer, "0312345"));
    }

    function test_RevertWhen_PrefixIsTakenOrOverlaps() public {
        string[7] memory taken = [
            PREFIX, // exact, same owner
            "0614", // shortest prefix it begins with
            "061414", // a prefix of it
            "06141410", // begins with it
            "061414100000", // begins with it, longest
            PREFIX_2, // another manufacturer's
            "40123456" // begins with another manufacturer's
        ];
        for (uint256 i = 0; i < taken.length; ++i) {
            vm.expectRevert(_prefixTaken(taken[i]));
            vm.prank(registrar);
            partners.addCompanyPrefix(manufacturer, taken[i]);
        }
        // and a sibling of an existing prefix is free
        _addPrefix(manufacturer2, "0614142");
        assertEq(partners.ownerOfGtin(GTIN_OTHER_PREFIX), manufacturer2);
    }

    function test_RevertWhen_ShorterPrefixCoversALongerOne() public {
        _addPrefix(manufacturer, "123456789012");
        // every shorter prefix of it down to 4 digits is refused
        string[8] memory shorter =
            ["12345678901", "1234567890", "123456789", "12345678", "1234567", "123456", "12345", "1234"];
        for (uint256 i = 0; i < shorter.length; ++i) {
            vm.expectRevert(_prefixTaken(shorter[i]));
            vm.prank(registrar);
            partners.addCompanyPrefix(manufacturer2, shorter[i]);
        }
        _addPrefix(manufacturer2, "1235");
    }

    function test_RevertWhen_PrefixIsInvalid() public {
        string[8] memory invalid = ["", "123", "0614141000001", "06141a1", " 0614141", "0614141 ", "-1234", "\x00\x00\x00\x00"];
        for (uint256 i = 0; i < invalid.length; ++i) {
            vm.expectRevert(_invalidPrefix(invalid[i]));
            vm.prank(registrar);
            partners.addCompanyPrefix(manufacturer, invalid[i]);
        }
    }

    function test_RevertWhen_AddingPrefixToUnknownOrNonManufacturer() public {
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyUnknownPartner.selector, newcomer));
        vm.prank(registrar);
        partners.addCompanyPrefix(newcomer, "5012345");
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyNotManufacturer.selector, repackager));
        vm.prank(registrar);
        partners.addCompanyPrefix(repackager, "5012345");
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyNotManufacturer.selector, dispenser));
        vm.prank(registrar);
        partners.addCompanyPrefix(dispenser, "5012345");
    }

    function test_RevertWhen_NonRegistrarAddsPrefix() public {
        vm.expectRevert(_unauthorized(manufacturer, REGISTRAR_ROLE));
        vm.prank(manufacturer);
        partners.addCompanyPrefix(manufacturer, "5012345");
    }

    // ------------------------------------------------------------------------------ setPartnerActive

    function test_SetPartnerActive_SuspendsAndReinstates() public {
        vm.expectEmit(address(partners));
        emit ITradingPartners.PartnerActiveSet(wholesaler, false);
        _setActive(wholesaler, false);
        assertFalse(partners.isActivePartner(wholesaler));
        assertFalse(partners.isPartner(wholesaler, KIND_WHOLESALER));
        ITradingPartners.Partner memory p = partners.partnerOf(wholesaler);
        assertFalse(p.active);
        assertEq(uint256(p.kind), KIND_WHOLESALER, "kind kept");
        assertEq(uint256(p.gln), GLN_WHOLESALER, "gln kept");

        // idempotent, emits again
        vm.expectEmit(address(partners));
        emit ITradingPartners.PartnerActiveSet(wholesaler, false);
        _setActive(wholesaler, false);

        vm.expectEmit(address(partners));
        emit ITradingPartners.PartnerActiveSet(wholesaler, true);
        _setActive(wholesaler, true);
        assertTrue(partners.isPartner(wholesaler, KIND_WHOLESALER));
        assertEq(partners.partnerCount(), 6);
    }

    function test_SetPartnerActive_SuspendedManufacturerKeepsItsPrefix() public {
        _setActive(manufacturer, false);
        assertTrue(partners.ownsPrefix(manufacturer, PREFIX));
        assertEq(partners.ownerOfGtin(GTIN), manufacturer);
    }

    function test_RevertWhen_SettingUnknownPartnerActive() public {
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyUnknownPartner.selector, newcomer));
        _setActive(newcomer, true);
    }

    function test_RevertWhen_NonRegistrarSetsActive() public {
        vm.expectRevert(_unauthorized(wholesaler, REGISTRAR_ROLE));
        vm.prank(wholesaler);
        partners.setPartnerActive(wholesaler, true);
    }

    function test_AdminRevokesRegistrar() public {
        vm.prank(admin);
        partners.revokeRole(REGISTRAR_ROLE, registrar);
        vm.expectRevert(_unauthorized(registrar, REGISTRAR_ROLE));
        _setActive(wholesaler, false);
    }

    // ------------------------------------------------------------------------------------------ views

    function test_PartnerOf_RevertsForUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyUnknownPartner.selector, newcomer));
        partners.partnerOf(newcomer);
        vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyUnknownPartner.selector, address(0)));
        partners.partnerOf(address(0));
    }

    function test_Views_UnknownAccountsAndGlns() public view {
        assertFalse(partners.isActivePartner(newcomer));
        assertFalse(partners.isActivePartner(address(0)));
        for (uint8 kind = 0; kind <= 6; ++kind) assertFalse(partners.isPartner(newcomer, kind));
        assertEq(partners.partnerOfGln(GLN_SPARE), address(0));
        assertEq(partners.partnerOfGln(0), address(0));
        assertEq(partners.partnerOfGln(GLN_DISPENSER), dispenser);
    }

    function test_OwnsPrefix_OnlyExactValidPrefixesOfTheOwner() public view {
        assertTrue(partners.ownsPrefix(manufacturer, PREFIX));
        assertFalse(partners.ownsPrefix(manufacturer2, PREFIX));
        assertFalse(partners.ownsPrefix(address(0), "0000"));
        assertFalse(partners.ownsPrefix(manufacturer, "061414"), "a shorter prefix is not owned");
        assertFalse(partners.ownsPrefix(manufacturer, "06141410"), "a longer prefix is not owned");
        assertFalse(partners.ownsPrefix(manufacturer, "614141"));
        assertFalse(partners.ownsPrefix(manufacturer, ""));
        assertFalse(partners.ownsPrefix(manufacturer, "0614141x"));
        assertEq(partners.ownerOfPrefix("not digits"), address(0));
        assertEq(partners.ownerOfPrefix("0614"), address(0), "marked as extended, not owned");
    }

    function test_OwnerOfGtin_FollowsTheBody() public view {
        assertEq(partners.ownerOfGtin(GTIN), manufacturer);
        assertEq(partners.ownerOfGtin(GTIN_CASE), manufacturer, "the indicator digit is not part of the body");
        assertEq(partners.ownerOfGtin(GTIN_2), manufacturer2);
        assertEq(partners.ownerOfGtin(GTIN_OTHER_PREFIX), address(0));
        assertEq(partners.ownerOfGtin(0), address(0));
        assertEq(partners.ownerOfGtin(type(uint64).max), address(0));
    }

    // ---------------------------------------------------------------------------------- via forwarder

    function test_Relayed_RegistrarRegisters() public {
        vm.expectEmit(address(partners));
        emit ITradingPartners.PartnerRegistered(newcomer, KIND_DISPENSER, GLN_SPARE, registrar);
        vm.prank(relayer);
        forwarder.execute(
            signedRequest(
                forwarder,
                registrarKey,
                address(partners),
                abi.encodeCall(ITradingPartners.registerPartner, (newcomer, KIND_DISPENSER, GLN_SPARE, ""))
            )
        );
        assertTrue(partners.isPartner(newcomer, KIND_DISPENSER));
        assertEq(forwarder.nonces(registrar), 1);
    }

    function test_Relayed_RegistrarAddsPrefixAndSuspends() public {
        vm.startPrank(relayer);
        forwarder.execute(
            signedRequest(
                forwarder, registrarKey, address(partners), abi.encodeCall(ITradingPartners.addCompanyPrefix, (manufacturer, "0312345"))
            )
        );
        forwarder.execute(
            signedRequest(
                forwarder, registrarKey, address(partners), abi.encodeCall(ITradingPartners.setPartnerActive, (manufacturer, false))
            )
        );
        vm.stopPrank();
        assertTrue(partners.ownsPrefix(manufacturer, "0312345"));
        assertFalse(partners.isActivePartner(manufacturer));
    }

    function test_Relayed_StrangerCannotRegister() public {
        ERC2771Forwarder.ForwardRequestData memory request = signedRequest(
            forwarder,
            strangerKey,
            address(partners),
            abi.encodeCall(ITradingPartners.registerPartner, (stranger, KIND_MANUFACTURER, GLN_SPARE, "5012345"))
        );
        vm.expectRevert();
        vm.prank(relayer);
        forwarder.execute(request);
        assertFalse(partners.isActivePartner(stranger));
    }

    function test_DirectCallWithSpoofedSuffixActsAsTheCaller() public {
        bytes memory spoofed = abi.encodePacked(
            abi.encodeCall(ITradingPartners.setPartnerActive, (stranger, true)), registrar
        );
        vm.prank(stranger);
        (bool ok, bytes memory reason) = address(partners).call(spoofed);
        assertFalse(ok);
        assertEq(reason, _unauthorized(stranger, REGISTRAR_ROLE));
    }
}

contract TradingPartnersFuzzTest is TradingPartnersFixture {
    /// The GLN rule (13 digits, mod-10 check digit) matches the reference model for any integer.
    function testFuzz_GlnValidationMatchesModel(uint64 gln) public {
        // small GLNs (leading zeros) and near-13-digit ones as well as any uint64
        if (gln % 3 == 0) gln %= 1e13;
        else if (gln % 3 == 1) gln = uint64(9_999_999_999_000 + gln % 2_000);
        address holder = partners.partnerOfGln(gln);
        bool valid = GS1Model.isValidGln(gln);
        if (!valid) {
            vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyInvalidGln.selector, gln));
        } else if (holder != address(0)) {
            vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyGlnTaken.selector, gln, holder));
        }
        _register(newcomer, KIND_WHOLESALER, gln, "");
        assertEq(partners.isActivePartner(newcomer), valid && holder == address(0));
    }

    /// Exactly one of the ten last digits is accepted after any 12-digit body.
    function testFuzz_ExactlyOneCheckDigitIsValid(uint64 bodySeed) public {
        uint64 body = bodySeed % 1e12;
        uint256 accepted;
        for (uint64 d = 0; d < 10; ++d) {
            uint64 gln = body * 10 + d;
            address account = makeAddr(string.concat("gln-", vm.toString(d)));
            if (partners.partnerOfGln(gln) != address(0)) {
                // a fixture partner's GLN: valid, so it is the one
                ++accepted;
                continue;
            }
            if (gln == 0) continue;
            vm.prank(registrar);
            try partners.registerPartner(account, KIND_DISPENSER, gln, "") {
                ++accepted;
                assertTrue(GS1Model.isValidGln(gln), "accepted an invalid GLN");
            } catch (bytes memory reason) {
                assertEq(reason, abi.encodeWithSelector(ITradingPartners.SupplyInvalidGln.selector, gln));
                assertFalse(GS1Model.isValidGln(gln), "refused a valid GLN");
            }
        }
        // body 0 with check digit 0 is the zero GLN, skipped; every other body has exactly one
        if (body != 0) assertEq(accepted, 1, "one check digit per body");
    }

    /// The prefix form rule (4..12 ASCII digits) matches the model for strings over digits and a few others.
    function testFuzz_PrefixValidationMatchesModel(uint256 seed, uint8 lengthSeed) public {
        uint256 length = lengthSeed % 15;
        bytes memory prefix = new bytes(length);
        bytes memory alphabet = "0123456789012345678901234567890123456789a /:\xff";
        for (uint256 i = 0; i < length; ++i) {
            prefix[i] = alphabet[uint256(keccak256(abi.encode(seed, i))) % alphabet.length];
        }
        bool valid = GS1Model.isValidPrefix(prefix);
        bool free = valid && !GS1Model.startsWith(prefix, bytes(PREFIX)) && !GS1Model.startsWith(bytes(PREFIX), prefix)
            && !GS1Model.startsWith(prefix, bytes(PREFIX_2)) && !GS1Model.startsWith(bytes(PREFIX_2), prefix);
        if (!valid) vm.expectRevert(_invalidPrefix(string(prefix)));
        else if (!free) vm.expectRevert(_prefixTaken(string(prefix)));
        _addPrefix(manufacturer, string(prefix));
        assertEq(partners.ownsPrefix(manufacturer, string(prefix)), valid && free);
    }

    /// Two prefixes can both be registered iff neither begins with the other; ownership of any GTIN follows
    /// the model (the owner of the one registered prefix its body begins with).
    function testFuzz_PrefixesStayPrefixFree(uint64 a, uint8 lengthA, uint64 b, uint8 lengthB, uint64 gtinSeed)
        public
    {
        bytes memory pa = GS1Model.decimal(a % 1e12, 12);
        bytes memory pb = GS1Model.decimal(b % 1e12, 12);
        // share a random number of leading digits so that overlaps happen often
        uint256 shared = uint256(keccak256(abi.encode(a, b))) % 13;
        for (uint256 i = 0; i < shared; ++i) pb[i] = pa[i];
        assembly {
            mstore(pa, add(4, mod(lengthA, 9)))
            mstore(pb, add(4, mod(lengthB, 9)))
        }
        // start from a registry with no prefix
        TradingPartners fresh = new TradingPartners(address(forwarder), admin, address(trust));
        vm.prank(admin);
        fresh.grantRole(REGISTRAR_ROLE, registrar);
        vm.startPrank(registrar);
        fresh.registerPartner(manufacturer, KIND_MANUFACTURER, GLN_MANUFACTURER, string(pa));
        fresh.registerPartner(manufacturer2, KIND_MANUFACTURER, GLN_MANUFACTURER_2, "");
        bool overlap = GS1Model.startsWith(pa, pb) || GS1Model.startsWith(pb, pa);
        if (overlap) vm.expectRevert(abi.encodeWithSelector(ITradingPartners.SupplyPrefixTaken.selector, string(pb)));
        fresh.addCompanyPrefix(manufacturer2, string(pb));
        vm.stopPrank();
        bool same = keccak256(pa) == keccak256(pb);
        assertEq(fresh.ownerOfPrefix(string(pb)), same ? manufacturer : overlap ? address(0) : manufacturer2, "owner");

        // a GTIN under pa, one under pb and a random one
        uint64[3] memory gtins = [_gtinUnder(pa, gtinSeed), _gtinUnder(pb, gtinSeed), gtinSeed % 1e14];
        for (uint256 i = 0; i < 3; ++i) {
            bytes memory body = GS1Model.gtinBody(gtins[i]);
            address expected;
            if (GS1Model.startsWith(body, pa)) expected = manufacturer;
            else if (!overlap && GS1Model.startsWith(body, pb)) expected = manufacturer2;
            assertEq(fresh.ownerOfGtin(gtins[i]), expected, "ownerOfGtin");
        }
    }

    /// A valid GTIN-14 whose body begins with `prefix` (indicator and item reference from `seed`).
    function _gtinUnder(bytes memory prefix, uint64 seed) internal pure returns (uint64) {
        bytes memory body13 = GS1Model.decimal(seed % 1e13, 13);
        for (uint256 i = 0; i < prefix.length; ++i) body13[1 + i] = prefix[i];
        return uint64(GS1Model.withCheckDigit(body13));
    }
}
