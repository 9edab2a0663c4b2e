// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PriceMath} from "../libraries/PriceMath.sol";

/// @notice Test-only wrapper exposing PriceMath to TypeScript tests.
contract PriceMathHarness {
    /// @notice See {PriceMath.normalize}.
    function normalize(uint256 answer, uint8 feedDecimals) external pure returns (uint256) {
        return PriceMath.normalize(answer, feedDecimals);
    }

    /// @notice See {PriceMath.valueDown}.
    function valueDown(uint256 amount, uint256 price, uint8 tokenDecimals) external pure returns (uint256) {
        return PriceMath.valueDown(amount, price, tokenDecimals);
    }

    /// @notice See {PriceMath.amountUp}.
    function amountUp(uint256 value, uint256 price, uint8 tokenDecimals) external pure returns (uint256) {
        return PriceMath.amountUp(value, price, tokenDecimals);
    }
}
