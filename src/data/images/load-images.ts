/**
 * One entry point for every image dataset kind: `loadImages('mnist', dir)` returns the training
 * images and, when the dataset has them, separate test images.
 */
import { ConfigError } from '../../errors.ts';
import { loadImageFolder, loadNotMnist, type ImageFolderOptions } from './folder.ts';
import { FASHION_MNIST_LABELS, loadIdxDataset, MNIST_LABELS } from './idx.ts';
import { concatImages, type ImageSet } from './image-set.ts';

/** Dataset kinds of `keyspot train images --dataset`. */
export const IMAGE_DATASET_KINDS = ['mnist', 'fashion-mnist', 'notmnist', 'folder'] as const;
/** A dataset kind. */
export type ImageDatasetKind = (typeof IMAGE_DATASET_KINDS)[number];

/** Loaded images: `train` always; `test` when the dataset has a separate test part. */
export interface LoadedImages {
  train: ImageSet;
  test?: ImageSet;
}

/** Checks a dataset kind. @throws ConfigError listing the kinds */
export function checkImageDatasetKind(kind: string): ImageDatasetKind {
  if (!(IMAGE_DATASET_KINDS as readonly string[]).includes(kind)) throw new ConfigError('dataset', `one of ${IMAGE_DATASET_KINDS.join(', ')}`, kind);
  return kind as ImageDatasetKind;
}

/**
 * Loads a dataset folder of `kind`. IDX kinds read the MNIST file names (`.gz` or raw); folder
 * kinds read `DIR/<class>/*.png` (unreadable files are skipped and listed in `skipped`).
 * @throws DatasetError / ConfigError naming the folder or file
 */
export function loadImages(kind: string, dir: string, folderOptions: ImageFolderOptions = {}): LoadedImages {
  switch (checkImageDatasetKind(kind)) {
    case 'mnist':
    case 'fashion-mnist': {
      const { train, test } = loadIdxDataset(dir, kind === 'mnist' ? MNIST_LABELS : FASHION_MNIST_LABELS);
      return train ? { train, ...(test ? { test } : {}) } : { train: test! };
    }
    case 'notmnist':
      return { train: loadNotMnist(dir, folderOptions) };
    case 'folder':
      return { train: loadImageFolder(dir, folderOptions) };
    default:
      throw new ConfigError('dataset', `one of ${IMAGE_DATASET_KINDS.join(', ')}`, kind);
  }
}

/** Every image found in `dir` as one set (training and test parts together), for `keyspot eval --split all`. */
export function loadAllImages(kind: string, dir: string, folderOptions: ImageFolderOptions = {}): ImageSet {
  const { train, test } = loadImages(kind, dir, folderOptions);
  return test ? concatImages([train, test]) : train;
}
