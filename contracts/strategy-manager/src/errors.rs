//! Errors and events of the StrategyManager.

keel_components::abi_items! {
    /// Errors and events of the StrategyManager.
    StrategyManagerAbi {
        /// A deposit or share movement of zero.
        error ZeroAmount();
        /// The token has no strategy, or its strategy is not accepting deposits.
        error StrategyNotWhitelisted(address token);
        /// The token already has a strategy.
        error StrategyAlreadyExists(address token);
        /// The deposit would take the strategy's balance above its cap.
        error DepositCapExceeded(address token, uint256 cap, uint256 balanceAfter);
        /// The staker already holds shares in the maximum number of strategies.
        error TooManyStrategies(address staker, uint256 max);
        /// The deposit is too small to mint a single share.
        error ZeroSharesMinted(address token, uint256 amount);
        /// The signed deposit's expiry has passed.
        error SignatureExpired(uint256 expiry);
        /// The signature was not made by the staker over this deposit and nonce.
        error InvalidSignature(address staker);
        /// The staker has fewer deposit shares than the operation needs.
        error InsufficientShares(address staker, address token, uint256 have, uint256 want);
        /// The DelegationManager was already set; it can be set only once.
        error DelegationManagerAlreadySet(address current);
        /// A token transfer (in or out) failed.
        error TokenTransferFailed(address token);
        /// An arithmetic result does not fit in 256 bits.
        error MathOverflow();
        /// The slashed shares `avs` owes `recipient` (zero `avs` for burns) are in escrow until `releasableAt`.
        error SlashEscrowed(address token, address recipient, address avs, uint64 releasableAt);
        /// A slash escrow delay outside `[min, max]` seconds.
        error SlashEscrowDelayOutOfBounds(uint64 delay, uint64 min, uint64 max);
        /// No successor StrategyManager has been named, so there is nowhere to migrate.
        error NoSuccessor();
        /// The successor (or predecessor) was already named; it can be named only once.
        error MigrationPeerAlreadySet(address current);
        /// The staker is delegated to `operator`: its stake is slashable, so it
        /// leaves through the withdrawal queue (undelegate, complete as shares, migrate).
        error StakerDelegated(address staker, address operator);
        /// The staker has no deposit shares of `token` to migrate.
        error NothingToMigrate(address staker, address token);
        /// Only the predecessor StrategyManager may migrate stake in.
        error NotPredecessor(address caller);

        /// `token` got a strategy with deposit cap `cap`.
        event StrategyAdded(address indexed token, uint256 cap);
        /// `token`'s strategy was opened (`whitelisted`) or closed to deposits.
        event StrategyWhitelistSet(address indexed token, bool whitelisted);
        /// `token`'s deposit cap changed.
        event DepositCapSet(address indexed token, uint256 cap);
        /// The DelegationManager was set.
        event DelegationManagerSet(address indexed delegationManager);
        /// `staker` deposited `amount` of `token` (as received) for `shares`.
        event Deposit(address indexed staker, address indexed token, uint256 amount, uint256 shares);
        /// `shares` of `token` were credited to `staker` by the DelegationManager.
        event SharesAdded(address indexed staker, address indexed token, uint256 shares);
        /// `shares` of `token` were debited from `staker` by the DelegationManager.
        event SharesRemoved(address indexed staker, address indexed token, uint256 shares);
        /// `shares` of `token` were redeemed for `amount` sent to `recipient`.
        event SharesWithdrawn(address indexed recipient, address indexed token, uint256 shares, uint256 amount);
        /// Slashed `shares` of `token` now await payment to `recipient` (burn or
        /// redistribution by `avs`; zero `avs` for burns), in escrow until
        /// `releasableAt` (with the record's earlier shares).
        event SlashedSharesAdded(address indexed token, address indexed recipient, address indexed avs, uint256 shares, uint64 releasableAt);
        /// The owner set the slash escrow to `delay` seconds.
        event SlashEscrowDelaySet(uint64 delay);
        /// The owner named the StrategyManager stakers may migrate to.
        event SuccessorSet(address indexed successor);
        /// The owner named the StrategyManager stake may migrate from.
        event PredecessorSet(address indexed predecessor);
        /// `staker` moved its `shares` of `token`, worth `amount`, to `successor`, where they became `newShares`.
        event StakeMigrated(address indexed staker, address indexed token, address indexed successor, uint256 shares, uint256 amount, uint256 newShares);
        /// Slashed `shares` of `token` from `avs`'s record (zero for burns) were paid out as `amount` to `recipient`.
        event SlashedSharesCleared(address indexed token, address indexed recipient, address indexed avs, uint256 shares, uint256 amount);
    }
}
