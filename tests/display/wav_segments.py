#!/usr/bin/env python3
"""Splits a 16-bit mono WAV into sounds separated by silence and prints them as JSON:
{"rate": Hz, "ms": total length, "segments": [[start_ms, length_ms], ...]}.

A 10 ms frame is loud when its peak is above --threshold (fraction of full scale); sounds
closer than --gap ms are one segment. The announcement has 500 ms after the chime, 700 ms
between two sayings and 1000 ms after the last, while a spoken sentence never pauses that
long: with the default --gap 300 each chime and each saying is one segment.
Standard library only (wave, array), so it runs on a bare Debian."""
import argparse
import array
import json
import sys
import wave


def segments(path, threshold, gap_ms, frame_ms=10):
    with wave.open(path) as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            raise SystemExit(f"{path}: expected 16-bit mono")
        rate = w.getframerate()
        data = array.array("h", w.readframes(w.getnframes()))
    if sys.byteorder == "big":
        data.byteswap()
    frame = rate * frame_ms // 1000
    limit = threshold * 32767
    loud = [max(abs(x) for x in data[i:i + frame]) > limit for i in range(0, len(data), frame)]
    out, start, end, quiet = [], None, 0, 0
    for i, is_loud in enumerate(loud):
        if is_loud:
            if start is None:
                start = i
            end, quiet = i, 0
        elif start is not None:
            quiet += 1
            if quiet * frame_ms >= gap_ms:
                out.append([start * frame_ms, (end + 1 - start) * frame_ms])
                start = None
    if start is not None:
        out.append([start * frame_ms, (end + 1 - start) * frame_ms])
    return {"rate": rate, "ms": len(data) * 1000 // rate, "segments": out}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("wav")
    p.add_argument("--threshold", type=float, default=0.01)
    p.add_argument("--gap", type=int, default=300)
    a = p.parse_args()
    print(json.dumps(segments(a.wav, a.threshold, a.gap)))


if __name__ == "__main__":
    main()
