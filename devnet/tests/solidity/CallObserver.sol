// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

/// Calls another contract and reports what the caller observes, to check
/// from Solidity how a Stylus callee's outcomes (trap, revert, out of ink)
/// look: the success flag, the return data and the gas the call consumed.
contract CallObserver {
    /// Calls `target` with `data`, forwarding at most `gasLimit`; returns
    /// whether it succeeded, its return data and the gas the call used.
    function observe(address target, bytes calldata data, uint256 gasLimit)
        external
        returns (bool success, bytes memory output, uint256 used)
    {
        uint256 before = gasleft();
        (success, output) = target.call{gas: gasLimit}(data);
        used = before - gasleft();
    }
}
