"""Keras side of bench/res8_gap.ts: forward-only (tf.function, training=False) and
train_on_batch examples/s of bench/backend_keras.py's res8, batch 64, input 49x40x1."""
import os, time, json, sys
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np, tensorflow as tf, keras
from backend_keras import res8
m = res8((49, 40, 1), 12)
m.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
x = np.random.default_rng(0).normal(size=(64, 49, 40, 1)).astype("float32")
y = np.random.default_rng(0).integers(0, 12, size=(64,)).astype("int32")
f = tf.function(lambda a: m(a, training=False))
for _ in range(10): f(x).numpy(); m.train_on_batch(x, y)
bf = bs = 0
for r in range(3):
    t0 = time.perf_counter()
    for _ in range(30): f(x).numpy()
    bf = max(bf, 30 * 64 / (time.perf_counter() - t0))
    t0 = time.perf_counter()
    for _ in range(30): m.train_on_batch(x, y)
    bs = max(bs, 30 * 64 / (time.perf_counter() - t0))
print(json.dumps({"kerasForward": round(bf), "kerasTrainOnBatch": round(bs)}))
