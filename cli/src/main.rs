//! `keel`: deploy, operate, inspect and demo the Keel restaking protocol over
//! JSON-RPC (a local `keel-devnet`, or Arbitrum Sepolia by URL).

mod commands;

use clap::Parser;

#[derive(Parser)]
#[command(name = "keel", version, about = "Deploy, operate and inspect the Keel restaking protocol")]
struct Cli {
    #[command(flatten)]
    connection: commands::Connection,
    #[command(subcommand)]
    command: commands::Command,
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    keel_cli::fmt::set_exact(cli.connection.exact);
    if let Err(error) = cli.command.run(&cli.connection).await {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}
