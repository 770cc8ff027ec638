//! Comparing assessments: one pack against another on the same evidence (`assure diff`), and
//! a pack's proposals against the scores CQC published (`assure calibrate`).

pub mod calibration;
pub mod diff;
