// SPDX-License-Identifier: MIT
export { tileGrid, encodePng, decodePng, pngDataUrl, type Rgba, type GridOptions, type Colormap } from './image.js';
export { confusionMatrix, confusionHtml } from './confusion.js';
export { renderReport, type ReportData, type EpochRecord } from './report.js';
export { firstLayerFilters, featureMaps, predictProbabilities, confidentMistakes } from './insights.js';
