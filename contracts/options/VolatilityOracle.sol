// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";

/// @title VolatilityOracle
/// @notice Implied volatility per underlying, pushed by a role (AccessManager), bounded and
///         staleness-checked on every read. Volatility is annualised, 18 decimals (0.8e18 = 80%).
contract VolatilityOracle is AccessManaged {
    /// @notice Bounds and maximum age for one underlying.
    struct Config {
        uint64 minVolatility;
        uint64 maxVolatility;
        uint32 maxAge; // seconds
    }

    /// @notice The last value pushed for one underlying.
    struct Observation {
        uint64 volatility;
        uint64 updatedAt;
    }

    /// @notice Highest volatility a config may allow (1,000%).
    uint64 public constant MAX_VOLATILITY = 10e18;

    mapping(address underlying => Config) private _configs;
    mapping(address underlying => Observation) private _observations;

    /// @notice Emitted when the bounds of `underlying` change.
    event VolatilityConfigSet(address indexed underlying, uint64 minVolatility, uint64 maxVolatility, uint32 maxAge);
    /// @notice Emitted when a new volatility is pushed.
    event VolatilityUpdated(address indexed underlying, uint64 volatility, uint64 updatedAt);

    /// @notice Bounds are inconsistent (min must be positive, min <= max <= MAX_VOLATILITY, maxAge > 0).
    error VolatilityInvalidConfig(uint64 minVolatility, uint64 maxVolatility, uint32 maxAge);
    /// @notice No bounds configured for `underlying`.
    error VolatilityNotConfigured(address underlying);
    /// @notice `volatility` lies outside [minVolatility, maxVolatility].
    error VolatilityOutOfBounds(address underlying, uint256 volatility, uint256 minVolatility, uint256 maxVolatility);
    /// @notice The last update is older than `maxAge` (or there was none: updatedAt = 0).
    error VolatilityStale(address underlying, uint256 updatedAt, uint256 maxAge);

    /// @param initialAuthority The AccessManager governing `setConfig` and `setVolatility`.
    constructor(address initialAuthority) AccessManaged(initialAuthority) {}

    /// @notice Sets the bounds and maximum age for `underlying`.
    function setConfig(
        address underlying,
        uint64 minVolatility,
        uint64 maxVolatility,
        uint32 maxAge
    ) external restricted {
        if (minVolatility == 0 || minVolatility > maxVolatility || maxVolatility > MAX_VOLATILITY || maxAge == 0) {
            revert VolatilityInvalidConfig(minVolatility, maxVolatility, maxAge);
        }
        _configs[underlying] = Config(minVolatility, maxVolatility, maxAge);
        emit VolatilityConfigSet(underlying, minVolatility, maxVolatility, maxAge);
    }

    /// @notice Pushes a new implied volatility for `underlying` (must lie within its bounds).
    function setVolatility(address underlying, uint64 volatility) external restricted {
        Config memory c = _configs[underlying];
        if (c.maxAge == 0) revert VolatilityNotConfigured(underlying);
        if (volatility < c.minVolatility || volatility > c.maxVolatility) {
            revert VolatilityOutOfBounds(underlying, volatility, c.minVolatility, c.maxVolatility);
        }
        _observations[underlying] = Observation(volatility, uint64(block.timestamp));
        emit VolatilityUpdated(underlying, volatility, uint64(block.timestamp));
    }

    /// @notice The current volatility of `underlying`; reverts when unset, stale, or outside the
    ///         (possibly since tightened) bounds.
    function getVolatility(address underlying) external view returns (uint256) {
        Config memory c = _configs[underlying];
        if (c.maxAge == 0) revert VolatilityNotConfigured(underlying);
        Observation memory o = _observations[underlying];
        if (o.updatedAt == 0 || block.timestamp - o.updatedAt > c.maxAge) {
            revert VolatilityStale(underlying, o.updatedAt, c.maxAge);
        }
        if (o.volatility < c.minVolatility || o.volatility > c.maxVolatility) {
            revert VolatilityOutOfBounds(underlying, o.volatility, c.minVolatility, c.maxVolatility);
        }
        return o.volatility;
    }

    /// @notice Bounds and maximum age of `underlying`.
    function config(address underlying) external view returns (Config memory) {
        return _configs[underlying];
    }

    /// @notice Last pushed value of `underlying` (unchecked).
    function observation(address underlying) external view returns (Observation memory) {
        return _observations[underlying];
    }
}
