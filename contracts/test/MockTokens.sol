// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice Test-only USDC: 6 decimals, EIP-2612 permit, open mint.
contract MockUSDC is ERC20, ERC20Permit {
    constructor() ERC20("Mock USD Coin", "USDC") ERC20Permit("Mock USD Coin") {}

    /// @notice 6 decimals like USDC.
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Mints `amount` to `to` (anyone).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}

/// @notice Test-only ERC-20 with configurable decimals and open mint.
contract MockToken is ERC20 {
    uint8 private immutable DECIMALS;

    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) {
        DECIMALS = decimals_;
    }

    /// @notice Configured decimals.
    function decimals() public view override returns (uint8) {
        return DECIMALS;
    }

    /// @notice Mints `amount` to `to` (anyone).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Burns `amount` from `from` (anyone; test helper).
    function burn(address from, uint256 amount) external {
        _burn(from, amount);
    }
}

/// @notice Test-only fee-on-transfer token: 1 % of every transfer is burnt.
contract MockFeeOnTransferToken is ERC20 {
    constructor() ERC20("Fee Token", "FOT") {}

    /// @notice Mints `amount` to `to` (anyone).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = value / 100;
            super._update(from, address(0), fee);
            value -= fee;
        }
        super._update(from, to, value);
    }
}

/// @notice Test-only share-based rebasing token (stETH-like): balances are shares x index, and
///         transfers move `amount / index` shares, rounded down.
contract MockRebasingToken {
    // ERC-20 metadata getters must have these names
    // solhint-disable const-name-snakecase
    string public constant name = "Rebasing Token";
    string public constant symbol = "REB";
    uint8 public constant decimals = 18;
    // solhint-enable const-name-snakecase
    uint256 public index = 1.1e18;
    mapping(address => uint256) public sharesOf;
    mapping(address => mapping(address => uint256)) public allowance;
    uint256 public totalShares;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// @notice Sets the rebase index (1e18 = 1).
    function setIndex(uint256 newIndex) external {
        index = newIndex;
    }

    /// @notice Mints `amount` (token units) to `to`.
    function mint(address to, uint256 amount) external {
        uint256 s = Math.mulDiv(amount, 1e18, index);
        sharesOf[to] += s;
        totalShares += s;
    }

    /// @notice Balance = shares x index.
    function balanceOf(address a) public view returns (uint256) {
        return Math.mulDiv(sharesOf[a], index, 1e18);
    }

    /// @notice Total supply = total shares x index.
    function totalSupply() external view returns (uint256) {
        return Math.mulDiv(totalShares, index, 1e18);
    }

    /// @notice ERC-20 approve.
    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    /// @notice ERC-20 transfer (moves shares rounded down).
    function transfer(address to, uint256 amount) external returns (bool) {
        _move(msg.sender, to, amount);
        return true;
    }

    /// @notice ERC-20 transferFrom (moves shares rounded down).
    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        allowance[from][msg.sender] -= amount;
        _move(from, to, amount);
        return true;
    }

    function _move(address from, address to, uint256 amount) private {
        uint256 s = Math.mulDiv(amount, 1e18, index);
        sharesOf[from] -= s;
        sharesOf[to] += s;
        emit Transfer(from, to, amount);
    }
}

/// @notice Test-only token that calls back `target` with `data` on every transfer while armed
///         (bubbling any revert), to test reentrancy protection.
contract MockReentrantToken is ERC20 {
    address public callTarget;
    bytes public data;
    bool public armed;

    constructor() ERC20("Reentrant Token", "REENT") {}

    /// @notice Mints `amount` to `to` (anyone).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the callback.
    function arm(address target_, bytes calldata data_) external {
        (callTarget, data, armed) = (target_, data_, true);
    }

    /// @notice Disarms the callback.
    function disarm() external {
        armed = false;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (armed) {
            armed = false;
            // the test needs an arbitrary re-entrant call
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory ret) = callTarget.call(data);
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(ret, 32), mload(ret))
                }
            }
            armed = true;
        }
    }
}
