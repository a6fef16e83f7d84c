//! The node's devnet as its threads share it: one lock for everything that
//! changes it or reads its history, and beside it the [`ReadView`] of the
//! head, which reads take without the lock. Whoever holds the lock keeps
//! the view in step when letting go, so a read that starts after a request
//! was answered sees everything that request did.

use super::devnet::Devnet;
use super::reads::ReadView;
use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock};

/// A [`Devnet`] behind its lock, with its published [`ReadView`].
pub struct Shared {
    devnet: Mutex<Devnet>,
    /// The view of the head; `None` once the state changed, until a read
    /// (or the next holder of the lock) makes the new one.
    view: RwLock<Option<ReadView>>,
}

impl Shared {
    /// Shares `devnet`.
    pub fn new(devnet: Devnet) -> Self {
        Self { devnet: Mutex::new(devnet), view: RwLock::new(None) }
    }

    /// Takes the lock (a panic while it was held does not stop the node).
    pub fn lock(&self) -> DevnetGuard<'_> {
        DevnetGuard { devnet: self.devnet.lock().unwrap_or_else(PoisonError::into_inner), shared: self }
    }

    /// The view of the head, without the lock when it is up to date; else
    /// made under the lock (one copy of the state per change, shared by
    /// every read until the next change).
    pub fn read_view(&self) -> ReadView {
        if let Some(view) = self.view.read().unwrap_or_else(PoisonError::into_inner).as_ref() {
            return view.clone();
        }
        let mut devnet = self.lock();
        let view = devnet.read_view();
        *self.view.write().unwrap_or_else(PoisonError::into_inner) = Some(view.clone());
        view
    }
}

/// The devnet while its lock is held; publishes the view on release.
pub struct DevnetGuard<'a> {
    devnet: MutexGuard<'a, Devnet>,
    shared: &'a Shared,
}

impl Deref for DevnetGuard<'_> {
    type Target = Devnet;

    fn deref(&self) -> &Devnet {
        &self.devnet
    }
}

impl DerefMut for DevnetGuard<'_> {
    fn deref_mut(&mut self) -> &mut Devnet {
        &mut self.devnet
    }
}

impl Drop for DevnetGuard<'_> {
    /// Before the lock is released: the view of the head as it is now if
    /// it needs no copy of the state, else none (the next read makes it).
    fn drop(&mut self) {
        let view = self.devnet.current_read_view();
        *self.shared.view.write().unwrap_or_else(PoisonError::into_inner) = view;
    }
}
