//! Storage slots written per operation, bounded at today's figures and
//! printed as a table (each slot is an SSTORE on chain).

use keel_testhost::World;

/// A table of operations and the slots each wrote.
pub struct SlotCosts<'w> {
    world: &'w World,
    rows: Vec<String>,
}

impl<'w> SlotCosts<'w> {
    /// An empty table over `world`.
    pub fn new(world: &'w World) -> Self {
        Self { world, rows: Vec::new() }
    }

    /// Runs `run` (one transaction) and fails if it wrote more than `bound` slots.
    pub fn measure(&mut self, name: &str, bound: usize, run: impl FnOnce()) {
        run();
        let written = self.world.slots_written();
        self.rows.push(format!("{name:<44} {written:>3} (bound {bound})"));
        assert!(written <= bound, "{name} wrote {written} slots");
    }

    /// Prints the table under `title`.
    pub fn print(&self, title: &str) {
        println!("{title}:\n{}", self.rows.join("\n"));
    }
}
