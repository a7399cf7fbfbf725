//! `binary_states`: the binary forms of the predictive model and the attribution and funnel
//! accumulators (first byte picks one); each that loads must round-trip bit for bit.

use leadcore::attribution::AttributionAccumulator;
use leadcore::funnel::FunnelAccumulator;
use leadcore::predict::PredictiveModel;
use leadcore::predict::model::BINARY_MAGIC;
use leadcore::rng::fnv1a;

/// Loads one binary state; the model's payload gets a valid header so the fuzzer reaches the
/// decoder past the checksum (the raw bytes are tried too).
pub fn binary_states(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    match pick % 3 {
        0 => {
            let _ = PredictiveModel::from_bytes(rest);
            if let Ok(model) = PredictiveModel::from_bytes(&with_header(rest)) {
                let bytes = model.to_bytes().expect("a loaded model writes");
                let again = PredictiveModel::from_bytes(&bytes).map(|m| m.to_bytes());
                assert_eq!(
                    again.ok().and_then(Result::ok),
                    Some(bytes),
                    "model bytes round trip"
                );
            }
        }
        1 => {
            if let Ok(acc) = AttributionAccumulator::from_bytes(rest) {
                let bytes = acc.to_bytes().expect("a loaded state writes");
                let again = AttributionAccumulator::from_bytes(&bytes).map(|a| a.to_bytes());
                assert_eq!(
                    again.ok().and_then(Result::ok),
                    Some(bytes),
                    "attribution state bytes round trip"
                );
                let _ = acc.finish();
            }
        }
        _ => {
            if let Ok(acc) = FunnelAccumulator::from_bytes(rest) {
                let bytes = acc.to_bytes().expect("a loaded state writes");
                let again = FunnelAccumulator::from_bytes(&bytes).map(|a| a.to_bytes());
                assert_eq!(
                    again.ok().and_then(Result::ok),
                    Some(bytes),
                    "funnel state bytes round trip"
                );
                let _ = acc.finish();
            }
        }
    }
}

/// `payload` behind the model file header: magic, format version, checksum.
fn with_header(payload: &[u8]) -> Vec<u8> {
    let mut out = BINARY_MAGIC.to_vec();
    out.extend_from_slice(&leadcore::predict::FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&fnv1a(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}
