//! The WebAssembly interface of the playground (docs/playground.md): a C ABI of four
//! functions exchanging UTF-8 JSON text through the module's memory, wrapped by
//! `web/src/adlint.ts`. No wasm-bindgen: the build needs only rustc and its linker.
//!
//! The page calls `adlint_alloc(n)`, writes n bytes of request there, calls
//! `adlint_check(ptr, n)` (which takes the buffer back) and reads the answer from
//! `adlint_result_ptr()`, `adlint_result_len()` bytes long; it stays valid until the
//! next call. Every entry returns normally whatever the bytes: the engine's panics would
//! abort the module, so none is reachable (tests/playground.rs).

// The C ABI the page calls: exported names (`no_mangle`) and buffers handed over as raw
// pointers are unsafe by nature; nowhere else in the library is unsafe allowed.
#![allow(unsafe_code)]

use crate::Engine;
use std::cell::RefCell;
use std::sync::OnceLock;

thread_local! {
    /// The last answer, read by the page through `adlint_result_ptr`/`_len`.
    static RESULT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The rules, compiled once on the first call (the embedded packs).
fn engine() -> Result<&'static Engine, String> {
    static ENGINE: OnceLock<Result<Engine, String>> = OnceLock::new();
    ENGINE
        .get_or_init(|| Engine::new(&Default::default()).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(Clone::clone)
}

fn answer(text: String) -> usize {
    RESULT.with(|r| {
        let mut r = r.borrow_mut();
        *r = text.into_bytes();
        r.len()
    })
}

/// Memory for a request of `len` bytes; null when `len` is 0 or cannot be had.
#[unsafe(no_mangle)]
pub extern "C" fn adlint_alloc(len: usize) -> *mut u8 {
    if len == 0 {
        return std::ptr::null_mut();
    }
    let mut buf: Vec<u8> = Vec::new();
    if buf.try_reserve_exact(len).is_err() {
        return std::ptr::null_mut();
    }
    buf.resize(len, 0);
    let mut buf = std::mem::ManuallyDrop::new(buf.into_boxed_slice());
    buf.as_mut_ptr()
}

/// Frees memory from [`adlint_alloc`] that was not passed to [`adlint_check`].
///
/// # Safety
/// `ptr` and `len` must come from one call of [`adlint_alloc`], freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn adlint_free(ptr: *mut u8, len: usize) {
    if !ptr.is_null() && len > 0 {
        // SAFETY: the caller passes back what adlint_alloc gave out.
        drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)) });
    }
}

/// Takes the request in `ptr..ptr+len` (from [`adlint_alloc`], freed here), checks
/// the post and returns the length of the answer.
///
/// # Safety
/// `ptr` and `len` must come from one call of [`adlint_alloc`] (or be null and 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn adlint_check(ptr: *mut u8, len: usize) -> usize {
    let bytes: Box<[u8]> = if ptr.is_null() || len == 0 {
        Box::default()
    } else {
        // SAFETY: the caller passes back what adlint_alloc gave out.
        unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)) }
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(request) => match engine() {
            Ok(engine) => crate::playground::check_json(engine, request),
            Err(e) => crate::playground::failure(e),
        },
        Err(e) => crate::playground::failure(format!("the request is not UTF-8: {e}")),
    };
    answer(text)
}

/// The version, the markets and the languages; returns the length of the answer.
#[unsafe(no_mangle)]
pub extern "C" fn adlint_info() -> usize {
    let text = match engine() {
        Ok(engine) => crate::playground::info_json(engine),
        Err(e) => crate::playground::failure(e),
    };
    answer(text)
}

/// Where the last answer is.
#[unsafe(no_mangle)]
pub extern "C" fn adlint_result_ptr() -> *const u8 {
    RESULT.with(|r| r.borrow().as_ptr())
}

/// How long the last answer is.
#[unsafe(no_mangle)]
pub extern "C" fn adlint_result_len() -> usize {
    RESULT.with(|r| r.borrow().len())
}
