/** Datasets for the dataset and datarep rule keywords: option parsing, file formats and the store. */
export { formatDatasetEntry, parseDatasetLine } from './file-format.js';
export {
  type DatarepOption,
  type DatasetOption,
  type DatasetType,
  parseDatarepOption,
  parseDatasetOption,
  parseSize,
} from './options.js';
export {
  createDatasetStore,
  type DatasetCommand,
  type DatasetStats,
  type DatasetStore,
  type DatasetStoreOptions,
  DEFAULT_MEMCAP,
} from './store.js';
