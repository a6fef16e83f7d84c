//! Why a frame did not succeed, as geth and nitro report it: a revert keeps
//! the frame's unused gas, every other halt consumes it all.

/// The error a failed frame ends with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Halt {
    /// EVM REVERT, a Stylus program's non-zero status, or a Stylus trap
    /// (nitro's `userFailure`, e.g. a Rust panic's `unreachable`): geth's
    /// `ErrExecutionReverted`; unused gas goes back to the caller.
    Reverted,
    /// Out of gas, or a Stylus program out of ink (nitro's `userOutOfInk`).
    OutOfGas,
    /// Call depth exceeded, or a Stylus program out of stack (nitro's
    /// `userOutOfStack`, which nitro reports as geth's `ErrDepth`).
    Depth,
    /// Another exceptional halt of EVM code (geth's message).
    Exceptional(&'static str),
}

impl Halt {
    /// geth's error message (`eth_call`, `callTracer`'s `error`).
    pub fn message(&self) -> &'static str {
        match self {
            Self::Reverted => "execution reverted",
            Self::OutOfGas => "out of gas",
            Self::Depth => "max call depth exceeded",
            Self::Exceptional(message) => message,
        }
    }

    /// True when the frame's unused gas is returned to its caller.
    pub fn keeps_gas(&self) -> bool {
        *self == Self::Reverted
    }
}

impl std::fmt::Display for Halt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

/// The halt of an EVM frame that ended with revm's `result` (not a success).
pub(crate) fn evm_halt(result: revm_interpreter::InstructionResult) -> Halt {
    use revm_interpreter::InstructionResult as R;
    match result {
        R::Revert => Halt::Reverted,
        R::CallTooDeep => Halt::Depth,
        R::OutOfGas | R::MemoryOOG | R::MemoryLimitOOG | R::PrecompileOOG | R::InvalidOperandOOG | R::ReentrancySentryOOG => Halt::OutOfGas,
        R::OutOfFunds => Halt::Exceptional("insufficient balance for transfer"),
        R::OpcodeNotFound | R::NotActivated => Halt::Exceptional("invalid opcode"),
        R::InvalidFEOpcode => Halt::Exceptional("invalid opcode: INVALID"),
        R::CallNotAllowedInsideStatic | R::StateChangeDuringStaticCall => Halt::Exceptional("write protection"),
        R::InvalidJump => Halt::Exceptional("invalid jump destination"),
        R::StackUnderflow => Halt::Exceptional("stack underflow"),
        R::StackOverflow => Halt::Exceptional("stack limit reached 1024"),
        R::OutOfOffset => Halt::Exceptional("return data out of bounds"),
        R::CreateCollision => Halt::Exceptional("contract address collision"),
        R::NonceOverflow => Halt::Exceptional("nonce uint64 overflow"),
        R::CreateContractSizeLimit => Halt::Exceptional("max code size exceeded"),
        R::CreateContractStartingWithEF => Halt::Exceptional("invalid code: must not begin with 0xef"),
        R::CreateInitCodeSizeLimit => Halt::Exceptional("max initcode size exceeded"),
        _ => Halt::Exceptional("execution halted"),
    }
}
