// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title GS1Model
/// @notice Reference model of the GS1 rules the supply contracts check, written on decimal strings the way
///         the GS1 General Specifications state them (check digit weights counted from the left of a
///         fixed-length key, character set as a literal list), independently of `contracts/supply/GS1.sol`.
library GS1Model {
    /// @dev GS1 AI encodable character set 82, as listed in the General Specifications (figure 7.11-1).
    bytes internal constant CSET82 =
        "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

    /// @dev `value` in decimal, left-padded with zeros to `width` (longer if it needs more digits).
    function decimal(uint256 value, uint256 width) internal pure returns (bytes memory out) {
        uint256 n = 1;
        for (uint256 v = value / 10; v != 0; v /= 10) ++n;
        if (n < width) n = width;
        out = new bytes(n);
        for (uint256 i = n; i > 0; --i) {
            out[i - 1] = bytes1(uint8(0x30 + value % 10));
            value /= 10;
        }
    }

    /// @dev The check digit of a key of `body.length + 1` digits: the digit at position p (1-based from the
    ///      left, check digit at position length) weighs 3 if (length - p) is odd, else 1.
    function checkDigit(bytes memory body) internal pure returns (uint8) {
        uint256 length = body.length + 1;
        uint256 sum;
        for (uint256 p = 1; p < length; ++p) {
            uint256 d = uint8(body[p - 1]) - 0x30;
            sum += (length - p) % 2 == 1 ? 3 * d : d;
        }
        uint256 next10 = ((sum + 9) / 10) * 10;
        return uint8(next10 - sum);
    }

    function _validKey(uint256 value, uint256 width) private pure returns (bool) {
        bytes memory s = decimal(value, width);
        if (value == 0 || s.length != width) return false;
        bytes memory body = new bytes(width - 1);
        for (uint256 i = 0; i + 1 < width; ++i) body[i] = s[i];
        return uint8(s[width - 1]) - 0x30 == checkDigit(body);
    }

    function isValidGln(uint64 gln) internal pure returns (bool) {
        return _validKey(gln, 13);
    }

    function isValidGtin(uint64 gtin) internal pure returns (bool) {
        return _validKey(gtin, 14);
    }

    /// @dev `body` (all digits) followed by its check digit, as an integer.
    function withCheckDigit(bytes memory body) internal pure returns (uint256 value) {
        for (uint256 i = 0; i < body.length; ++i) value = value * 10 + (uint8(body[i]) - 0x30);
        value = value * 10 + checkDigit(body);
    }

    function isValidPrefix(bytes memory prefix) internal pure returns (bool) {
        if (prefix.length < 4 || prefix.length > 12) return false;
        for (uint256 i = 0; i < prefix.length; ++i) {
            if (prefix[i] < "0" || prefix[i] > "9") return false;
        }
        return true;
    }

    /// @dev Whether `a` is a prefix of `b` (or equal).
    function startsWith(bytes memory b, bytes memory a) internal pure returns (bool) {
        if (a.length > b.length) return false;
        for (uint256 i = 0; i < a.length; ++i) {
            if (a[i] != b[i]) return false;
        }
        return true;
    }

    /// @dev The GTIN-13 body of a GTIN-14: its digits 2 to 13.
    function gtinBody(uint64 gtin) internal pure returns (bytes memory body) {
        bytes memory s = decimal(gtin, 14);
        body = new bytes(12);
        for (uint256 i = 0; i < 12; ++i) body[i] = s[s.length - 13 + i];
    }

    function isValidLot(bytes memory lot) internal pure returns (bool) {
        if (lot.length == 0 || lot.length > 20) return false;
        for (uint256 i = 0; i < lot.length; ++i) {
            bool found;
            for (uint256 j = 0; j < CSET82.length; ++j) {
                if (lot[i] == CSET82[j]) {
                    found = true;
                    break;
                }
            }
            if (!found) return false;
        }
        return true;
    }
}
