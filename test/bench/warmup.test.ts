import { test } from 'node:test';
import assert from 'node:assert/strict';
import { warmUp, warmUpAsync } from '../../bench/warmup.js';

const busy = (ms: number): void => { const end = performance.now() + ms; while (performance.now() < end); };

test('warmUp runs steps for the whole warm-up and returns their rate', () => {
  let steps = 0;
  const t = performance.now();
  const rate = warmUp(() => { busy(5); steps++; return 2; }, 0.05);
  const elapsed = (performance.now() - t) / 1000;
  assert.ok(elapsed >= 0.05, `warm-up ended after ${elapsed} s`);
  assert.ok(steps >= 10, `${steps} steps`);
  // 2 units per ~5 ms step: about 400 units/s, never more
  assert.ok(rate > 100 && rate <= 400, `rate ${rate}`);
});

test('warmUp runs one step when the warm-up is 0 s', () => {
  let steps = 0;
  warmUp(() => { steps++; return 1; }, 0);
  assert.equal(steps, 1);
});

test('warmUpAsync waits for each step', async () => {
  let steps = 0, running = false;
  const rate = await warmUpAsync(async () => {
    assert.ok(!running, 'a step started before the last one ended');
    running = true;
    await new Promise((r) => setTimeout(r, 5));
    running = false;
    steps++;
    return 1;
  }, 0.03);
  assert.ok(steps >= 2, `${steps} steps`);
  assert.ok(rate > 10 && rate <= 200, `rate ${rate}`);
});
