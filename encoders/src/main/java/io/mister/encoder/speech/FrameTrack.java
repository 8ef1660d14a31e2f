package io.mister.encoder.speech;

/** Per-frame measurements of one utterance; reused across utterances by one extractor (grown when too small). */
final class FrameTrack {
    final int capacity;
    final double[] energyDb;
    final boolean[] digitalSilence;
    final boolean[] active;
    final boolean[] voiced;
    final double[] f0;
    final double[] f0Smoothed;
    final double[] hnrDb;
    final double[] h1h2Db;
    final double[] loudness;
    final double[] flatness;
    final double[] flux;
    final double[] centroid;
    final double[] rolloff;
    final double[] alphaRatio;
    final double[] hammarberg;
    final double[] slope0to500;
    final double[] slope500to1500;
    final double[] mfcc;
    final double[] values;
    final double[] scratch;
    final double[] scratch2;
    final boolean[] runStart;
    final int[] order;

    FrameTrack(int capacity) {
        this.capacity = capacity;
        energyDb = new double[capacity];
        digitalSilence = new boolean[capacity];
        active = new boolean[capacity];
        voiced = new boolean[capacity];
        f0 = new double[capacity];
        f0Smoothed = new double[capacity];
        hnrDb = new double[capacity];
        h1h2Db = new double[capacity];
        loudness = new double[capacity];
        flatness = new double[capacity];
        flux = new double[capacity];
        centroid = new double[capacity];
        rolloff = new double[capacity];
        alphaRatio = new double[capacity];
        hammarberg = new double[capacity];
        slope0to500 = new double[capacity];
        slope500to1500 = new double[capacity];
        mfcc = new double[capacity * SpectralFrameAnalyzer.CEPSTRA];
        values = new double[capacity];
        scratch = new double[capacity];
        scratch2 = new double[capacity];
        runStart = new boolean[capacity];
        order = new int[capacity];
    }
}
