// SPDX-License-Identifier: MIT
export { tileGrid, encodePng, decodePng, pngDataUrl, type Rgba, type GridOptions, type Colormap } from './image.js';
export { confusionMatrix, confusionHtml } from './confusion.js';
export { renderReport, type ReportData, type EpochRecord } from './report.js';
export { firstLayerFilters, featureMaps, predictProbabilities, confidentMistakes } from './insights.js';
export { renderGenerativeReport } from './generative/render.js';
export type { GenerativeReportData, GenerativeEpoch, ImageSet, SampleScores } from './generative/types.js';
export { pca2, type Pca2 } from './generative/pca.js';
export { rocCurve, type Roc } from './generative/roc.js';
export { histograms, type Histogram } from './generative/histogram.js';
