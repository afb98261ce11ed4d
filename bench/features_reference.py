"""Reference timings for bench/features.ts: decode + log-mel (98 x 40) of 1 s 16 kHz clips with
librosa (per clip) and tf.signal (batched), on one thread. Prints one JSON line.

  /work/venv/bin/python bench/features_reference.py FILELIST [--reps N]
FILELIST: a text file with one WAV path per line (1 s, 16 kHz).
"""
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import librosa  # noqa: E402
import numpy as np  # noqa: E402
import soundfile as sf  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)

SR, WIN, HOP, NFFT, NMELS, OFFSET = 16000, 480, 160, 512, 40, 1e-6


def load(path):
    y, sr = sf.read(path, dtype="float32")
    if y.ndim > 1:
        y = y.mean(axis=1)
    out = np.zeros(SR, dtype=np.float32)
    out[: min(SR, len(y))] = y[:SR]
    return out


def librosa_run(paths):
    # Same geometry as keyspot: frames of 480 samples at t * 160 (pad so librosa's centred window matches).
    lp = (NFFT - WIN) // 2
    mel = librosa.filters.mel(sr=SR, n_fft=NFFT, n_mels=NMELS, fmin=20, fmax=8000, htk=True, norm=None)
    t0 = time.perf_counter()
    for p in paths:
        y = np.pad(load(p), (lp, NFFT - WIN - lp))
        S = librosa.feature.melspectrogram(y=y, sr=SR, n_fft=NFFT, hop_length=HOP, win_length=WIN, center=False,
                                           power=2.0, n_mels=NMELS, fmin=20, fmax=8000, htk=True, norm=None)
        out = np.log(S + OFFSET).T
    assert out.shape == (98, 40)
    del mel
    return len(paths) / (time.perf_counter() - t0)


def tf_run(paths, batch=100):
    w = tf.signal.linear_to_mel_weight_matrix(NMELS, NFFT // 2 + 1, SR, 20.0, 8000.0)

    @tf.function
    def feats(x):
        s = tf.signal.stft(x, WIN, HOP, NFFT, window_fn=tf.signal.hann_window)
        return tf.math.log(tf.matmul(tf.abs(s) ** 2, w) + OFFSET)

    feats(tf.zeros([batch, SR]))  # trace once, outside the timing
    t0 = time.perf_counter()
    for i in range(0, len(paths), batch):
        x = np.stack([load(p) for p in paths[i:i + batch]])
        out = feats(tf.constant(x)).numpy()
    assert out.shape[1:] == (98, 40)
    return len(paths) / (time.perf_counter() - t0)


def main():
    paths = [line.strip() for line in open(sys.argv[1]) if line.strip()]
    reps = int(sys.argv[sys.argv.index("--reps") + 1]) if "--reps" in sys.argv else 3
    lib = max(librosa_run(paths) for _ in range(reps))
    tfs = max(tf_run(paths) for _ in range(reps))
    print(json.dumps({"librosa": librosa.__version__, "tensorflow": tf.__version__,
                      "librosaClipsPerSec": lib, "tfSignalClipsPerSec": tfs, "clips": len(paths)}))


if __name__ == "__main__":
    main()
