//! The one digest `assure` pins its inputs by: SHA-256, written `sha256:` and lower-case hex.

use sha2::{Digest, Sha256};

/// `sha256:` and the hex digest of the bytes.
pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}
