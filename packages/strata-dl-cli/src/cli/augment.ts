// SPDX-License-Identifier: MIT
// `--augment shift,flip`: random training-time transformations of the raw images (before
// normalization, so the pixels shifted in are the background's 0).
import * as st from 'strata-dl';

/** The augmentations by name: shifts of up to 2 pixels, left-right mirroring, rotations of up to 10°. */
const AUGMENTATIONS: Record<string, () => st.data.Transform> = {
  shift: () => st.data.randomShift(2),
  flip: () => st.data.randomHorizontalFlip(0.5),
  rotate: () => st.data.randomRotation(10),
};

/** Parses a comma-separated list ('none' or '' for no augmentation); null when there is none. */
export function parseAugment(spec: string): st.data.Transform | null {
  const names = spec.split(',').map((s) => s.trim()).filter((s) => s.length > 0 && s !== 'none');
  const unknown = names.filter((n) => !(n in AUGMENTATIONS));
  if (unknown.length) throw new st.StrataError('augment', `unknown augmentation${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')}; choose from ${Object.keys(AUGMENTATIONS).join(', ')} or none`);
  return names.length ? st.data.compose(...names.map((n) => AUGMENTATIONS[n]())) : null;
}

/** Default per dataset: mirroring suits clothes and objects, not digits. */
export function defaultAugment(dataset: string): string {
  return dataset === 'mnist' ? 'shift' : 'shift,flip';
}
