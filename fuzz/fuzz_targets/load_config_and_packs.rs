#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| adlint_fuzz::load_config_and_packs(data));
