'use strict'
// The error classes every leadcore function throws: `LeadcoreError` and one subclass per
// category (the same hierarchy as Python's `leadcore.errors`). Each carries `code` (stable),
// `category`, `path` (JSON path of the field at fault, `$` for none) and `details` (the error's
// facts as a plain object, documented per code in the README).

class LeadcoreError extends Error {
  constructor(message, code, category, path, details) {
    super(message)
    this.code = code
    this.category = category
    this.path = path
    this.details = details ?? {}
  }
}

/** A configuration (pipeline, rules, mapping, policy, model) failed to load or validate. */
class ConfigError extends LeadcoreError {}
/** An argument (lead, event, timestamp, ...) is not valid data. */
class InputError extends LeadcoreError {}
/** A lifecycle move the pipeline does not allow (unknown stage, illegal edge, cooldown...). */
class TransitionError extends LeadcoreError {}
/** A lead cannot be converted into account, contact and opportunity. */
class ConversionError extends LeadcoreError {}
/** A qualification call named a gate the rule set does not have. */
class QualifyError extends LeadcoreError {}
/** A batch of leads cannot be de-duplicated (blank or repeated lead ids). */
class DedupError extends LeadcoreError {}
/** Journeys or paths that cannot be attributed. */
class AttributionError extends LeadcoreError {}
/** Funnel, ROI, forecast or capacity input that cannot be computed. */
class FunnelError extends LeadcoreError {}
/** A pool command, tick or query was refused. */
class PoolError extends LeadcoreError {}
/** Predictive scoring failed: training data, feature columns or a model file. */
class PredictError extends LeadcoreError {}

const BY_CATEGORY = {
  config: ConfigError,
  input: InputError,
  transition: TransitionError,
  conversion: ConversionError,
  qualify: QualifyError,
  dedup: DedupError,
  attribution: AttributionError,
  funnel: FunnelError,
  pool: PoolError,
  predict: PredictError,
}

for (const cls of [LeadcoreError, ...Object.values(BY_CATEGORY)]) {
  Object.defineProperty(cls.prototype, 'name', { value: cls.name, writable: true, configurable: true })
}

// The addon builds every error it throws through this function.
function makeError(category, message, code, path, details) {
  const Cls = BY_CATEGORY[category] ?? LeadcoreError
  const error = new Cls(message, code, category, path, details)
  Error.captureStackTrace(error, makeError) // the stack starts at the leadcore call
  return error
}
require('./index.js').__setErrorFactory(makeError)

module.exports = {
  LeadcoreError,
  ConfigError,
  InputError,
  TransitionError,
  ConversionError,
  QualifyError,
  DedupError,
  AttributionError,
  FunnelError,
  PoolError,
  PredictError,
}
