//! Configuration classes: a validated leadcore config held by a JS object.
//!
//! Each class is loaded once (from an object, JSON text or a preset) and reused across calls;
//! functions that take a config also accept the plain object or text directly.
//! `JSON.stringify(config)` gives the config's JSON (via `toJSON`).

use std::sync::Arc;

use leadcore::input::Config;
use napi::bindgen_prelude::{ClassInstance, Either};
use napi::{Env, Unknown, ValueType};

use crate::conv::config_from_js;
use crate::errors::throw_lead;

/// A JS class that wraps a leadcore config type.
pub trait ConfigClass {
    /// The wrapped config type.
    type Inner: Config;
    /// The shared config.
    fn inner(&self) -> &Arc<Self::Inner>;
}

/// A config argument: an instance of the class, or a plain object / JSON text.
pub type ConfigArg<'a, C> = Either<ClassInstance<'a, C>, Unknown<'a>>;

/// Reads a config argument; `undefined` / `null` / absent means the config's defaults.
pub fn config_arg<C: ConfigClass>(
    env: &Env,
    arg: Option<ConfigArg<'_, C>>,
) -> napi::Result<Arc<C::Inner>> {
    match arg {
        Some(Either::A(instance)) => Ok(Arc::clone(instance.inner())),
        Some(Either::B(v)) if !matches!(v.get_type()?, ValueType::Undefined | ValueType::Null) => {
            Ok(Arc::new(config_from_js(env, &v)?))
        }
        _ => C::Inner::from_value(serde_json::json!({}))
            .map(Arc::new)
            .map_err(|e| throw_lead(env, e)),
    }
}

/// Declares a JS class around a leadcore config type; with `presets`, the class also gets
/// static `preset(name)` and `presetNames()`. `$args` and `$json` are the TypeScript of the
/// constructor's parameter and of `toJSON()`'s result (the generated `<Class>Json` shapes).
macro_rules! config_class {
    ($(#[$doc:meta])* $name:ident, $js_name:literal, $inner:ty, $args:literal, $json:literal $(, $presets:ident)?) => {
        $(#[$doc])*
        #[napi_derive::napi(js_name = $js_name)]
        pub struct $name {
            inner: std::sync::Arc<$inner>,
        }

        impl From<$inner> for $name {
            fn from(inner: $inner) -> Self {
                Self { inner: std::sync::Arc::new(inner) }
            }
        }

        impl $crate::config::ConfigClass for $name {
            type Inner = $inner;
            fn inner(&self) -> &std::sync::Arc<$inner> {
                &self.inner
            }
        }

        #[napi_derive::napi]
        impl $name {
            /// Loads and validates the config from an object or JSON text (none: the defaults).
            #[napi(catch_unwind, constructor, ts_args_type = $args)]
            pub fn new(env: napi::Env, config: Option<napi::Unknown<'_>>) -> napi::Result<Self> {
                let arg = config.map(napi::bindgen_prelude::Either::B);
                Ok(Self { inner: $crate::config::config_arg::<Self>(&env, arg)? })
            }

            /// The config as a plain object (what `JSON.stringify` writes).
            #[napi(catch_unwind, js_name = "toJSON", ts_return_type = $json)]
            pub fn to_json_value(&self) -> serde_json::Value {
                leadcore::input::to_value(self.inner.as_ref())
            }

            /// Whether two configs are equal.
            #[napi(catch_unwind)]
            pub fn equals(&self, other: &$name) -> bool {
                self.inner == other.inner
            }

            $(
            /// A preset leadcore ships, by name.
            #[napi(catch_unwind, factory, ts_args_type = "name: string")]
            pub fn preset(env: napi::Env, name: napi::Unknown<'_>) -> napi::Result<Self> {
                let _ = stringify!($presets);
                let name: String = $crate::conv::from_js(&env, &name, "preset")?;
                let inner = <$inner>::preset(&name).map_err(|e| $crate::errors::throw_lead(&env, e))?;
                Ok(Self { inner: std::sync::Arc::new(inner) })
            }

            /// The names of the presets leadcore ships.
            #[napi(catch_unwind)]
            pub fn preset_names() -> Vec<&'static str> {
                <$inner>::preset_names().to_vec()
            }
            )?
        }
    };
}

pub(crate) use config_class;
