//! Errors and events of the LRT vault.

pub use keel_components::allowances::{Approval, InsufficientAllowance, InvalidPermitSignature, PermitExpired};

keel_components::abi_items! {
    /// Errors and events of the LRT vault and its extension.
    LrtVaultAbi {
        /// An amount of zero (assets, shares or request).
        error ZeroAmount();
        /// The deposit would take the vault's assets above its cap.
        error DepositCapExceeded(uint256 cap, uint256 wanted);
        /// The operation gives `got`, outside the caller's bound `bound`.
        error Slippage(uint256 got, uint256 bound);
        /// `from` holds `have` LRT, less than the `want` being moved.
        error InsufficientBalance(address from, uint256 have, uint256 want);
        /// The caller is not the request's controller.
        error NotController(address caller, address controller);
        /// The request cannot be claimed (unknown, already claimed, or claimable from `claimableAt`).
        error RequestNotClaimable(uint256 requestId, uint256 claimableAt);
        /// The idle buffer holds `available`, less than the `wanted` payout.
        error BufferInsufficient(uint256 available, uint256 wanted);
        /// Today's instant redemptions would exceed the daily limit (`remaining` left).
        error DailyLimitExceeded(uint256 remaining, uint256 wanted);
        /// A fee above its cap (`cap` basis points) was requested.
        error FeeAboveCap(uint256 bps, uint256 cap);
        /// A reward vesting period above the cap (`cap` seconds).
        error VestingTooLong(uint256 period, uint256 cap);
        /// The previous operator change is still in the withdrawal queue.
        error MigrationPending(bytes32 root);
        /// `operator` undelegated the vault; the manager must adopt the withdrawal first.
        error ForcedUndelegation(address operator);
        /// The withdrawal is not the vault's own undelegation.
        error NotAdoptable(bytes32 root);
        /// No operator change is waiting in the withdrawal queue.
        error NoMigration();
        /// A name or symbol longer than 31 bytes.
        error NameTooLong();
        /// A token transfer failed.
        error TransferFailed();
        /// The admin extension was called other than by its vault's delegatecall.
        error NotViaVault();
        /// Instant redemptions are held until `until`: a slash request against the vault's operator may still execute.
        error SlashRequestPending(uint256 until);
        /// Slash request `slashId` is not pending (and executable later) against the vault's operator or the old operator of its change in the queue.
        error NotHoldable(uint256 slashId);
        /// Rewards in `token` (not the asset) were claimed but no reward recipient is set.
        error NoRewardRecipient(address token);
        /// The DelegationManager has no RewardsCoordinator to claim from.
        error NoRewardsCoordinator();
        /// `previewRedeem` and `previewWithdraw` revert: redemptions are asynchronous (ERC-7540).
        error AsyncRedemption();
        /// A request's LRT or value does not fit its 128-bit record.
        error RequestTooLarge(uint256 shares, uint256 assets);

        /// ERC-20 transfer.
        event Transfer(address indexed from, address indexed to, uint256 value);
        /// ERC-4626 deposit (also emitted by `mint`).
        event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
        /// ERC-7540 redemption request: `shares` burned, worth `assets` at the request.
        event RedeemRequest(address indexed controller, address indexed owner, uint256 indexed requestId, address sender, uint256 shares, uint256 assets);
        /// Request `requestId` paid `assets` to `receiver` (the lower of its value at request and at claim).
        event RedeemClaimed(address indexed controller, address indexed receiver, uint256 indexed requestId, uint256 assets);
        /// ERC-4626 claim of `controller`'s (`owner`'s) requests by `sender`: `shares` LRT (burned at the requests) paid `assets` to `receiver`.
        event Withdraw(address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares);
        /// ERC-7540: `controller` approved (or revoked) `operator`.
        event OperatorSet(address indexed controller, address indexed operator, bool approved);
        /// Instant redemption from the idle buffer: `shares` burned, `assets` paid, `fee` kept by the vault.
        event InstantRedeem(address indexed owner, address indexed receiver, uint256 shares, uint256 assets, uint256 fee);
        /// The rate (assets per 1e18 LRT) changed.
        event RateUpdated(uint256 rate);
        /// `shares` LRT minted to the treasury as performance fee; `highWaterMark` is the rate after it.
        event FeeMinted(address indexed treasury, uint256 shares, uint256 highWaterMark);
        /// Idle assets deposited into the strategy.
        event Restaked(uint256 assets, uint256 strategyShares);
        /// The vault's stake moved to `operator` (zero: undelegated); the old stake is queued under `root`.
        event OperatorChanged(address indexed operator, bytes32 root);
        /// The operator change queued under `root` completed; its shares are restaked.
        event MigrationCompleted(bytes32 indexed root);
        /// The manager role moved to `manager`.
        event ManagerSet(address indexed manager);
        /// The treasury receiving performance fees changed.
        event TreasurySet(address indexed treasury);
        /// Fees changed (basis points).
        event FeesSet(uint256 performanceBps, uint256 instantBps);
        /// Limits changed: deposit cap (assets), instant redemptions per day (assets), reward vesting period (seconds).
        event LimitsSet(uint256 depositCap, uint256 dailyInstantLimit, uint256 vestingPeriod);
        /// The idle buffer target changed.
        event BufferTargetSet(uint256 target);
        /// Slash request `slashId` against the vault's stake holds instant redemptions until `until` (its expiry).
        event InstantRedemptionsHeld(uint256 indexed slashId, uint256 until);
        /// `amount` of reward `token` claimed from the RewardsCoordinator went to
        /// `recipient`: the vault itself (the asset, booked as a vesting gain) or the reward recipient.
        event RewardsHarvested(address indexed token, address indexed recipient, uint256 amount);
        /// The recipient of rewards in tokens other than the asset changed.
        event RewardRecipientSet(address indexed recipient);
    }
}
