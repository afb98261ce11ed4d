"""Keras graph-mode reference for bench/backend.ts: trains the same model on the same shapes
with model.fit (graph mode, the Keras default) and prints one JSON line with examples/s.

  /work/venv/bin/python bench/backend_keras.py --model small_cnn --steps 60 --batch 64
"""
import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402


def small_cnn(input_shape, classes):
    """2 conv 3x3 32/64 + pool, dense (issue 3's benchmark model)."""
    return keras.Sequential([
        keras.Input(input_shape),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(classes, activation="softmax"),
    ])


def ds_cnn(input_shape, classes):
    """keyspot's ds_cnn (src/models/ds-cnn.ts): conv 10x4x64/2 + BN + ReLU, 4 x (dw 3x3 + BN + ReLU
    + pw 1x1x64 + BN + ReLU), global average pool, dropout 0.2, dense logits, softmax."""
    inp = keras.Input(input_shape)
    x = layers.Conv2D(64, (10, 4), strides=2, padding="same", use_bias=False)(inp)
    x = layers.ReLU()(layers.BatchNormalization()(x))
    for _ in range(4):
        x = layers.DepthwiseConv2D(3, padding="same")(x)
        x = layers.ReLU()(layers.BatchNormalization()(x))
        x = layers.Conv2D(64, 1, padding="same", use_bias=False)(x)
        x = layers.ReLU()(layers.BatchNormalization()(x))
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.2)(x)
    x = layers.Dense(classes)(x)
    return keras.Model(inp, layers.Softmax()(x))


def res8(input_shape, classes):
    """keyspot's res8 (src/models/res8.ts, Honk's res8 with affine BN)."""
    inp = keras.Input(input_shape)
    conv = lambda t: layers.ReLU()(layers.Conv2D(45, 3, padding="same", use_bias=False, kernel_initializer="he_normal")(t))
    x = conv(inp)
    x = layers.AveragePooling2D((4, 3), strides=(4, 3), padding="same")(x)
    skip = x
    for i in range(1, 7):
        y = conv(x)
        if i % 2 == 0:
            skip = layers.Add()([y, skip])
            x = layers.BatchNormalization()(skip)
        else:
            x = layers.BatchNormalization()(y)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(classes)(x)
    return keras.Model(inp, layers.Softmax()(x))


MODELS = {"small_cnn": small_cnn, "ds_cnn": ds_cnn, "res8": res8}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="small_cnn", choices=sorted(MODELS))
    p.add_argument("--steps", type=int, default=60)
    p.add_argument("--warmup", type=int, default=10)  # >= 1
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--height", type=int, default=49)
    p.add_argument("--width", type=int, default=40)
    p.add_argument("--classes", type=int, default=12)
    a = p.parse_args()
    keras.utils.set_random_seed(0)
    shape = (a.height, a.width, 1)
    model = MODELS[a.model](shape, a.classes)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    n = a.batch * (a.steps + a.warmup)
    x = rng.uniform(-1, 1, size=(n,) + shape).astype("float32")
    y = rng.integers(0, a.classes, size=(n,)).astype("int32")
    # One fit over warm-up + timed batches; time from the end of the last warm-up batch to the end
    # of the last batch (no fit set-up or tracing in the figure).
    stamps = []
    timer = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: stamps.append(time.perf_counter()))
    total = a.warmup + a.steps
    hist = model.fit(x[: a.batch * total], y[: a.batch * total], batch_size=a.batch, epochs=1, shuffle=False,
                     verbose=0, callbacks=[timer])
    sec = stamps[-1] - stamps[a.warmup - 1]
    print(json.dumps({"model": a.model, "steps": a.steps, "batch": a.batch, "seconds": sec,
                      "examplesPerSec": a.steps * a.batch / sec, "loss": float(hist.history["loss"][-1]),
                      "tensorflow": __import__("tensorflow").__version__, "keras": keras.__version__}))


if __name__ == "__main__":
    main()
