#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| leadcore_fuzz::table_views(data));
