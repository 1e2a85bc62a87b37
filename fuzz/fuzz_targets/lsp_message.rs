#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| adlint_fuzz::lsp_message(data));
