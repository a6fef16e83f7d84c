//! Operators' allocation delays (issue 18 R-b) and the escape property: a
//! staker who queues a withdrawal when an operator announces a new
//! allocation delay has left before any allocation made under that delay
//! is slashable.

use crate::{actors::OPERATORS, Campaign};
use alloy_primitives::Address;
use keel_avs_registry::errors::{AllocationDelaySet, AllocationUpdated};
use keel_fixtures::{registry::*, TOKEN};

/// An allocation delay as the campaign saw it announced.
#[derive(Clone, Copy, Debug)]
pub struct AnnouncedDelay {
    /// The delay (seconds).
    pub delay: u64,
    /// When a staker who queued at the announcement can complete: the
    /// announcement plus the withdrawal delay then in force.
    pub leaver_gone_at: u64,
    /// When it takes effect.
    pub effective_at: u64,
}

/// One operator's allocation delay: the one in effect and a pending change.
#[derive(Clone, Copy, Debug, Default)]
pub struct DelayRecord {
    /// The delay in effect, if any.
    pub current: Option<AnnouncedDelay>,
    /// A change waiting to take effect.
    pub pending: Option<AnnouncedDelay>,
}

impl DelayRecord {
    /// The delay in effect at `now`.
    pub fn at(&self, now: u64) -> Option<AnnouncedDelay> {
        match self.pending {
            Some(p) if now >= p.effective_at => Some(p),
            _ => self.current,
        }
    }
}

impl Campaign {
    /// Records the allocation delays the setup announced (the episode's
    /// first withdrawal delay was in force then).
    pub(crate) fn note_setup_delays(&mut self) {
        for e in self.world.events::<AllocationDelaySet>(REGISTRY) {
            let announced = e.effectiveAt - CONFIG_DELAY;
            let announced =
                AnnouncedDelay { delay: e.delay, leaver_gone_at: announced + self.ghost.withdrawal_delay, effective_at: e.effectiveAt };
            self.ghost.allocation_delays.insert(e.operator, DelayRecord { current: None, pending: Some(announced) });
        }
    }

    /// An operator announces a new allocation delay. It must take effect
    /// after the configuration delay, and no sooner than a staker who
    /// queues now can complete.
    pub(crate) fn set_allocation_delay(&mut self, operator: usize, delay: u64) -> bool {
        let operator = OPERATORS[operator];
        if self.act(operator, &IReg::setAllocationDelayCall { delay }).is_err() {
            return false;
        }
        let now = self.world.timestamp();
        let effective_at = self.world.events::<AllocationDelaySet>(REGISTRY).pop().map_or(0, |e| e.effectiveAt);
        let leaver_gone_at = now + self.ghost.withdrawal_delay;
        self.check(effective_at == now + CONFIG_DELAY, || {
            format!("an allocation delay takes effect at {effective_at}, not after the configuration delay")
        });
        self.check(effective_at >= leaver_gone_at, || {
            format!("an allocation delay of {delay} takes effect at {effective_at}, before a staker who queued at its announcement leaves ({leaver_gone_at})")
        });
        let record = self.ghost.allocation_delays.entry(operator).or_default();
        *record = DelayRecord { current: record.at(now), pending: Some(AnnouncedDelay { delay, leaver_gone_at, effective_at }) };
        true
    }

    /// `operator` sets its token allocation to (`avs`, `set_id`) to
    /// `magnitude`; an increase must wait the delay the campaign saw in
    /// effect, and be slashable no sooner than a staker who queued when that
    /// delay was announced has left. Returns whether it went through.
    pub(crate) fn allocate_checked(&mut self, operator: Address, avs: Address, set_id: u64, magnitude: u64) -> bool {
        let (current, _, _) = allocation(&self.world, operator, avs, set_id);
        let call = IReg::modifyAllocationsCall { avs, setId: set_id, strategies: vec![TOKEN], magnitudes: vec![magnitude] };
        if self.act(operator, &call).is_err() {
            return false;
        }
        if magnitude <= current {
            return true;
        }
        let now = self.world.timestamp();
        let announced = self.ghost.allocation_delays.get(&operator).and_then(|r| r.at(now));
        let view = self.world.call(operator, REGISTRY, &IReg::allocationDelayCall { operator }).expect("view");
        let in_effect = view._0.then_some(view._1);
        self.check(announced.map(|a| a.delay) == in_effect, || {
            format!("allocation delay {in_effect:?} of {operator}, the campaign saw {announced:?}")
        });
        let updated = self
            .world
            .events::<AllocationUpdated>(REGISTRY)
            .into_iter()
            .rfind(|e| e.operator == operator && e.strategy == TOKEN && e.avs == avs);
        let slashable_at = updated.map_or(0, |e| e.effectiveAt);
        if let Some(a) = announced {
            self.check(slashable_at == now + a.delay, || {
                format!("an increase slashable at {slashable_at}, not after the delay {}", a.delay)
            });
            self.check(slashable_at >= a.leaver_gone_at, || {
                format!(
                    "an increase slashable at {slashable_at}, before a staker who queued at its delay's announcement leaves ({})",
                    a.leaver_gone_at
                )
            });
        }
        true
    }
}
