// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {PriceMath} from "../../contracts/libraries/PriceMath.sol";

contract PriceMathTest is Test {
    /// Normalising to 18 decimals and back loses nothing when the feed has <= 18 decimals.
    function testFuzz_normalizeIsExactUpTo18(uint64 answer, uint8 decimals) public pure {
        decimals = uint8(bound(decimals, 0, 18));
        uint256 n = PriceMath.normalize(answer, decimals);
        assertEq(n / 10 ** (18 - decimals), answer);
    }

    /// Converting value to an amount rounded up and back to a value rounded down never loses value
    /// for the vault, and never gains more than one token unit's worth.
    function testFuzz_roundTripFavoursVault(uint96 value, uint128 price, uint8 decimals) public pure {
        decimals = uint8(bound(decimals, 6, 18));
        price = uint128(bound(price, 1e12, 1e30));
        uint256 amount = PriceMath.amountUp(value, price, decimals);
        uint256 back = PriceMath.valueDown(amount, price, decimals);
        assertGe(back, value);
        assertLe(back - value, PriceMath.valueUp(1, price, decimals));
    }
}
