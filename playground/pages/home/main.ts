// SPDX-License-Identifier: MIT
// The landing page: the list of pages, and which backend and how many threads this browser gets.
import * as st from 'strata-dl';

const PAGES: [string, string, string][] = [
  ['classify', 'Classify 2-D data', 'a network learns a decision boundary, live'],
  ['conv', 'Convolution explorer', 'kernels, padding, stride, dilation and pooling on an image'],
  ['digits', 'Digits', 'train the MNIST CNN in the page, draw a digit, see what each layer sees'],
  ['generate', 'Generate', 'GAN and VAE samples, a walk through the latent space, the name generator'],
];

const list = document.getElementById('pages')!;
for (const [path, title, what] of PAGES) {
  const li = document.createElement('li');
  li.innerHTML = `<a href="/${path}/">${title}</a>: ${what}`;
  list.append(li);
}
document.getElementById('status')!.textContent =
  `backend: ${st.getBackend().name}, threads: ${st.getNumThreads()}, cross-origin isolated: ${String(globalThis.crossOriginIsolated)}`;
