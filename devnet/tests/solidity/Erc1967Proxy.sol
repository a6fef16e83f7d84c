// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

/// The smallest ERC-1967 proxy: the implementation's address in the
/// standard slot, every call forwarded by `delegatecall` with its return or
/// revert data passed through. Measures what a proxy in front of a Stylus
/// program costs (docs/upgrades.md); it has no upgrade function.
contract Erc1967Proxy {
    /// `bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1)`.
    bytes32 internal constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;

    /// Points the proxy at `implementation` and runs `init` on it in the
    /// proxy's storage (a Stylus constructor, say); reverts with its data.
    constructor(address implementation, bytes memory init) {
        assembly {
            sstore(IMPLEMENTATION_SLOT, implementation)
        }
        if (init.length > 0) {
            (bool ok, bytes memory data) = implementation.delegatecall(init);
            if (!ok) {
                assembly {
                    revert(add(data, 32), mload(data))
                }
            }
        }
    }

    fallback() external payable {
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), sload(IMPLEMENTATION_SLOT), 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }
}
