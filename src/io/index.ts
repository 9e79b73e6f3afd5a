/**
 * Checkpoint I/O as bytes (browser-safe): the safetensors format and Novelist checkpoints on top of it.
 * Node-only file helpers are in `./node-files.js`, deliberately not re-exported here.
 */
export {
  CHECKPOINT_FORMAT_VERSION,
  type Checkpoint,
  type DecodeCheckpointOptions,
  decodeCheckpoint,
  encodeCheckpoint,
  encodeCheckpointAsync,
  type ParamSpecs,
  paramSpecs,
  type TensorSpec,
} from "./checkpoint.js";
export {
  DTYPE_SIZES,
  decodeSafetensors,
  encodeSafetensors,
  MAX_HEADER_BYTES,
  type NumericArray,
  type SafetensorsDType,
  type SafetensorsFile,
  type Tensor,
  tensorFromTypedArray,
  tensorValues,
} from "./safetensors.js";
