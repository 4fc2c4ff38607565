// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title GS1
/// @author medchain
/// @notice The few GS1 rules the supply contracts check on chain, on numeric keys and plain strings:
///         the modulo-10 check digit of GLNs and GTINs, the form of a GS1 Company Prefix, the character set
///         of a lot number (AI 10) and which company prefix a GTIN begins with.
/// @dev Numeric keys are passed as integers, so leading zeros are implicit: a GLN is at most 13 digits
///      (`gln < 10**13`), a GTIN is its GTIN-14 form (`gtin < 10**14`; GTIN-8, -12 and -13 are lifted to
///      GTIN-14 with leading zeros, which leave the check digit unchanged). Company prefixes keep their
///      leading zeros, so they are strings of digits.
///
///      Company prefix rule: a GTIN-14 `d1 d2 ... d13 d14` (d1 the indicator digit, d14 the check digit)
///      belongs to company prefix P (4 to 12 digits) iff P equals the first `|P|` digits of `d2 ... d13`,
///      the GTIN-13 body. A U.P.C. company prefix is therefore registered in its GS1 form, with the leading
///      zero (U.P.C. prefix `614141` is GS1 Company Prefix `0614141`).
library GS1 {
    /// @dev Shortest and longest GS1 Company Prefix accepted.
    uint256 internal constant MIN_PREFIX_LENGTH = 4;
    uint256 internal constant MAX_PREFIX_LENGTH = 12;
    /// @dev Longest lot number (AI 10: up to 20 characters of CSET 82).
    uint256 internal constant MAX_LOT_LENGTH = 20;
    /// @dev Bit c is set iff ASCII character c belongs to GS1 AI encodable character set 82.
    uint256 internal constant CSET82_MASK = 0x7fffffe87fffffeffffffe600000000;
    /// @dev Digits of the GTIN-13 body (a GTIN-14 without its indicator and check digits).
    uint256 private constant BODY_DIGITS = 12;

    /// @notice Tells whether the last decimal digit of `number` is the GS1 modulo-10 check digit of the digits
    ///         before it (weights 3 and 1 alternating from the right, starting with 3; leading zeros weigh nothing).
    /// @param number The key with its check digit, as an integer.
    /// @return True if the check digit is right.
    function hasValidCheckDigit(uint256 number) internal pure returns (bool) {
        uint256 check = number % 10;
        uint256 rest = number / 10;
        uint256 sum;
        uint256 weight = 3;
        while (rest != 0) {
            sum += (rest % 10) * weight;
            weight = 4 - weight;
            rest /= 10;
        }
        return (10 - (sum % 10)) % 10 == check;
    }

    /// @notice Tells whether `gln` is a Global Location Number: non-zero, at most 13 digits, valid check digit.
    /// @param gln The GLN as an integer.
    /// @return True if valid.
    function isValidGln(uint64 gln) internal pure returns (bool) {
        return gln != 0 && gln < 1e13 && hasValidCheckDigit(gln);
    }

    /// @notice Tells whether `gtin` is a GTIN-14: non-zero, at most 14 digits, valid check digit.
    /// @param gtin The GTIN-14 as an integer.
    /// @return True if valid.
    function isValidGtin(uint64 gtin) internal pure returns (bool) {
        return gtin != 0 && gtin < 1e14 && hasValidCheckDigit(gtin);
    }

    /// @notice Parses a GS1 Company Prefix: 4 to 12 ASCII digits.
    /// @param prefix The prefix as written (leading zeros significant).
    /// @return valid Whether `prefix` has the form of a company prefix.
    /// @return length Its number of digits (0 if invalid).
    /// @return value Its digits as an integer (0 if invalid).
    function parsePrefix(string calldata prefix) internal pure returns (bool valid, uint256 length, uint256 value) {
        bytes calldata digits = bytes(prefix);
        uint256 n = digits.length;
        if (n < MIN_PREFIX_LENGTH || n > MAX_PREFIX_LENGTH) return (false, 0, 0);
        for (uint256 i = 0; i < n; ++i) {
            uint8 c = uint8(digits[i]);
            if (c < 0x30 || c > 0x39) return (false, 0, 0);
            value = value * 10 + (c - 0x30);
        }
        return (true, n, value);
    }

    /// @notice The storage key of a company prefix of `length` digits whose value is `value`: the value tagged
    ///         with the length, so that `0614141` and `614141` differ.
    /// @param length Number of digits (4..12).
    /// @param value The digits as an integer (below `10**length`).
    /// @return The key.
    function prefixKey(uint256 length, uint256 value) internal pure returns (uint256) {
        return (length << 64) | value;
    }

    /// @notice The first `length` digits of the GTIN-13 body of `gtin` (see the company prefix rule), as an integer.
    /// @param gtin A GTIN-14 as an integer.
    /// @param length Number of digits (1..12).
    /// @return The digits as an integer.
    function gtinPrefixValue(uint64 gtin, uint256 length) internal pure returns (uint256) {
        return ((uint256(gtin) / 10) % 10 ** BODY_DIGITS) / 10 ** (BODY_DIGITS - length);
    }

    /// @notice Tells whether `lot` is a lot number (AI 10): 1 to 20 characters of CSET 82.
    /// @param lot The lot number.
    /// @return True if valid.
    function isValidLot(string calldata lot) internal pure returns (bool) {
        bytes calldata chars = bytes(lot);
        uint256 n = chars.length;
        if (n == 0 || n > MAX_LOT_LENGTH) return false;
        for (uint256 i = 0; i < n; ++i) {
            if ((CSET82_MASK >> uint8(chars[i])) & 1 == 0) return false;
        }
        return true;
    }
}
