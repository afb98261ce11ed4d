"""Keras reference for bench/images.ts: the Keras example mnist_convnet trained by Keras 3
(TensorFlow backend, CPU) on the same IDX files. Prints one JSON line:
{"epochs", "train_examples", "examples_per_sec", "seconds", "test_accuracy"}.

usage: python bench/images_keras.py DATA_DIR EPOCHS TRAIN_EXAMPLES
"""
import gzip
import json
import os
import sys
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import keras  # noqa: E402


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def main():
    data_dir, epochs, n_train = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    x = read_idx(os.path.join(data_dir, "train-images-idx3-ubyte.gz"))[:n_train].astype("float32")[..., None] / 255
    y = read_idx(os.path.join(data_dir, "train-labels-idx1-ubyte.gz"))[:n_train]
    xt = read_idx(os.path.join(data_dir, "t10k-images-idx3-ubyte.gz")).astype("float32")[..., None] / 255
    yt = read_idx(os.path.join(data_dir, "t10k-labels-idx1-ubyte.gz"))
    keras.utils.set_random_seed(1)
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        keras.layers.MaxPooling2D(pool_size=(2, 2)),
        keras.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        keras.layers.MaxPooling2D(pool_size=(2, 2)),
        keras.layers.Flatten(),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    t0 = time.time()
    model.fit(x, y, batch_size=128, epochs=epochs, verbose=0)
    seconds = time.time() - t0
    _, acc = model.evaluate(xt, yt, verbose=0)
    print(json.dumps({"epochs": epochs, "train_examples": n_train, "seconds": seconds,
                      "examples_per_sec": epochs * n_train / seconds, "test_accuracy": float(acc)}))


if __name__ == "__main__":
    main()
