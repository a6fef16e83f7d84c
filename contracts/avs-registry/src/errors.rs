//! Errors and events of the AVS registry.

keel_components::abi_items! {
    /// Errors and events of the AVS registry.
    AvsRegistryAbi {
        /// The address has not registered as an AVS.
        error AVSNotRegistered(address avs);
        /// The AVS is already registered.
        error AVSAlreadyRegistered(address avs);
        /// The AVS has no operator set with this id.
        error OperatorSetNotFound(address avs, uint64 setId);
        /// The AVS already has an operator set with this id.
        error OperatorSetExists(address avs, uint64 setId);
        /// An operator set may hold at most `max` strategies.
        error TooManyStrategies(uint256 count, uint256 max);
        /// The operator set already has `max` conditions not retired.
        error TooManyConditions(address avs, uint64 setId, uint256 max);
        /// Strategies must be given in ascending address order; `strategy` is out of order.
        error UnsortedStrategies(address strategy);
        /// `strategy` is given twice.
        error DuplicateStrategy(address strategy);
        /// The operator set does not hold `strategy`.
        error StrategyNotInSet(address avs, uint64 setId, address strategy);
        /// The operator set already holds `strategy`.
        error StrategyAlreadyInSet(address avs, uint64 setId, address strategy);
        /// No slashing condition has this id.
        error ConditionNotFound(uint64 conditionId);
        /// The slashing condition was retired: no new slashes under it.
        error ConditionRetired(uint64 conditionId);
        /// The operator has not accepted this slashing condition.
        error ConditionNotAccepted(address operator, uint64 conditionId);
        /// A condition's cap per incident must be above zero and at most 1e18.
        error InvalidSlashCap(uint64 maxSlashWad);
        /// A condition's veto window is longer than `max` seconds.
        error VetoWindowTooLong(uint64 vetoWindow, uint64 max);
        /// The caller is not the condition's slasher (`slasher` is).
        error NotSlasher(address caller, address slasher);
        /// The caller is not the condition's resolver.
        error NotResolver(address caller);
        /// The slash asks for a zero wad of `strategy`.
        error WadZero(address strategy);
        /// The slash asks for more of `strategy` than the condition's cap per incident.
        error WadAboveCap(address strategy, uint64 wad, uint64 cap);
        /// The operator is neither registered for the set nor inside its deallocation delay.
        error OperatorNotSlashable(address operator, address avs, uint64 setId);
        /// None of the slashed strategies has a slashable allocation.
        error NoSlashableAllocation(address operator, uint64 conditionId);
        /// The allocation already has a change pending, effective at `effectiveAt`.
        error AllocationPending(address operator, address strategy, uint64 effectiveAt);
        /// The increase needs more free magnitude than the operator has.
        error InsufficientMagnitude(address operator, address strategy, uint64 available, uint64 requested);
        /// The operator has no allocation delay in effect yet.
        error AllocationDelayNotSet(address operator);
        /// The address is not an operator of the DelegationManager.
        error NotAnOperator(address operator);
        /// The operator is already registered for the set.
        error AlreadyRegistered(address operator, address avs, uint64 setId);
        /// The operator is not registered for the set.
        error NotRegistered(address operator, address avs, uint64 setId);
        /// The condition has a veto window: use `requestSlash`.
        error VetoWindowRequired(uint64 conditionId);
        /// The condition has no veto window: use `slash`.
        error NoVetoWindow(uint64 conditionId);
        /// No slash request has this id.
        error SlashRequestNotFound(uint64 slashId);
        /// The veto window is open until `executableAt`.
        error VetoWindowOpen(uint64 slashId, uint64 executableAt);
        /// The veto window closed.
        error VetoWindowPassed(uint64 slashId);
        /// The request was not executed before `expiredAt`.
        error SlashRequestExpired(uint64 slashId, uint64 expiredAt);
        /// The request was already executed.
        error SlashAlreadyExecuted(uint64 slashId);
        /// The strategies and wads passed do not match the request's.
        error SlashEntriesMismatch(uint64 slashId);
        /// The request was vetoed.
        error SlashAlreadyVetoed(uint64 slashId);
        /// The condition's slasher changed since the request was made; `slasher` is the slasher now.
        error SlasherReplaced(uint64 slashId, address slasher);
        /// The operator was already slashed (or a slash requested) under this condition for this evidence.
        error EvidenceAlreadyUsed(address operator, uint64 conditionId, bytes32 evidenceHash);
        /// A delay is below its protocol floor.
        error DelayBelowMinimum(uint256 delay, uint256 minimum);
        /// A delay is above the ceiling of owner-set delays.
        error DelayAboveMaximum(uint256 delay, uint256 maximum);
        /// Array arguments of different lengths.
        error InputLengthMismatch();

        /// `avs` registered.
        event AVSRegistered(address indexed avs);
        /// `avs` published new metadata.
        event AVSMetadataURIUpdated(address indexed avs, string metadataURI);
        /// `avs` created operator set `setId`.
        event OperatorSetCreated(address indexed avs, uint64 indexed setId);
        /// `strategy` joined operator set (`avs`, `setId`).
        event StrategyAddedToOperatorSet(address indexed avs, uint64 indexed setId, address indexed strategy);
        /// `strategy` left operator set (`avs`, `setId`).
        event StrategyRemovedFromOperatorSet(address indexed avs, uint64 indexed setId, address indexed strategy);
        /// Slashing condition `conditionId` was published for (`avs`, `setId`); its description URI follows in `SlashingConditionDescription`.
        event SlashingConditionAdded(uint64 indexed conditionId, address indexed avs, uint64 indexed setId, uint64 maxSlashWad, address slasher, uint64 vetoWindow, address resolver, address redistributionRecipient, bytes32 descriptionHash, bytes32 evidenceSchemaHash);
        /// The description of slashing condition `conditionId` (its keccak256 is the condition's `descriptionHash`).
        event SlashingConditionDescription(uint64 indexed conditionId, string descriptionURI);
        /// Slashing condition `conditionId` was retired.
        event SlashingConditionRetired(uint64 indexed conditionId);
        /// `slasher` becomes the slasher of condition `conditionId` at `effectiveAt`.
        event SlasherChangeQueued(uint64 indexed conditionId, address indexed slasher, uint64 effectiveAt);
        /// `operator` registered for operator set (`avs`, `setId`).
        event OperatorRegistered(address indexed operator, address indexed avs, uint64 indexed setId);
        /// `operator` left operator set (`avs`, `setId`); it stays slashable until `slashableUntil`.
        event OperatorDeregistered(address indexed operator, address indexed avs, uint64 indexed setId, uint64 slashableUntil);
        /// `operator` accepted slashing condition `conditionId`.
        event SlashingConditionAccepted(address indexed operator, uint64 indexed conditionId);
        /// `operator`'s allocation delay becomes `delay` seconds at `effectiveAt`.
        event AllocationDelaySet(address indexed operator, uint64 delay, uint64 effectiveAt);
        /// `operator`'s allocation of `strategy` to set (`avs`, `setId`) becomes `magnitude` at `effectiveAt`.
        event AllocationUpdated(address indexed operator, address indexed avs, address indexed strategy, uint64 setId, uint64 magnitude, uint64 effectiveAt);
        /// `operator`'s encumbered magnitude of `strategy` changed.
        event EncumberedMagnitudeUpdated(address indexed operator, address indexed strategy, uint64 encumberedMagnitude);
        /// A slash of `operator` under `conditionId` was requested; it is executable from `executableAt` (entries follow as `SlashRequestEntry`).
        event SlashRequested(uint64 indexed slashId, address indexed operator, uint64 indexed conditionId, bytes32 evidenceHash, uint64 executableAt);
        /// Slash request `slashId` asks for `wad` of `strategy`.
        event SlashRequestEntry(uint64 indexed slashId, address indexed strategy, uint64 wad);
        /// The condition's resolver vetoed slash request `slashId`.
        event SlashVetoed(uint64 indexed slashId, address indexed resolver);
        /// `operator` was slashed under `conditionId` (per strategy: `StrategySlashed`, then `FundsBurned` or `FundsRedistributed`).
        event OperatorSlashed(uint64 indexed slashId, address indexed operator, uint64 indexed conditionId, bytes32 evidenceHash);
        /// Slash `slashId` took `magnitude` (`wad` of the allocation) of `strategy` from `operator`, whose max magnitude is now `maxMagnitude`.
        event StrategySlashed(uint64 indexed slashId, address indexed operator, address indexed strategy, uint64 wad, uint64 magnitude, uint64 maxMagnitude);
        /// Slash `slashId` recorded `shares` of `strategy` for the burn address (paid by `StrategyManager.clearSlashedShares`).
        event FundsBurned(uint64 indexed slashId, address indexed strategy, uint256 shares);
        /// Slash `slashId` recorded `shares` of `strategy` for `recipient` (paid by `StrategyManager.clearSlashedShares`).
        event FundsRedistributed(uint64 indexed slashId, address indexed strategy, address indexed recipient, uint256 shares);
        /// The owner set the registry's delays (seconds).
        event ParametersSet(uint64 allocationConfigurationDelay, uint64 deallocationDelay, uint64 slasherChangeDelay);
    }
}
