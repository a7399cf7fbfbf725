//! Maps every leadcore error to a thrown instance of the package's error classes
//! (`errors.js`: `LeadcoreError` and one subclass per category) with `code`, `category`, `path`
//! and `details`.

use std::cell::RefCell;

use leadcore::Error;
use napi::bindgen_prelude::{FnArgs, Function, FunctionRef, JsObjectValue, Unknown};
use napi::{Env, Status};
use napi_derive::napi;

use crate::conv::Json;

/// What went wrong inside a binding call: a leadcore error, or a failure of the JS engine.
pub enum Failure {
    /// A leadcore error, to throw as a coded `Error`.
    Lead(Error),
    /// An error raised by N-API itself.
    Napi(napi::Error),
}

impl From<napi::Error> for Failure {
    fn from(e: napi::Error) -> Self {
        Failure::Napi(e)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Lead(e)
    }
}

impl Failure {
    /// Locates an input error under the argument `arg`.
    pub fn at(self, arg: &str) -> Self {
        match self {
            Failure::Lead(Error::Input(e)) => Failure::Lead(e.at(arg).into()),
            other => other,
        }
    }

    /// Reports an input error found while converting a config as a config error.
    pub fn into_config(self) -> Self {
        match self {
            Failure::Lead(Error::Input(e)) => Failure::Lead(e.into_config().into()),
            other => other,
        }
    }
}

/// The arguments of `errors.js`'s `makeError`: category, message, code, path, details.
type MakeArgs = FnArgs<(String, String, &'static str, String, Json)>;

thread_local! {
    /// `makeError` of this thread's module instance (each worker thread loads its own).
    static MAKE_ERROR: RefCell<Option<FunctionRef<MakeArgs, Unknown<'static>>>> =
        const { RefCell::new(None) };
}

/// Registers the function that builds error instances (called once by the package entry).
#[napi(js_name = "__setErrorFactory", skip_typescript)]
pub fn set_error_factory(make: Function<'_, MakeArgs, Unknown<'static>>) -> napi::Result<()> {
    let make = make.create_ref()?;
    MAKE_ERROR.with(|slot| *slot.borrow_mut() = Some(make));
    Ok(())
}

/// Throws `failure` as an instance of the error class of its category, and returns the
/// pending-exception marker for the binding to return.
pub fn throw(env: &Env, failure: Failure) -> napi::Error {
    let err = match failure {
        Failure::Napi(e) => return e,
        Failure::Lead(err) => err,
    };
    let path = err.path().into_owned();
    let registered = MAKE_ERROR.with(|slot| -> Option<napi::Result<()>> {
        let slot = slot.borrow();
        let make = slot.as_ref()?;
        Some((|| {
            let obj = make.borrow_back(env)?.call(FnArgs::from((
                err.category().to_string(),
                err.to_string(),
                err.code(),
                path.clone(),
                Json(err.details()),
            )))?;
            env.throw(obj)
        })())
    });
    // Without the package entry (the addon loaded on its own), a plain `Error` with the same
    // properties.
    let outcome = registered.unwrap_or_else(|| {
        let mut obj =
            env.create_error(napi::Error::new(Status::GenericFailure, err.to_string()))?;
        obj.set_named_property("code", err.code())?;
        obj.set_named_property("category", err.category().to_string())?;
        obj.set_named_property("path", path.as_str())?;
        obj.set_named_property("details", Json(err.details()))?;
        env.throw(obj)
    });
    match outcome {
        Ok(()) => napi::Error::new(Status::PendingException, String::new()),
        Err(e) => e,
    }
}

/// Throws a leadcore error (see [`throw`]).
pub fn throw_lead(env: &Env, err: impl Into<Error>) -> napi::Error {
    throw(env, Failure::Lead(err.into()))
}
