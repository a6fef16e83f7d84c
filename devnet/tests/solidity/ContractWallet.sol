// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

/// A one-owner contract wallet that signs by EIP-1271, standing in for a
/// multisig in the tests of Keel's contract signers. It accepts a digest
/// its owner key signed (65 bytes r, s, v) or one its owner approved on
/// chain (any signature bytes), and its owner can make it refuse all.
contract ContractWallet {
    /// The magic value of an accepted signature.
    bytes4 internal constant MAGIC = 0x1626ba7e;

    /// The key that signs for the wallet.
    address public owner;
    /// Whether the wallet refuses every signature.
    bool public refusing;
    /// Digests the owner approved on chain.
    mapping(bytes32 => bool) public approved;

    /// Only the owner may change the wallet.
    error Unauthorized(address caller);

    constructor(address owner_) {
        owner = owner_;
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert Unauthorized(msg.sender);
        _;
    }

    /// Approves `hash` without an off-chain signature.
    function approveHash(bytes32 hash) external onlyOwner {
        approved[hash] = true;
    }

    /// Makes the wallet refuse (or accept again) every signature.
    function setRefusing(bool refusing_) external onlyOwner {
        refusing = refusing_;
    }

    /// EIP-1271: `MAGIC` if the wallet accepts `signature` over `hash`.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (refusing) return 0xffffffff;
        if (approved[hash]) return MAGIC;
        if (signature.length != 65) return 0xffffffff;
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        address signer = ecrecover(hash, v, r, s);
        return signer != address(0) && signer == owner ? MAGIC : bytes4(0xffffffff);
    }
}
