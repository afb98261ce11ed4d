#!/usr/bin/env python3
"""Keyword-recipe research and reference runs in Python TensorFlow/Keras (bench only).

Trains on the Speech Commands *training layout* (files in neither validation_list.txt nor
testing_list.txt), keeps the best validation checkpoint, and reports accuracy on the official
12-class test layout (yes..go, _silence_, _unknown_). Features are keyspot's default log-mel
front-end (16 kHz, 30 ms Hann window, 10 ms hop, 512-point FFT, HTK mel 20..8000 Hz with
triangles linear in Hz, ln(power + 1e-6)); raw-audio augmentation (time shift, background noise,
speed perturbation) is done in numpy, features and SpecAugment in the TF graph.

Recipes (``--recipe``):
  tf_conv   TensorFlow examples/speech_commands default: `conv` model, SGD 1e-3 then 1e-4 (the
            15000/3000-step schedule scaled to the time budget), batch 100, dropout 0.5, time shift
            100 ms, noise p=0.8 vol<=0.1, silence/unknown 10% each.
  res8      res8 (Honk), Adam + cosine, SpecAugment, time shift, noise mixing: the reference baseline.
  others    see RECIPES below; any field can be overridden with --set key=value.

Usage:
  flock /tmp/keyspot-bench.lock /work/venv/bin/python bench/kws_keras.py --recipe res8 --minutes 16 \
      --data ../shared/datasets/speech_commands_dev --test ../shared/datasets/speech_commands_dev_test12 \
      --json-out /tmp/kws_keras.jsonl
Prints one JSON line of results (test accuracy, training minutes, examples/s).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import soundfile as sf  # noqa: E402

SR = 16000
CLIP = 16000
WORDS = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]
SILENCE = "_silence_"
UNKNOWN = "_unknown_"
LABELS = [SILENCE, UNKNOWN] + WORDS

BASE = dict(
    model="res8", width=45, nmels=40, batch=100, optimizer="adam", lr=1e-3, schedule="cosine",
    warmup=0.03, weight_decay=0.0, label_smoothing=0.0, dropout=0.0,
    shift_ms=100.0, noise_prob=0.8, noise_max=0.1, silence_pct=10.0, unknown_pct=10.0,
    speed=0.0, gain_db=0.0, spec_time_masks=2, spec_time_width=10, spec_freq_masks=2, spec_freq_width=6,
    mixup=0.0, input_norm="global", balance=True, ensemble=1, synth="",
)

RECIPES = {
    "tf_conv": dict(model="conv", nmels=40, optimizer="sgd", lr=1e-3, schedule="tf_steps", warmup=0.0,
                    dropout=0.5, spec_time_masks=0, spec_freq_masks=0, input_norm="none", balance=False),
    "res8": dict(),
    "res8_64mel": dict(nmels=64, spec_freq_width=10),
    "res8_strong": dict(nmels=64, spec_freq_width=10, speed=0.1, gain_db=6.0, label_smoothing=0.1, noise_max=0.2),
    "res8_mixup": dict(nmels=64, spec_freq_width=10, speed=0.1, label_smoothing=0.1, mixup=0.3),
    "res8w64": dict(width=64, nmels=64, spec_freq_width=10, speed=0.1, label_smoothing=0.1),
    "ds_cnn": dict(model="ds_cnn", nmels=40, dropout=0.2),
    "ds_cnn_strong": dict(model="ds_cnn", nmels=64, spec_freq_width=10, speed=0.1, label_smoothing=0.1, dropout=0.2),
    "bcres": dict(model="bcres", nmels=40, speed=0.1, label_smoothing=0.1),
}


def parse_value(text: str):
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    if text in ("true", "false"):
        return text == "true"
    return text


# ---------------------------------------------------------------- data

def read_wav(path: str) -> np.ndarray:
    x, sr = sf.read(path, dtype="float32", always_2d=False)
    if x.ndim > 1:
        x = x.mean(axis=1)
    if sr != SR:
        import librosa
        x = librosa.resample(x, orig_sr=sr, target_sr=SR)
    out = np.zeros(CLIP, np.float32)
    out[: min(CLIP, len(x))] = x[:CLIP]
    return out


def load_training_layout(root: str, cache: str):
    if cache and os.path.exists(cache):
        z = np.load(cache, allow_pickle=True)
        return {k: z[k] for k in z.files}
    def read_list(name):
        with open(os.path.join(root, name)) as f:
            return {line.strip() for line in f if line.strip()}
    val, test = read_list("validation_list.txt"), read_list("testing_list.txt")
    xs = {"training": [], "validation": []}
    ys = {"training": [], "validation": []}
    words = []
    for word in sorted(os.listdir(root)):
        d = os.path.join(root, word)
        if not os.path.isdir(d) or word.startswith("_"):
            continue
        for fn in sorted(os.listdir(d)):
            if not fn.endswith(".wav"):
                continue
            rel = f"{word}/{fn}"
            if rel in test:
                continue
            split = "validation" if rel in val else "training"
            xs[split].append(read_wav(os.path.join(d, fn)))
            ys[split].append(LABELS.index(word) if word in WORDS else 1)
            words.append(word)
    noise = []
    nd = os.path.join(root, "_background_noise_")
    for fn in sorted(os.listdir(nd)):
        if fn.endswith(".wav"):
            x, sr = sf.read(os.path.join(nd, fn), dtype="float32")
            noise.append(x if sr == SR else read_wav(os.path.join(nd, fn)))
    noise_cat = np.concatenate(noise).astype(np.float32)
    noise_len = np.array([len(n) for n in noise])
    data = dict(xtr=np.stack(xs["training"]), ytr=np.array(ys["training"], np.int32),
                xva=np.stack(xs["validation"]), yva=np.array(ys["validation"], np.int32),
                noise=noise_cat, noise_len=noise_len)
    if cache:
        np.savez(cache, **data)
    return data


def load_test12(root: str):
    xs, ys = [], []
    for label in LABELS:
        d = os.path.join(root, label)
        for fn in sorted(os.listdir(d)):
            if fn.endswith(".wav"):
                xs.append(read_wav(os.path.join(d, fn)))
                ys.append(LABELS.index(label))
    return np.stack(xs), np.array(ys, np.int32)


def load_synth(root: str):
    """Extra clips in the training layout (e.g. espeak-ng speech from `keyspot data synth`)."""
    xs, ys = [], []
    for word in sorted(os.listdir(root)):
        d = os.path.join(root, word)
        if not os.path.isdir(d) or word.startswith("_"):
            continue
        for fn in sorted(os.listdir(d)):
            if fn.endswith(".wav"):
                xs.append(read_wav(os.path.join(d, fn)))
                ys.append(LABELS.index(word) if word in WORDS else 1)
    return np.stack(xs), np.array(ys, np.int32)


class Sampler:
    """Seeded training batches of raw audio: class mix, silence/unknown share, augmentation."""

    def __init__(self, data, cfg, rng):
        self.cfg, self.rng = cfg, rng
        self.x, self.y = data["xtr"], data["ytr"]
        self.noise, starts = data["noise"], np.concatenate([[0], np.cumsum(data["noise_len"])])
        self.noise_spans = [(starts[i], starts[i + 1]) for i in range(len(data["noise_len"]))]
        self.by_class = {c: np.flatnonzero(self.y == c) for c in range(len(LABELS))}
        known = sum(len(self.by_class[c]) for c in range(2, len(LABELS)))
        self.n_unknown = int(known * cfg["unknown_pct"] / 100)
        self.n_silence = int(known * cfg["silence_pct"] / 100)
        self.known = known

    def epoch_size(self):
        return self.known + self.n_unknown + self.n_silence

    def labels_for_batch(self, n):
        """Class per example: known words (balanced or by frequency), unknown, silence."""
        p_sil = self.n_silence / self.epoch_size()
        p_unk = self.n_unknown / self.epoch_size()
        r = self.rng.random(n)
        out = np.empty(n, np.int64)  # item index, -1 = silence
        for i in range(n):
            if r[i] < p_sil:
                out[i] = -1
            elif r[i] < p_sil + p_unk:
                out[i] = self.rng.choice(self.by_class[1])
            else:
                if self.cfg["balance"]:
                    c = 2 + self.rng.integers(len(WORDS))
                    out[i] = self.rng.choice(self.by_class[c])
                else:
                    known_idx = np.flatnonzero(self.y >= 2)
                    out[i] = self.rng.choice(known_idx)
        return out

    def noise_clip(self):
        a, b = self.noise_spans[self.rng.integers(len(self.noise_spans))]
        s = self.rng.integers(a, b - CLIP)
        return self.noise[s: s + CLIP]

    def batch(self, n):
        cfg, rng = self.cfg, self.rng
        items = self.labels_for_batch(n)
        xb = np.zeros((n, CLIP), np.float32)
        yb = np.zeros(n, np.int32)
        shift = int(cfg["shift_ms"] * SR / 1000)
        for i, it in enumerate(items):
            if it < 0:
                yb[i] = 0
                xb[i] = self.noise_clip() * rng.uniform(0, 1)
                continue
            yb[i] = self.y[it]
            x = self.x[it]
            if cfg["speed"] > 0:
                f = rng.uniform(1 - cfg["speed"], 1 + cfg["speed"])
                pos = np.arange(CLIP) * f
                x = np.interp(pos, np.arange(CLIP), x, right=0).astype(np.float32)
            if cfg["gain_db"] > 0:
                x = x * 10 ** (rng.uniform(-cfg["gain_db"], cfg["gain_db"]) / 20)
            if shift > 0:
                s = rng.integers(-shift, shift + 1)
                x = np.roll(x, s)
                if s > 0:
                    x[:s] = 0
                elif s < 0:
                    x[s:] = 0
            if rng.random() < cfg["noise_prob"]:
                x = x + self.noise_clip() * rng.uniform(0, cfg["noise_max"])
            xb[i] = np.clip(x, -1, 1)
        return xb, yb


# ---------------------------------------------------------------- model

def build(cfg, tf, keras, nframes):
    L = keras.layers
    nmels = cfg["nmels"]
    inp = keras.Input((nframes, nmels, 1))
    x = inp
    if cfg["input_norm"] == "bn":
        x = L.BatchNormalization()(x)
    m, w = cfg["model"], cfg["width"]
    if m == "conv":
        x = L.Conv2D(64, (20, 8), padding="same", activation="relu")(x)
        x = L.Dropout(cfg["dropout"])(x)
        x = L.MaxPooling2D(2, 2, padding="same")(x)
        x = L.Conv2D(64, (10, 4), padding="same", activation="relu")(x)
        x = L.Dropout(cfg["dropout"])(x)
        x = L.Flatten()(x)
    elif m in ("res8", "res15"):
        conv = lambda t, d=1: L.Conv2D(w, 3, padding="same", use_bias=False, dilation_rate=d, activation="relu")(t)
        x = conv(x)
        if m == "res8":
            x = L.AveragePooling2D((4, 3), padding="same")(x)
        skip = x
        n = 6 if m == "res8" else 12
        for i in range(1, n + 1):
            d = 1 if m == "res8" else int(2 ** ((i - 1) // 3))
            y = conv(x, d)
            if i % 2 == 0:
                skip = L.Add()([y, skip])
                x = L.BatchNormalization(center=False, scale=False)(skip)
            else:
                x = L.BatchNormalization(center=False, scale=False)(y)
        x = L.GlobalAveragePooling2D()(x)
        if cfg["dropout"] > 0:
            x = L.Dropout(cfg["dropout"])(x)
    elif m == "ds_cnn":
        c = 64 if w == 45 else w
        x = L.Conv2D(c, (10, 4), strides=(2, 2), padding="same", use_bias=False)(x)
        x = L.ReLU()(L.BatchNormalization()(x))
        for _ in range(4):
            x = L.DepthwiseConv2D(3, padding="same", use_bias=False)(x)
            x = L.ReLU()(L.BatchNormalization()(x))
            x = L.Conv2D(c, 1, use_bias=False)(x)
            x = L.ReLU()(L.BatchNormalization()(x))
        x = L.GlobalAveragePooling2D()(x)
        if cfg["dropout"] > 0:
            x = L.Dropout(cfg["dropout"])(x)
    elif m == "bcres":
        # BC-ResNet-like: frequency-depthwise conv + sub-spectral-free broadcast of a temporal conv.
        c0 = 16 if w == 45 else w
        x = L.Conv2D(2 * c0, (5, 5), strides=(1, 2), padding="same", use_bias=False)(x)
        x = L.ReLU()(L.BatchNormalization()(x))

        def block(t, c, stride_f=1, dil=1):
            cin = t.shape[-1]
            if cin != c or stride_f != 1:
                t = L.Conv2D(c, 1, use_bias=False)(t)
                t = L.ReLU()(L.BatchNormalization()(t))
            f2 = L.DepthwiseConv2D((1, 3), strides=(1, stride_f), padding="same", use_bias=False)(t)
            f2 = L.BatchNormalization()(f2)
            aux = L.Lambda(lambda z: tf.reduce_mean(z, axis=2, keepdims=True))(f2)
            aux = L.DepthwiseConv2D((3, 1), dilation_rate=(dil, 1), padding="same", use_bias=False)(aux)
            aux = L.BatchNormalization()(aux)
            aux = L.Activation("swish")(aux)
            aux = L.Conv2D(c, 1, use_bias=False)(aux)
            aux = L.SpatialDropout2D(0.1)(aux)
            sc = t if stride_f == 1 else L.AveragePooling2D((1, stride_f), padding="same")(t)
            out = L.Add()([sc, f2, aux]) if stride_f == 1 else L.Add()([f2, aux])
            return L.ReLU()(out)

        x = block(x, 2 * c0)
        x = block(x, 2 * c0)
        x = block(x, 3 * c0, 2, 2)
        x = block(x, 3 * c0, 1, 2)
        x = block(x, 4 * c0, 2, 4)
        x = block(x, 4 * c0, 1, 4)
        x = block(x, 5 * c0, 1, 8)
        x = L.GlobalAveragePooling2D()(x)
    else:
        raise SystemExit(f"unknown model {m!r}; use conv, res8, res15, ds_cnn, bcres")
    logits = L.Dense(len(LABELS), kernel_regularizer=None)(x)
    return keras.Model(inp, logits)


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--recipe", default="res8", choices=sorted(RECIPES))
    ap.add_argument("--set", action="append", default=[], help="override a recipe field: key=value")
    ap.add_argument("--minutes", type=float, default=16.0, help="training time budget (minutes)")
    ap.add_argument("--data", default="../shared/datasets/speech_commands_dev")
    ap.add_argument("--test", default="../shared/datasets/speech_commands_dev_test12")
    ap.add_argument("--cache", default="/tmp/kws_keras_cache.npz")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--evals", type=int, default=8, help="validation checks during training (best kept)")
    ap.add_argument("--json-out", default="")
    args = ap.parse_args()

    cfg = dict(BASE, **RECIPES[args.recipe])
    for kv in args.set:
        k, v = kv.split("=", 1)
        if k not in cfg:
            raise SystemExit(f"--set: unknown field {k!r}")
        cfg[k] = parse_value(v)

    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    import keras
    import librosa
    keras.utils.set_random_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    data = load_training_layout(args.data, args.cache)
    if cfg["synth"]:
        xs, ys = load_synth(cfg["synth"])
        data["xtr"] = np.concatenate([data["xtr"], xs])
        data["ytr"] = np.concatenate([data["ytr"], ys])
    xte, yte = load_test12(args.test)

    nmels = cfg["nmels"]
    mel = librosa.filters.mel(sr=SR, n_fft=512, n_mels=nmels, fmin=20, fmax=8000, htk=True, norm=None).T.astype(np.float32)
    mel_t = tf.constant(mel)

    def features(wave):
        st = tf.signal.stft(wave, frame_length=480, frame_step=160, fft_length=512,
                            window_fn=lambda n, dtype: tf.signal.hann_window(n, periodic=True, dtype=dtype), pad_end=False)
        p = tf.math.square(tf.abs(st))
        return tf.math.log(tf.matmul(p, mel_t) + 1e-6)[..., None]

    # global input normalisation from a few hundred training clips (a fixed affine map)
    f0 = features(tf.constant(data["xtr"][:400])).numpy()
    mu, sd = float(f0.mean()), float(f0.std())
    nframes = f0.shape[1]

    def norm(f):
        return (f - mu) / sd if cfg["input_norm"] == "global" else f

    def spec_augment(f):
        b = tf.shape(f)[0]
        T, F = nframes, nmels
        mask = tf.ones_like(f)
        for _ in range(cfg["spec_time_masks"]):
            w_ = tf.random.uniform([b, 1, 1, 1], 0, cfg["spec_time_width"] + 1, dtype=tf.int32)
            s_ = tf.random.uniform([b, 1, 1, 1], 0, T, dtype=tf.int32)
            t = tf.range(T)[None, :, None, None]
            mask *= 1.0 - tf.cast((t >= s_) & (t < s_ + w_), f.dtype)
        for _ in range(cfg["spec_freq_masks"]):
            w_ = tf.random.uniform([b, 1, 1, 1], 0, cfg["spec_freq_width"] + 1, dtype=tf.int32)
            s_ = tf.random.uniform([b, 1, 1, 1], 0, F, dtype=tf.int32)
            fr = tf.range(F)[None, None, :, None]
            mask *= 1.0 - tf.cast((fr >= s_) & (fr < s_ + w_), f.dtype)
        return f * mask  # masked to 0 = the mean after global normalisation

    ncls = len(LABELS)
    budget_s = args.minutes * 60
    results = []
    members = max(1, int(cfg["ensemble"]))
    test_probs = []
    total_examples = 0
    t_start_all = time.time()
    for member in range(members):
        model = build(cfg, tf, keras, nframes)
        if cfg["optimizer"] == "sgd":
            opt = keras.optimizers.SGD(learning_rate=cfg["lr"], momentum=0.0)
        elif cfg["optimizer"] == "sgdm":
            opt = keras.optimizers.SGD(learning_rate=cfg["lr"], momentum=0.9, nesterov=True)
        else:
            opt = keras.optimizers.AdamW(learning_rate=cfg["lr"], weight_decay=cfg["weight_decay"]) if cfg["weight_decay"] > 0 \
                else keras.optimizers.Adam(learning_rate=cfg["lr"])
        loss_fn = keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=cfg["label_smoothing"])

        @tf.function(reduce_retracing=True)
        def train_step(wave, yoh, lam, perm):
            f = norm(features(wave))
            if cfg["spec_time_masks"] or cfg["spec_freq_masks"]:
                f = spec_augment(f)
            if cfg["mixup"] > 0:
                f = lam * f + (1 - lam) * tf.gather(f, perm)
                yoh = lam * yoh + (1 - lam) * tf.gather(yoh, perm)
            with tf.GradientTape() as tape:
                logits = model(f, training=True)
                loss = loss_fn(yoh, logits)
            grads = tape.gradient(loss, model.trainable_variables)
            opt.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        @tf.function(reduce_retracing=True)
        def predict(wave):
            return tf.nn.softmax(model(norm(features(wave)), training=False))

        def probs(x):
            return np.concatenate([predict(tf.constant(x[i:i + 200])).numpy() for i in range(0, len(x), 200)])

        sampler = Sampler(data, cfg, np.random.default_rng(args.seed * 1000 + member))
        member_budget = budget_s / members
        t0 = time.time()
        step, examples = 0, 0
        best_val, best_w, evals_done = -1.0, None, 0
        eval_time = 0.0
        while True:
            frac = (time.time() - t0 - eval_time) / member_budget
            if frac >= 1:
                break
            if cfg["schedule"] == "tf_steps":
                lr = cfg["lr"] if frac < 15000 / 18000 else cfg["lr"] / 10
            elif cfg["schedule"] == "cosine":
                wu = cfg["warmup"]
                lr = cfg["lr"] * (frac / wu if frac < wu else 0.5 * (1 + math.cos(math.pi * (frac - wu) / (1 - wu))))
            elif cfg["schedule"] == "onecycle":
                lr = cfg["lr"] * (frac / 0.3 if frac < 0.3 else (1 - frac) / 0.7)
            else:
                lr = cfg["lr"]
            opt.learning_rate.assign(max(lr, 1e-7))
            xb, yb = sampler.batch(cfg["batch"])
            yoh = np.eye(ncls, dtype=np.float32)[yb]
            lam = np.float32(np.random.default_rng(step).beta(cfg["mixup"], cfg["mixup"])) if cfg["mixup"] > 0 else np.float32(1)
            perm = sampler.rng.permutation(cfg["batch"]).astype(np.int32)
            train_step(tf.constant(xb), tf.constant(yoh), tf.constant(lam), tf.constant(perm))
            step += 1
            examples += len(yb)
            if frac >= (evals_done + 1) / args.evals - 1e-9 or frac >= 0.999:
                te = time.time()
                va = float((probs(data["xva"]).argmax(1) == data["yva"]).mean())
                evals_done += 1
                if va >= best_val:
                    best_val, best_w = va, [w.numpy() for w in model.weights]
                print(f"  member {member} step {step} frac {frac:.2f} lr {lr:.2e} val {va:.4f}", file=sys.stderr, flush=True)
                eval_time += time.time() - te
        train_s = time.time() - t0 - eval_time
        va_last = float((probs(data["xva"]).argmax(1) == data["yva"]).mean())
        if va_last >= best_val:
            best_val, best_w = va_last, [w.numpy() for w in model.weights]
        for var, w in zip(model.weights, best_w):
            var.assign(w)
        pt = probs(xte)
        test_probs.append(pt)
        total_examples += examples
        results.append(dict(member=member, val=best_val, test=float((pt.argmax(1) == yte).mean()),
                            train_minutes=train_s / 60, steps=step, examples_per_s=examples / train_s,
                            params=int(model.count_params())))
    ens = np.mean(test_probs, axis=0)
    out = dict(recipe=args.recipe, overrides=args.set, minutes_budget=args.minutes, seed=args.seed,
               test_acc=float((ens.argmax(1) == yte).mean()), val_acc=float(np.mean([r["val"] for r in results])),
               train_minutes=sum(r["train_minutes"] for r in results),
               wall_minutes=(time.time() - t_start_all) / 60,
               examples_per_s=total_examples / max(1e-9, sum(r["train_minutes"] for r in results) * 60),
               members=results, n_train=int(len(data["ytr"])), n_test=int(len(yte)), cfg=cfg)
    line = json.dumps(out)
    print(line, flush=True)
    if args.json_out:
        with open(args.json_out, "a") as f:
            f.write(line + "\n")


if __name__ == "__main__":
    main()
