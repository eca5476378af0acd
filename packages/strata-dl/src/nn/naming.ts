// SPDX-License-Identifier: MIT
/**
 * State-dict keys follow PyTorch's spelling: a field `runningMean` is stored as `running_mean`, so
 * a PyTorch module with the same structure and field names loads unchanged.
 */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
