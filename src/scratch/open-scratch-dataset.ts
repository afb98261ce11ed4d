/**
 * Opens an image dataset as the TrainingData the from-scratch network trains on: the same
 * loaders (src/data/images) and the same ImageTrainingData (split, Sampler, Batcher) as the
 * tfjs image trainer, so both see identical batches for identical seeds.
 */
import { ImageTrainingData, type ImageDataOptions } from '../data/images/image-data.ts';
import { IMAGE_DATASET_KINDS, loadImages } from '../data/images/load-images.ts';

/** Dataset kinds `keyspot train scratch --dataset` accepts (every image dataset kind). */
export const SCRATCH_DATASETS = IMAGE_DATASET_KINDS;

/**
 * Loads `dir` as dataset `kind` and builds its training data (call `close()` when done).
 * @param options split fractions, seed, workers (augmentation stays off unless given)
 * @throws DatasetError / ConfigError naming the folder, file or option
 */
export async function openScratchDataset(kind: string, dir: string, options: ImageDataOptions = {}): Promise<ImageTrainingData> {
  const images = loadImages(kind, dir);
  return ImageTrainingData.create(images.train, images.test, options);
}
