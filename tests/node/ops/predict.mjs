// Vector ops for the `predict` area: each op is one call of the public Node API.
import { leadcore as lc } from '../support.mjs'

// The vectors write binary model files as hex; Node callers hold Buffers.
const hex = (text) => (typeof text === 'string' ? Buffer.from(text, 'hex') : text)

export const OPS = {
  predict_build_training_set: (c, i) => lc.buildTrainingSet(c, i.leads, i.events, i.labels, { threads: 1 }),
  predict_train: (c, i) => lc.train(c, i.leads, i.events, i.labels, i.trained_at, { threads: 2 }).toJSON(),
  predict_cross_validate: (c, i) => lc.crossValidate(c, i.leads, i.events, i.labels, i.folds, { threads: 2 }),
  predict_score: (c, i) => new lc.PredictiveModel(c).score(i.leads, i.events, i.now, { threads: 2 }),
  predict_load_model: (c) => new lc.PredictiveModel(c).toJSON(),
  predict_load_model_bytes: (c, i) => lc.PredictiveModel.fromBytes(hex(i.hex)).toJSON(),
  predict_evaluate: (c, i) => lc.evaluate(i.tiers, i.scores, i.labels),
}
