// SPDX-License-Identifier: MIT
// Adadelta, Adamax, NAdam and RAdam against PyTorch 1.13: the parameters after a number of steps on
// f(θ) = Σ (θᵢ³/3 + θᵢ) from θ = [1.5, −2, 0.25] in float64, as torch.optim gives them for the same
// settings (printed by torch.optim, 8 steps; RAdam 12, past the step where its rectification
// starts), and a state-dict round trip mid-run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as st from 'strata-dl';

const { optim } = st;
type Resumable = { zeroGrad(): void; step(): void; stateDict(): st.optim.OptimizerStateDict; loadStateDict(s: st.optim.OptimizerStateDict): void };
type Make = (ps: st.Tensor[]) => Resumable;
function run(make: Make, steps: number, resumeAt = -1): number[] {
  const p = st.tensor([1.5, -2, 0.25], { dtype: 'float64', backend: 'js', requiresGrad: true });
  let opt = make([p]);
  for (let i = 0; i < steps; i++) {
    if (i === resumeAt) {
      // a fresh optimizer on the same parameter, from the old one's state dict
      const saved = opt.stateDict();
      opt = make([p]);
      opt.loadStateDict(saved);
    }
    opt.zeroGrad();
    p.pow(3).div(3).add(p).sum().backward();
    opt.step();
  }
  return [...p.dataSync()];
}
const close = (got: number[], want: number[], what: string): void => {
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) < 1e-12, `${what}, element ${i}: ${g} against PyTorch's ${want[i]}`));
};

const CASES: [string, Make, number, number[]][] = [
  ['Adadelta', (ps) => new optim.Adadelta(ps), 8, [1.4734367148262497, -2.0269153625905014, 0.22334165441168635]],
  ['Adadelta lr 0.5 rho 0.8 wd 0.1', (ps) => new optim.Adadelta(ps, { lr: 0.5, rho: 0.8, weightDecay: 0.1 }), 8, [1.4899637882044716, -2.010081920329275, 0.23995413196984644]],
  ['Adamax', (ps) => new optim.Adamax(ps, { lr: 0.05 }), 8, [1.1316719387758443, -2.3788721903471335, -0.1400378017076065]],
  ['Adamax wd', (ps) => new optim.Adamax(ps, { lr: 0.05, beta1: 0.8, beta2: 0.99, weightDecay: 0.1 }), 8, [1.1239370158623367, -2.3815804809512087, -0.14770406948319204]],
  // NAdam's from PyTorch's foreach loop (foreach=True, default dtype float64): 1.13's default
  // single-tensor loop multiplies μₜ into the next step's product twice (mu_product * mu * mu_next
  // after mu_product *= mu), which the published rule and its own foreach loop do not
  ['NAdam', (ps) => new optim.NAdam(ps, { lr: 0.05 }), 8, [1.1945894989625991, -2.3333615506948924, -0.06651692835333739]],
  ['NAdam wd', (ps) => new optim.NAdam(ps, { lr: 0.05, beta1: 0.8, beta2: 0.99, weightDecay: 0.1, momentumDecay: 0.01 }), 8, [1.1551110682449641, -2.3810274880196944, -0.10771502630319618]],
  ['RAdam', (ps) => new optim.RAdam(ps, { lr: 0.05 }), 12, [0.7845451299542642, -3.611457682248961, -0.02528457430284333]],
  ['RAdam b2 0.9', (ps) => new optim.RAdam(ps, { lr: 0.05, beta2: 0.9, weightDecay: 0.1 }), 12, [0.6234456906341979, -3.6677943156437998, -0.1660498867444691]],
];

test('Adadelta, Adamax, NAdam and RAdam end where PyTorch\'s do', () => {
  for (const [what, make, steps, want] of CASES) close(run(make, steps), want, what);
});

test('each resumes from its state dict mid-run to the same end', () => {
  for (const [what, make, steps, want] of CASES) close(run(make, steps, 5), want, `${what} resumed at step 5`);
});
