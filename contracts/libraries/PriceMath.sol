// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title PriceMath
/// @notice The one place where oracle answers are normalised to 18-decimal USD prices and where
///         token amounts are converted to and from USD values. Every function names its rounding.
library PriceMath {
    /// @notice Decimals of every normalised price inside the protocol.
    uint8 internal constant PRICE_DECIMALS = 18;

    /// @notice A feed reported more decimals than the protocol supports.
    error PriceMathUnsupportedDecimals(uint8 decimals);

    /// @notice Normalises a positive feed answer with `feedDecimals` decimals to 18 decimals.
    /// @dev Exact when `feedDecimals <= 18`; rounds down otherwise.
    function normalize(uint256 answer, uint8 feedDecimals) internal pure returns (uint256) {
        if (feedDecimals > 36) revert PriceMathUnsupportedDecimals(feedDecimals);
        if (feedDecimals <= PRICE_DECIMALS) return answer * 10 ** (PRICE_DECIMALS - feedDecimals);
        return answer / 10 ** (feedDecimals - PRICE_DECIMALS);
    }

    /// @notice USD value (18 decimals) of `amount` token units at `price` (18 decimals), rounded down.
    function valueDown(uint256 amount, uint256 price, uint8 tokenDecimals) internal pure returns (uint256) {
        return Math.mulDiv(amount, price, 10 ** tokenDecimals, Math.Rounding.Floor);
    }

    /// @notice USD value (18 decimals) of `amount` token units at `price` (18 decimals), rounded up.
    function valueUp(uint256 amount, uint256 price, uint8 tokenDecimals) internal pure returns (uint256) {
        return Math.mulDiv(amount, price, 10 ** tokenDecimals, Math.Rounding.Ceil);
    }

    /// @notice Token units worth `value` USD (18 decimals) at `price` (18 decimals), rounded down.
    function amountDown(uint256 value, uint256 price, uint8 tokenDecimals) internal pure returns (uint256) {
        return Math.mulDiv(value, 10 ** tokenDecimals, price, Math.Rounding.Floor);
    }

    /// @notice Token units worth `value` USD (18 decimals) at `price` (18 decimals), rounded up.
    function amountUp(uint256 value, uint256 price, uint8 tokenDecimals) internal pure returns (uint256) {
        return Math.mulDiv(value, 10 ** tokenDecimals, price, Math.Rounding.Ceil);
    }
}
