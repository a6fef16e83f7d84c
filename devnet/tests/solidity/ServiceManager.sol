// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

/// The part of Keel's AVS registry (a Stylus contract) an AVS calls.
interface IAvsRegistry {
    function registerAVS(string calldata metadataURI) external;
    function createOperatorSet(uint64 setId, address[] memory strategies) external;
    function addSlashingCondition(
        uint64 setId,
        uint64 maxSlashWad,
        address slasher,
        uint64 vetoWindow,
        address resolver,
        address redistributionRecipient,
        string calldata descriptionURI,
        bytes32 evidenceSchemaHash
    ) external returns (uint64);
    function slash(address operator, uint64 conditionId, address[] memory strategies, uint64[] memory wads, bytes32 evidenceHash)
        external
        returns (uint64);
}

/// @title An AVS team's service manager, written in Solidity
/// @notice The AVS as Keel sees it: registers itself, creates an operator
/// set, publishes an instant slashing condition it slashes through, all by
/// calling Keel's Stylus registry. Reverts of the registry bubble up as is.
contract ServiceManager {
    IAvsRegistry public immutable registry;
    address public immutable owner;

    event Slashed(address indexed operator, uint64 indexed conditionId, uint64 slashId);

    /// Only the owner may act for the AVS.
    error Unauthorized(address caller);

    constructor(IAvsRegistry registry_) {
        registry = registry_;
        owner = msg.sender;
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert Unauthorized(msg.sender);
        _;
    }

    function registerAVS(string calldata metadataURI) external onlyOwner {
        registry.registerAVS(metadataURI);
    }

    function createOperatorSet(uint64 setId, address[] calldata strategies) external onlyOwner {
        registry.createOperatorSet(setId, strategies);
    }

    /// Publishes an instant (no veto) condition on `setId` slashed by this contract; burns.
    function publishSlashingCondition(uint64 setId, uint64 maxSlashWad, string calldata descriptionURI)
        external
        onlyOwner
        returns (uint64)
    {
        return registry.addSlashingCondition(setId, maxSlashWad, address(this), 0, address(0), address(0), descriptionURI, bytes32(0));
    }

    function slash(address operator, uint64 conditionId, address[] calldata strategies, uint64[] calldata wads, bytes32 evidenceHash)
        external
        onlyOwner
        returns (uint64 slashId)
    {
        slashId = registry.slash(operator, conditionId, strategies, wads, evidenceHash);
        emit Slashed(operator, conditionId, slashId);
    }
}
