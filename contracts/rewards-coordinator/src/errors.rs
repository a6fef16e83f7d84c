//! Errors and events of the RewardsCoordinator.

keel_components::abi_items! {
    /// Errors and events of the RewardsCoordinator.
    RewardsCoordinatorAbi {
        /// `token` is not a whitelisted reward token.
        error RewardTokenNotWhitelisted(address token);
        /// `operator` is not registered with the DelegationManager.
        error OperatorNotRegistered(address operator);
        /// A submission or payout of zero.
        error ZeroAmount();
        /// A submission's total exceeds the largest amount the accounting takes.
        error AmountTooLarge(uint256 amount, uint256 max);
        /// A stream longer than the maximum.
        error DurationTooLong(uint256 duration, uint256 max);
        /// A stream starting before now (past time cannot be paid without a trusted record of past stake).
        error StartInPast(uint256 start, uint256 now);
        /// A stream starting later than now plus the maximum lead time.
        error StartTooFar(uint256 start, uint256 latest);
        /// A stream's start or duration is not a multiple of the epoch.
        error MisalignedEpoch(uint256 start, uint256 duration, uint256 epoch);
        /// A commission above 100 %.
        error CommissionAboveMax(uint256 bps, uint256 max);
        /// A stream shorter than the minimum (a payment at once is spread over it).
        error DurationTooShort(uint256 duration, uint256 min);
        /// `operator` has not accepted `token` as a reward token of its pools, so no one can add it to one.
        error RewardTokenNotAccepted(address operator, address token);
        /// No live stream `id` with these terms (never created, or already stopped).
        error UnknownStream(uint256 id);
        /// Stream `id` ended at `end`: nothing is left to stop.
        error StreamEnded(uint256 id, uint256 end);
        /// `caller` is not the AVS that pays stream `id`, and the stream's pool is still worth something.
        error StreamNotStoppable(uint256 id, address caller);
        /// The pool already carries the maximum number of reward tokens.
        error TooManyRewardTokens(address operator, address strategy, uint256 max);
        /// Nothing to pay to `earner` in the requested tokens.
        error NothingToClaim(address earner);
        /// `caller` is neither `earner` nor its claimer.
        error NotClaimer(address caller, address earner);
        /// Only the DelegationManager reports stake changes.
        error UnauthorizedHookCaller(address caller);
        /// Array arguments of different lengths, or empty.
        error InputLengthMismatch();
        /// The reward token could not be moved.
        error TokenTransferFailed(address token);

        /// The owner whitelisted (or delisted) a reward token.
        event RewardTokenSet(address indexed token, bool whitelisted);
        /// `avs` submitted `amount` (booked units: 1e6 per wei until the token rebases) of `token` for `operator`'s `strategy` pool as stream `id`, paying `rate` (wad per second) from `start` to `end`.
        event RewardsSubmitted(address indexed avs, address indexed operator, address indexed strategy, address token, uint256 amount, uint256 id, uint256 rate, uint256 start, uint256 end);
        /// `operator` accepts (or no longer accepts) `token` as a new reward token of its pools.
        event RewardTokenAccepted(address indexed operator, address indexed token, bool accepted);
        /// Stream `id` was stopped by `caller`; its unstreamed remainder, `refund` tokens, went back to `avs`.
        event StreamStopped(uint256 indexed id, address indexed avs, address indexed caller, uint256 refund);
        /// `operator`'s commission becomes `bps` at `effectiveAt`.
        event CommissionSet(address indexed operator, uint256 bps, uint256 effectiveAt);
        /// `earner` lets `claimer` claim its rewards (zero: nobody else).
        event ClaimerSet(address indexed earner, address indexed claimer);
        /// `earner` was credited `amountWad` (reward wei × 1e18) of `token` from `operator`'s `strategy` pool.
        event RewardsAccrued(address indexed earner, address indexed operator, address indexed strategy, address token, uint256 amountWad);
        /// The `token` stream of `operator`'s `strategy` pool was settled up to `settledTo`.
        event StreamSettled(address indexed operator, address indexed strategy, address indexed token, uint256 settledTo, uint256 accumulator);
        /// `earner`'s `amount` of `token` was paid to `recipient`.
        event RewardsClaimed(address indexed earner, address indexed token, address indexed recipient, uint256 amount);
    }
}
