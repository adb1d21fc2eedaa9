//! (ssr) Passwords and tokens. Passwords are hashed with argon2id off the async
//! runtime; session and reset tokens are random and stored only as SHA-256 hashes.
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Hashes at once at most one password per core, process-wide: each takes 19 MiB
/// and a core for a moment, so a burst of sign-ups, logins or resets waits its
/// turn instead of taking the memory and the processors of everyone else.
static HASHING: std::sync::LazyLock<std::sync::Arc<tokio::sync::Semaphore>> =
    std::sync::LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        std::sync::Arc::new(tokio::sync::Semaphore::new(cores))
    });

/// Runs password work off the async runtime, under `HASHING`. The turn is held
/// by the work itself, so a request that goes away meanwhile does not free it
/// while the hash still runs.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let turn = HASHING.clone().acquire_owned().await.ok()?;
    tokio::task::spawn_blocking(move || {
        let done = work();
        drop(turn);
        done
    })
    .await
    .ok()
}

pub async fn hash_password(password: String) -> String {
    bounded(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .expect("argon2 hashing cannot fail with default parameters")
            .to_string()
    })
    .await
    .expect("hashing task")
}

/// Checks a password. With no stored hash it still does the work, so a wrong
/// email takes as long as a wrong password.
pub async fn verify_password(password: String, stored: Option<String>) -> bool {
    bounded(move || {
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_string());
        match PasswordHash::new(&stored) {
            Ok(parsed) => Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        }
    })
    .await
    .unwrap_or(false)
}

/// Hash of a password nobody knows, with the default parameters.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2Ol5CeUM1SjqFq0Ik7h0jMBH+2SPWT8vGK0wNRx5hzU";

/// A new random token for a cookie or a link.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}
