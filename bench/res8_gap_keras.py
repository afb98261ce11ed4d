"""Keras side of bench/res8_gap.ts: forward-only (tf.function, training=False) and
train_on_batch examples/s of bench/backend_keras.py's res8 (or, with --without-bn, the same
layers without batch norm), batch 64, input 49x40x1, best of 3 x 30 steps. --jit passes
jit_compile to model.compile (auto: Keras' default). Prints one JSON line."""
import argparse, os, time, json, sys
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np, tensorflow as tf, keras
from keras import layers
from backend_keras import res8


def res8_without_bn(shape, classes):
    inp = keras.Input(shape)
    conv = lambda t: layers.ReLU()(layers.Conv2D(45, 3, padding="same", use_bias=False)(t))
    x = layers.AveragePooling2D((4, 3), strides=(4, 3), padding="same")(conv(inp))
    skip = x
    for i in range(1, 7):
        y = conv(x)
        x = skip = layers.Add()([y, skip]) if i % 2 == 0 else y
    x = layers.Dense(classes)(layers.GlobalAveragePooling2D()(x))
    return keras.Model(inp, layers.Softmax()(x))


p = argparse.ArgumentParser()
p.add_argument("--without-bn", action="store_true")
p.add_argument("--jit", default="auto", choices=["auto", "0", "1"])
a = p.parse_args()
m = (res8_without_bn if a.without_bn else res8)((49, 40, 1), 12)
m.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
          jit_compile="auto" if a.jit == "auto" else a.jit == "1")
x = np.random.default_rng(0).normal(size=(64, 49, 40, 1)).astype("float32")
y = np.random.default_rng(0).integers(0, 12, size=(64,)).astype("int32")
f = tf.function(lambda t: m(t, training=False))
for _ in range(10): f(x).numpy(); m.train_on_batch(x, y)
bf = bs = 0
for r in range(3):
    t0 = time.perf_counter()
    for _ in range(30): f(x).numpy()
    bf = max(bf, 30 * 64 / (time.perf_counter() - t0))
    t0 = time.perf_counter()
    for _ in range(30): m.train_on_batch(x, y)
    bs = max(bs, 30 * 64 / (time.perf_counter() - t0))
print(json.dumps({"withoutBn": a.without_bn, "jit": a.jit, "resolvedJit": bool(getattr(m, "jit_compile", False)),
                  "kerasForward": round(bf), "kerasTrainOnBatch": round(bs)}))
