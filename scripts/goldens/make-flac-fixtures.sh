#!/usr/bin/env bash
# Makes the FLAC fixtures of tests/audio/flac.test.ts (tests/fixtures/audio/flac-*), each beside
# the WAV of the same samples: sox synthesises the WAV (repeatable, no dither), the reference
# `flac` encoder compresses it (default metadata: VORBIS_COMMENT and SEEKTABLE, no padding), and
# two corrupt copies are cut from the 16-bit file. Run once (needs `apt-get install flac sox`):
#   bash scripts/goldens/make-flac-fixtures.sh
set -euo pipefail
OUT="$(cd "$(dirname "$0")/../../tests/fixtures/audio" && pwd)"
cd "$OUT"

# 16-bit mono 16 kHz, 1601 samples (odd), white noise at -10 dBFS; 512-sample blocks -> 4 frames.
sox -R -D -r 16000 -c 1 -n -b 16 -e signed-integer flac-mono16-16k.wav synth 1601s whitenoise vol 0.3
flac -s -f --no-padding --blocksize=512 flac-mono16-16k.wav -o flac-mono16-16k.flac

# 24-bit stereo 44.1 kHz, 1103 samples (odd): 300 Hz left, 500 Hz right, different levels.
sox -R -D -r 44100 -c 2 -n -b 24 -e signed-integer flac-stereo24-44k.wav synth 1103s sine 300 sine 500 remix 1v0.5 2v0.25
flac -s -f --no-padding flac-stereo24-44k.wav -o flac-stereo24-44k.flac

# 8-bit mono 8 kHz, 801 samples (odd), 200 Hz (WAV 8-bit is unsigned, FLAC signed).
sox -R -D -r 8000 -c 1 -n -b 8 -e unsigned-integer flac-mono8-8k.wav synth 801s sine 200 vol 0.7
flac -s -f --no-padding flac-mono8-8k.wav -o flac-mono8-8k.flac

# 8 kHz 16-bit mono, 0.5 s of a 600 Hz tone (the `low` word of tests/infer/tone-model.ts), for
# `keyspot predict` on FLAC.
sox -R -D -r 8000 -c 1 -n -b 16 -e signed-integer flac-tone-8k.wav synth 4000s sine 600 vol 0.5 fade h 0.05 0.5 0.05
flac -s -f --no-padding flac-tone-8k.wav -o flac-tone-8k.flac

# 16 kHz 16-bit mono: 4096 samples of a 440 Hz tone, then 1280 samples of digital silence. The
# silent last frame is a few bytes (a constant subframe), and codec-parser returns it merged with
# the frame before (the LibriSpeech file train-clean-100/3235-11599-0000.flac does the same).
sox -R -D -r 16000 -c 1 -n -b 16 -e signed-integer tone-part.wav synth 4096s sine 440 vol 0.3
sox -R -D -r 16000 -c 1 -n -b 16 -e signed-integer silence-part.wav trim 0 1280s
sox tone-part.wav silence-part.wav flac-silent-tail-16k.wav
rm tone-part.wav silence-part.wav
flac -s -f --no-padding flac-silent-tail-16k.wav -o flac-silent-tail-16k.flac

# Corrupt copies of the 16-bit file: cut in the middle of its audio, and 16 bytes flipped inside the
# second audio frame (its CRC-16 fails, so the frame is dropped).
size=$(stat -c %s flac-mono16-16k.flac)
head -c $((size * 2 / 3)) flac-mono16-16k.flac > flac-corrupt-truncated.flac
python3 - <<'PY'
data = bytearray(open('flac-mono16-16k.flac', 'rb').read())
# Skip the metadata blocks, then find the second frame sync (0xFFF8) after the first frame.
pos = 4
while True:
    last = data[pos] & 0x80
    pos += 4 + int.from_bytes(data[pos + 1:pos + 4], 'big')
    if last:
        break
second = data.index(b'\xff\xf8', pos + 16)
for i in range(second + 40, second + 56):
    data[i] ^= 0xA5
open('flac-corrupt-flipped.flac', 'wb').write(bytes(data))
PY
ls -l flac-*
