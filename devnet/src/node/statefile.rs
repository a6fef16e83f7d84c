//! `--state FILE`: the chain saved as JSON on shutdown and loaded at start.

use super::devnet::Persisted;
use std::io::{Error, ErrorKind};
use std::path::Path;

/// The state saved at `path`, or `None` if the file does not exist.
pub fn load(path: &Path) -> std::io::Result<Option<Persisted>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| Error::new(ErrorKind::InvalidData, format!("{} is not a devnet state file: {e}", path.display())))
}

/// Writes `state` to `path` atomically (temporary file, then rename).
pub fn save(path: &Path, state: &Persisted) -> std::io::Result<()> {
    let json = serde_json::to_vec(state).map_err(|e| Error::new(ErrorKind::InvalidData, e))?;
    let temporary = path.with_extension("tmp");
    std::fs::write(&temporary, json)?;
    std::fs::rename(&temporary, path)
}
