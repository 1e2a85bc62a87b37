#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| adlint_fuzz::judge_all_packs(data));
