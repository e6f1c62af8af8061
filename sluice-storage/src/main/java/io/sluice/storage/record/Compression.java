package io.sluice.storage.record;

/** Compression codecs of the record batch v2 format; the id is the value of attribute bits 0-2. */
public enum Compression {
    NONE(0),
    GZIP(1),
    SNAPPY(2),
    LZ4(3),
    ZSTD(4);

    public final int id;

    Compression(int id) {
        this.id = id;
    }

    public static Compression fromId(int id) {
        for (Compression c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression id " + id);
    }
}
