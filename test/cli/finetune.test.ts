// SPDX-License-Identifier: MIT
// `strata finetune` end to end on tiny settings: both runs' metrics, the report's overlaid curves,
// frozen weights left bit-identical, --lr-backbone's parameter group, .pt/.onnx sources (the PyTorch
// LeNet fixtures, which match the zoo's lenet5), and bad input as one line with exit code 1.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as st from 'strata-dl';
import { nodeFileSystem } from 'strata-dl/node';

const ROOT = new URL('../..', import.meta.url).pathname;
const FIXTURES = join(ROOT, 'test/fixtures/torch');
const CLI = ['--import', 'tsx', '--conditions=strata-source', join(ROOT, 'packages/strata-dl-cli/src/cli/main.ts')];
const run = (...args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, [...CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const weights = async (dir: string): Promise<Record<string, st.Tensor>> => st.io.loadSafetensors(join(dir, 'model.safetensors'), nodeFileSystem);
const bits = (t: st.Tensor): number[] => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

describe('strata finetune', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-finetune-'));
  const src = join(dir, 'src');
  const out = join(dir, 'ft');
  let ft: { code: number | null; out: string; err: string };
  before(() => {
    // The pretrained model: an MLP (layers 1, 3 and 5 are Linear; 5 is the head) after one short epoch on MNIST.
    const r = run('train', 'mnist', '--model', 'mlp', '--epochs', '1', '--limit', '1000', '--out', src);
    assert.equal(r.code, 0, r.err);
    ft = run('finetune', src, 'fashion-mnist', '--labels', '100', '--epochs', '2', '--val', '100', '--freeze', '1', '--lr-backbone', '0.01', '--out', out);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('completes and writes the fine-tuned run and the from-scratch run, with the same labels and epochs', () => {
    assert.equal(ft.code, 0, ft.err);
    for (const f of ['model.safetensors', 'config.json', 'metrics.json', 'report.html']) assert.ok(existsSync(join(out, f)), f);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    assert.equal(m.epochs.length, 2);
    assert.equal(m.fromScratch.epochs.length, 2);
    for (const r of [m, m.fromScratch]) {
      assert.ok(r.testAccuracy > 0 && r.testAccuracy <= 1, `test accuracy ${r.testAccuracy}`);
      for (const e of r.epochs) assert.ok(Number.isFinite(e.loss) && e.valAccuracy >= 0);
    }
    assert.equal(m.finetune.labels, 100);
    assert.equal(m.finetune.validation, 100);
    assert.match(ft.out, /fine-tuned test accuracy \d+\.\d\d%; from scratch \d+\.\d\d%/);
  });

  test('the report overlays both runs on the learning curves and compares their test accuracy', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const label of ['fine-tuned: train', 'fine-tuned: validation', 'from scratch: train', 'from scratch: validation']) {
      assert.equal(html.split(`"label":"${label}"`).length - 1, 2, `${label} on both charts`);
    }
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    const cmp = html.slice(html.indexOf('<section id="comparison">'), html.indexOf('</section>', html.indexOf('<section id="comparison">')));
    assert.ok(cmp.includes(`${(100 * m.testAccuracy).toFixed(2)}%`) && cmp.includes(`${(100 * m.fromScratch.testAccuracy).toFixed(2)}%`), cmp);
    assert.ok(html.includes('<section id="confusion">'), 'the usual sections are still there');
  });

  test('--freeze 1 leaves layer 1 bit-identical to the pretrained weights; the other layers train', async () => {
    const [a, b] = [await weights(src), await weights(out)];
    assert.deepEqual(bits(b['1.weight']), bits(a['1.weight']));
    assert.deepEqual(bits(b['1.bias']), bits(a['1.bias']));
    assert.notDeepEqual(bits(b['3.weight']), bits(a['3.weight']));
    assert.deepEqual(b['5.weight'].shape, [10, 128]);
  });

  test('--lr-backbone puts the pretrained trainable layers in a group of their own; the head keeps --lr', () => {
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    assert.deepEqual(m.finetune.paramGroups, [{ lr: 0.01, params: ['3.weight', '3.bias'] }, { lr: 0.001, params: ['5.weight', '5.bias'] }]);
    assert.deepEqual(m.finetune.frozen, ['1']);
  });

  test('the recipe is recorded: cosine schedule and augmentation by default (shift and flip for clothes)', () => {
    const c = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    assert.equal(c.options.schedule, 'cosine');
    assert.equal(c.options.augment, 'shift,flip');
  });

  test('the fine-tuned run loads like any run: strata evaluate reproduces its test accuracy', () => {
    const r = run('evaluate', out);
    assert.equal(r.code, 0, r.err);
    assert.ok(r.out.includes('(identical)'), r.out);
  });

  test('a PyTorch .pt with --model and --freeze alone: everything but the new head keeps the file\'s weights', async () => {
    const o = join(dir, 'pt');
    const r = run('finetune', join(FIXTURES, 'lenet.pt'), 'mnist', '--model', 'lenet5', '--freeze', '--head', '12', '--labels', '50', '--epochs', '1', '--val', '0', '--no-scratch', '--no-report', '--out', o);
    assert.equal(r.code, 0, r.err);
    const pt = st.io.loadPyTorch(new Uint8Array(readFileSync(join(FIXTURES, 'lenet.pt'))));
    const w = await weights(o);
    for (const k of ['0.weight', '3.bias', '7.weight', '9.weight', '9.bias']) assert.deepEqual(bits(w[k]), bits(pt[k]), k);
    assert.deepEqual(w['11.weight'].shape, [12, 84]);
    const m = JSON.parse(readFileSync(join(o, 'metrics.json'), 'utf8'));
    assert.deepEqual(m.finetune.frozen, ['0', '3', '7', '9']);
    assert.equal(m.fromScratch, null);
  });

  test('an ONNX file with --model: its initializers become the backbone (--freeze 0 keeps the first conv)', async () => {
    const o = join(dir, 'onnx');
    const r = run('finetune', join(FIXTURES, 'lenet.onnx'), 'mnist', '--model', 'lenet5', '--freeze', '0', '--labels', '50', '--epochs', '1', '--val', '0', '--no-scratch', '--no-report', '--out', o);
    assert.equal(r.code, 0, r.err);
    const pt = st.io.loadPyTorch(new Uint8Array(readFileSync(join(FIXTURES, 'lenet.pt'))));
    const w = await weights(o);
    assert.deepEqual(bits(w['0.weight']), bits(pt['0.weight']));
    assert.notDeepEqual(bits(w['3.weight']), bits(pt['3.weight']));
  });

  test('bad input: one clear line and exit code 1', () => {
    const bogus = join(dir, 'weights.pt');
    writeFileSync(bogus, 'not a zip');
    const cases: [string[], RegExp][] = [
      [['finetune', join(dir, 'nope'), 'fashion-mnist'], /^error: finetune: no run folder or model file at .*nope$/],
      [['finetune', src, 'svhn'], /^error: finetune: unknown dataset 'svhn'; choose one of mnist, fashion-mnist, cifar10$/],
      [['finetune', bogus, 'mnist'], /^error: finetune: .*weights\.pt: a PyTorch \.pt file holds weights but not the architecture; pass --model/],
      [['finetune', src, 'fashion-mnist', '--freeze', '7'], /^error: Module\.freeze: no parameter name starts with '7'/],
      [['finetune', src, 'fashion-mnist', '--freeze', '5'], /^error: finetune: --freeze 5 would freeze the new head \(layer 5\)$/],
    ];
    for (const [args, re] of cases) {
      const r = run(...args);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.err}`);
      const lines = r.err.trim().split('\n');
      assert.equal(lines.length, 1, r.err);
      assert.match(lines[0], re);
    }
  });
});
