package io.sluice.protocol.resp.session;

/**
 * What XADD was asked to use as an id ({@code *}, {@code <ms>-*} or an explicit id), and redis-server's
 * {@code streamAppendItem} rules for turning it into the entry's id given the stream's last one. Immutable.
 *
 * @param auto    {@code *}: the time in milliseconds, or the last id plus one
 * @param autoSeq {@code <ms>-*}: the next sequence within {@code id}'s milliseconds
 * @param id      the explicit id, or the milliseconds of {@code <ms>-*}; null for {@code *}
 */
record RespAddId(boolean auto, boolean autoSeq, RespStreamId id) {

    /** Parses XADD's id argument; {@code 0-0} is refused with redis-server's error. */
    static RespAddId parse(String text) {
        if (text.equals("*")) {
            return new RespAddId(true, false, null);
        }
        if (text.endsWith("-*")) {
            return new RespAddId(false, true,
                    new RespStreamId(RespStreamId.parseUnsigned(text.substring(0, text.length() - 2)), 0));
        }
        RespStreamId id = RespStreamId.parse(text, 0, false);
        if (id.equals(RespStreamId.MIN)) {
            throw new RespCommandException(RespErrors.XADD_ID_ZERO);
        }
        return new RespAddId(false, false, id);
    }

    /** The id of the entry appended after {@code last} at time {@code now}; throws redis-server's error if none. */
    RespStreamId next(RespStreamId last, long now) {
        if (auto) {
            if (Long.compareUnsigned(now, last.ms()) > 0) {
                return new RespStreamId(now, 0);
            }
            RespStreamId next = last.next();
            if (next == null) {
                throw new RespCommandException("ERR The stream has exhausted the last possible ID, unable to add more items");
            }
            return next;
        }
        RespStreamId candidate = id;
        if (autoSeq) {
            if (candidate.ms() == last.ms()) {
                if (last.seq() == -1L) {
                    throw new RespCommandException(RespErrors.XADD_ID_TOO_SMALL);
                }
                candidate = new RespStreamId(candidate.ms(), last.seq() + 1);
            } else if (Long.compareUnsigned(candidate.ms(), last.ms()) < 0) {
                throw new RespCommandException(RespErrors.XADD_ID_TOO_SMALL);
            } else if (candidate.ms() == 0) {
                candidate = new RespStreamId(0, 1);
            }
            return candidate;
        }
        if (!candidate.isAfter(last)) {
            throw new RespCommandException(RespErrors.XADD_ID_TOO_SMALL);
        }
        return candidate;
    }
}
