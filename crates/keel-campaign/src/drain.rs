//! The end of an episode: everything unpaused, every withdrawal completed,
//! every staker out, every slashed share paid, every reward claimed. Nothing
//! may be stuck, and the invariants must still hold.

use crate::{actors::*, Campaign};
use alloy_primitives::U256;
use keel_fixtures::{rewards::*, *};

impl Campaign {
    /// Drains the protocol, recording every failure as a violation.
    pub fn drain(&mut self) {
        for contract in 0..PAUSABLE.len() {
            for bit in 0..3 {
                self.unpause(contract, bit);
            }
        }
        self.world.advance(DELAY + 1);
        self.complete_all();
        for (who, staker) in depositors().into_iter().enumerate() {
            let shares = self.world.call(OWNER, SM, &ISM::stakerDepositSharesCall { staker, token: TOKEN }).expect("view");
            if shares.is_zero() {
                continue;
            }
            let before = withdrawable(&self.world, staker);
            let root = if OPERATORS.contains(&staker) || self.delegated_to(staker).is_zero() {
                queue(&self.world, staker, shares)
            } else {
                self.world.call(staker, DM, &IDM::undelegateCall { staker })
            };
            match root {
                Ok(root) => self.record_drained(who, root, before),
                Err(e) => self.check(false, || format!("{staker} could not leave: {e:?}")),
            }
        }
        self.world.advance(DELAY + 1);
        self.complete_all();
        for recipient in RECIPIENTS {
            let _ = self.world.call(CAROL, SM, &ISM::clearSlashedSharesCall { token: TOKEN, recipient });
        }
        self.world.advance(60 * 86_400);
        for earner in 0..depositors().len() {
            for operator in 0..OPERATORS.len() {
                self.claim(earner, operator);
            }
        }
        self.world.clear_logs();
        self.check_invariants();
        let total = self.world.call(OWNER, SM, &ISM::totalSharesCall { token: TOKEN }).expect("view");
        let left = balance(&self.world, SM);
        let dust = U256::from(1_000_000u64);
        self.check(total <= dust && left <= dust, || format!("after everyone left the strategy still has {total} shares and {left} tokens"));
        let unclaimed = reward_balance(&self.world, RC);
        self.check(unclaimed <= dust, || format!("after every claim the coordinator still holds {unclaimed}"));
    }

    fn record_drained(&mut self, who: usize, root: alloy_primitives::B256, before: U256) {
        self.check(!root.is_zero(), || "leaving with shares queued nothing".into());
        self.record_withdrawal(who, root, before);
    }

    fn complete_all(&mut self) {
        while let Some(w) = self.ghost.withdrawals.first().cloned() {
            let staker = depositors()[w.who];
            let pick = self.ghost.withdrawals.iter().filter(|x| x.who == w.who).position(|x| x.root == w.root).unwrap_or(0);
            if !self.complete(w.who, pick, true) {
                self.check(false, || format!("withdrawal {} of {staker} is stuck", w.root));
                self.ghost.withdrawals.retain(|x| x.root != w.root);
            }
        }
    }
}
