//! Shared fixtures for the criterion benches.

pub mod scoring_data;
