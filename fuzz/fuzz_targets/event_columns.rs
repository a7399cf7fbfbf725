#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| leadcore_fuzz::event_columns(data));
