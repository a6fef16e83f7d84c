//! `campaign`: runs the invariant campaign and prints what it found.
//!
//! `campaign [ACTIONS] [SEED] [EPISODE]`: ACTIONS actions (default
//! 1,000,000) in episodes of EPISODE (default 500) actions, the first seeded
//! SEED (default 1), each next one by `keel_campaign::next_episode_seed`.
//! Exits 1 if any invariant broke; each violation names its episode seed,
//! which replays alone with `campaign EPISODE SEED EPISODE`.

use std::time::Instant;

fn main() {
    let args: Vec<u64> = std::env::args().skip(1).map(|a| a.replace('_', "").parse().expect("numeric arguments")).collect();
    let actions = args.first().copied().unwrap_or(1_000_000);
    let seed = args.get(1).copied().unwrap_or(1);
    let episode = args.get(2).copied().unwrap_or(500).max(1);
    let started = Instant::now();
    let mut next_print = 0;
    let report = keel_campaign::run(seed, actions, episode, |r| {
        if r.actions >= next_print {
            let rate = r.actions as f64 / started.elapsed().as_secs_f64();
            eprintln!("{:>10} actions, {} violations, {rate:.0} actions/s", r.actions, r.violations.len());
            next_print = r.actions + actions / 20;
        }
    });
    let elapsed = started.elapsed().as_secs_f64();
    for (name, (run, ok)) in &report.by_action {
        println!("{name:>24}: {run:>8} run, {ok:>8} succeeded");
    }
    for v in report.violations.iter().take(20) {
        println!("VIOLATION {v}");
    }
    println!(
        "campaign: {} actions ({} succeeded) in {} episodes from seed {seed}, {} violations, {elapsed:.1} s, {:.0} actions/s",
        report.actions,
        report.succeeded,
        actions.div_ceil(episode),
        report.violations.len(),
        report.actions as f64 / elapsed
    );
    if !report.violations.is_empty() {
        std::process::exit(1);
    }
}
