//! Shared fixtures for the criterion benches.

pub mod predict_data;
