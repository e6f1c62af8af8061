package io.sluice.protocol.resp.codec;

/** The reply dialect of a connection: RESP2 until the client says {@code HELLO 3}. */
public enum RespVersion {
    RESP2(2), RESP3(3);

    private final int number;

    RespVersion(int number) {
        this.number = number;
    }

    /** The number used in {@code HELLO} and reported in its {@code proto} field. */
    public int number() {
        return number;
    }
}
