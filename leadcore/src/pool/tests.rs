//! Unit tests of the pool state machine.
