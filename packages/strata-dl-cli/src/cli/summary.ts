// SPDX-License-Identifier: MIT
import * as st from 'strata-dl';

/** `strata summary <model>`: layers, output shapes and parameter counts of a zoo model. */
export function summaryCommand(name: string, input: string): st.nn.ModelSummary {
  const shape = input.split(',').map(Number);
  if (shape.length !== 3 || shape.some((d) => !Number.isInteger(d) || d <= 0)) throw new st.StrataError('summary', `--input must be C,H,W, got '${input}'`);
  const model = st.models.createModel(name, { inputShape: [shape[0], shape[1], shape[2]] });
  return model.summary(shape);
}
