// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

/// @title A Solidity ERC-20 for the devnet's cross-VM tests
/// @notice Plays a Solidity strategy token (wstETH and friends on Arbitrum)
/// that Keel's Stylus StrategyManager moves. The deployer mints.
contract SolidityToken {
    string public name;
    string public symbol;
    uint8 public constant decimals = 18;
    uint256 public totalSupply;
    address public immutable minter;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// The sender holds less than the amount moved.
    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    /// The spender may move less than the amount asked.
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    /// Tokens cannot be sent to the zero address.
    error ERC20InvalidReceiver(address receiver);
    /// Only the minter may mint.
    error Unauthorized(address caller);

    constructor(string memory name_, string memory symbol_) {
        name = name_;
        symbol = symbol_;
        minter = msg.sender;
    }

    /// Creates `value` tokens for `to` (minter only).
    function mint(address to, uint256 value) external {
        if (msg.sender != minter) revert Unauthorized(msg.sender);
        if (to == address(0)) revert ERC20InvalidReceiver(to);
        totalSupply += value;
        balanceOf[to] += value;
        emit Transfer(address(0), to, value);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        _move(msg.sender, to, value);
        return true;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < value) revert ERC20InsufficientAllowance(msg.sender, allowed, value);
            allowance[from][msg.sender] = allowed - value;
        }
        _move(from, to, value);
        return true;
    }

    function _move(address from, address to, uint256 value) private {
        if (to == address(0)) revert ERC20InvalidReceiver(to);
        uint256 balance = balanceOf[from];
        if (balance < value) revert ERC20InsufficientBalance(from, balance, value);
        unchecked {
            balanceOf[from] = balance - value;
        }
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }
}

/// @title Deploys SolidityTokens with CREATE2 (tests nested EVM creation)
contract TokenFactory {
    event TokenCreated(address token, bytes32 salt);

    /// Deploys a token minted by this factory at the CREATE2 address for `salt`.
    function create(string calldata name_, string calldata symbol_, bytes32 salt) external returns (address token) {
        token = address(new SolidityToken{salt: salt}(name_, symbol_));
        emit TokenCreated(token, salt);
    }
}
