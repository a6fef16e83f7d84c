//! Errors and events of the RewardsCoordinator.

use alloy_sol_types::sol;

sol! {
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
    /// `avs` submitted `amount` of `token` for `operator`'s `strategy` pool, streamed from `start` over `duration` seconds (0: at once).
    event RewardsSubmitted(address indexed avs, address indexed operator, address indexed strategy, address token, uint256 amount, uint256 start, uint256 duration);
    /// `operator`'s commission becomes `bps` at `effectiveAt`.
    event CommissionSet(address indexed operator, uint256 bps, uint256 effectiveAt);
    /// `earner` lets `claimer` claim its rewards (zero: nobody else).
    event ClaimerSet(address indexed earner, address indexed claimer);
    /// `staker`'s scaled shares in `operator`'s `strategy` pool became `scaled` (pool total `total`).
    event StakeUpdated(address indexed staker, address indexed operator, address indexed strategy, uint256 scaled, uint256 total);
    /// `earner` was credited `amountWad` (reward wei × 1e18) of `token` from `operator`'s `strategy` pool.
    event RewardsAccrued(address indexed earner, address indexed operator, address indexed strategy, address token, uint256 amountWad);
    /// The `token` stream of `operator`'s `strategy` pool was settled up to `settledTo`.
    event StreamSettled(address indexed operator, address indexed strategy, address indexed token, uint256 settledTo, uint256 accumulator);
    /// `earner`'s `amount` of `token` was paid to `recipient`.
    event RewardsClaimed(address indexed earner, address indexed token, address indexed recipient, uint256 amount);
}
