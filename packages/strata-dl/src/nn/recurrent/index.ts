// SPDX-License-Identifier: MIT
// Recurrent networks: cells, sequence layers, the functional loop, truncated BPTT, padding.
export { RNNCell, LSTMCell, GRUCell, rnnCell, lstmCell, gruCell } from './cells.js';
export type { CellOptions } from './cells.js';
export { RNN, LSTM, GRU } from './layers.js';
export type { RecurrentOptions, SequenceCallOptions } from './layers.js';
export { recurrent } from './sequence.js';
export type { SequenceOptions, SequenceState, SequenceResult } from './sequence.js';
export type { CellWeights, RecurrentMode } from './gates.js';
export type { CellParameters } from './init.js';
export { detachState, timeChunks } from './bptt.js';
export type { RecurrentState } from './bptt.js';
export { padSequence, sequenceMask } from './padding.js';
