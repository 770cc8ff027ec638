//! Evidence a statement's rules read that the file lacks, ranked by how far it could move
//! the score.

use super::EvidenceGap;
use crate::evidence::Evidence;
use crate::pack::Pack;

/// The gaps of one statement, most potent first.
pub fn gaps(_evidence: &Evidence, _pack: &Pack, _statement: &str) -> Vec<EvidenceGap> {
    Vec::new()
}
