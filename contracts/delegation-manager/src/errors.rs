//! Errors and events of the DelegationManager.

keel_components::abi_items! {
    /// Errors and events of the DelegationManager.
    DelegationManagerAbi {
        /// The staker is not delegated to any operator.
        error NotDelegated(address staker);
        /// The staker is already delegated (to `operator`).
        error AlreadyDelegated(address staker, address operator);
        /// The address is not a registered operator.
        error OperatorNotRegistered(address operator);
        /// Operators are delegated to themselves for good.
        error OperatorsCannotUndelegate(address operator);
        /// The approver's signature expired.
        error SignatureExpired(uint256 expiry);
        /// The delegation was not signed by the operator's approver.
        error InvalidSignature(address approver);
        /// The approver already used this salt.
        error SaltAlreadySpent(address approver, bytes32 salt);
        /// No pending withdrawal has this root.
        error WithdrawalNotQueued(bytes32 root);
        /// The withdrawal can be completed from `completableAt` on.
        error WithdrawalDelayNotElapsed(uint256 completableAt);
        /// A withdrawal of zero shares, or with no strategies.
        error ZeroShares();
        /// The staker has `have` deposit shares of `token`, fewer than `want`.
        error InsufficientShares(address token, uint256 have, uint256 want);
        /// The operator's magnitude for `token` is zero: it takes no new stake.
        error FullySlashed(address operator, address token);
        /// The slash's magnitudes do not match the operator's current one, or do not decrease.
        error InvalidMagnitude(uint256 current, uint256 prevMagnitude, uint256 newMagnitude);
        /// The withdrawal delay must be from `minimum` (the protocol floor, or the current delay: it is never lowered) to `maximum`.
        error DelayOutOfBounds(uint256 delay, uint256 minimum, uint256 maximum);
        /// Array arguments of different lengths.
        error InputLengthMismatch();
        /// The address was already set (to `current`); it can be set only once.
        error AlreadySet(address current);
        /// A scaled share total does not fit a checkpoint.
        error MathOverflow();

        /// `operator` registered, with `delegationApprover` (zero: anyone may delegate).
        event OperatorRegistered(address indexed operator, address delegationApprover);
        /// `operator` changed its delegation approver.
        event OperatorDetailsModified(address indexed operator, address delegationApprover);
        /// `operator` published new metadata.
        event OperatorMetadataURIUpdated(address indexed operator, string metadataURI);
        /// `staker` delegated to `operator`.
        event StakerDelegated(address indexed staker, address indexed operator);
        /// `staker` left `operator` (its shares went to the withdrawal queue).
        event StakerUndelegated(address indexed staker, address indexed operator);
        /// `operator`'s delegated `token` shares rose by `shares` through `staker`.
        event OperatorSharesIncreased(address indexed operator, address indexed staker, address indexed token, uint256 shares);
        /// `operator`'s delegated `token` shares fell by `shares` through `staker`.
        event OperatorSharesDecreased(address indexed operator, address indexed staker, address indexed token, uint256 shares);
        /// `staker`'s deposit scaling factor for `token` changed.
        event DepositScalingFactorUpdated(address indexed staker, address indexed token, uint256 factor);
        /// A withdrawal entered the queue (its entries follow as `WithdrawalEntry`).
        event WithdrawalQueued(bytes32 indexed root, address indexed staker, address indexed operator, uint256 nonce, uint256 completableAt);
        /// Queued withdrawal `root` holds `scaledShares` of `token`.
        event WithdrawalEntry(bytes32 indexed root, address indexed token, uint256 scaledShares);
        /// A withdrawal left the queue, paid as tokens or re-credited as shares (see `WithdrawalPaid`).
        event WithdrawalCompleted(bytes32 indexed root, address indexed staker, bool receiveAsTokens);
        /// Completing withdrawal `root` paid `shares` of `token`.
        event WithdrawalPaid(bytes32 indexed root, address indexed token, uint256 shares);
        /// `operator` was slashed for `token` from `prevMagnitude` to `newMagnitude`;
        /// `operatorShares` delegated and `queuedShares` queued shares go to `recipient`.
        event OperatorSlashed(address indexed operator, address indexed token, uint256 prevMagnitude, uint256 newMagnitude, uint256 operatorShares, uint256 queuedShares, address recipient);
        /// The withdrawal delay changed.
        event WithdrawalDelaySet(uint256 delay);
        /// The slasher (the AVS registry) was set.
        event SlasherSet(address indexed slasher);
        /// The rewards coordinator was set.
        event RewardsCoordinatorSet(address indexed coordinator);
        /// The rewards coordinator paid (`operator`, `token`) for the first time: its stake changes are reported from now on.
        event PoolRewarded(address indexed operator, address indexed token);
    }
}
