//! Maps every leadcore error to a thrown JS `Error` with `code`, `path` and `category`.

use leadcore::Error;
use napi::bindgen_prelude::JsObjectValue;
use napi::{Env, Status};

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

/// Throws `failure` as a JS `Error` whose `code` is leadcore's stable code, and returns the
/// pending-exception marker for the binding to return.
pub fn throw(env: &Env, failure: Failure) -> napi::Error {
    let err = match failure {
        Failure::Napi(e) => return e,
        Failure::Lead(err) => err,
    };
    let build = || -> napi::Result<()> {
        let mut obj =
            env.create_error(napi::Error::new(Status::GenericFailure, err.to_string()))?;
        obj.set_named_property("code", err.code())?;
        obj.set_named_property("category", err.category().to_string())?;
        obj.set_named_property("path", err.path())?;
        env.throw(obj)
    };
    match build() {
        Ok(()) => napi::Error::new(Status::PendingException, String::new()),
        Err(e) => e,
    }
}

/// Throws a leadcore error (see [`throw`]).
pub fn throw_lead(env: &Env, err: impl Into<Error>) -> napi::Error {
    throw(env, Failure::Lead(err.into()))
}
