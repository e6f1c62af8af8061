package io.sluice.protocol.resp.session;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * What a Redis stream has beyond its log records: the last generated id (which can be ahead of the last record after
 * XSETID or a trim that removed everything), the largest deleted id, and the offsets of entries removed by XDEL.
 *
 * <p><b>Why XDEL is a mark, not a record.</b> The log is append-only, so a deleted entry stays in it and a Kafka
 * consumer still reads it. Redis readers must not: the deleted offsets are kept here, durably in the core's
 * key-value store (space {@value RespStreamStore#KV_SPACE}, key = stream name), and every Redis read skips them. Trims
 * move the log start past them and forget them.
 *
 * <p>Durable form, JSON: {@code {"streamId":"<uuid>","lastId":"5-0","maxDeletedId":"3-0","deleted":[12,15]}}; the
 * stream id ties it to one incarnation of the stream, so a stream deleted (say by a Kafka admin) and created again
 * under the same name starts clean. It is rewritten on XDEL,
 * XSETID and trims that empty the stream; the last id is otherwise recovered from the last record at load time, so a
 * plain XADD writes nothing here.
 *
 * <p>Thread-safety: id generation and mark changes synchronize on the instance; readers see {@link #deleted}
 * (a concurrent set) without locking.
 */
final class RespStreamState {

    private static final JsonFactory JSON = new JsonFactory();

    final String key;
    /** The core stream's id: state written for an earlier stream of the same name is ignored. */
    final java.util.UUID streamId;
    final ConcurrentSkipListSet<Long> deleted = new ConcurrentSkipListSet<>();
    /** Ids to offsets; in memory only, rebuilt from the log when the state is loaded. */
    final RespIdIndex index = new RespIdIndex(0);
    private RespStreamId lastId = RespStreamId.MIN;
    private RespStreamId maxDeletedId = RespStreamId.MIN;

    RespStreamState(String key, java.util.UUID streamId) {
        this.key = key;
        this.streamId = streamId;
    }

    synchronized RespStreamId lastId() {
        return lastId;
    }

    synchronized void lastId(RespStreamId id) {
        lastId = id;
    }

    synchronized RespStreamId maxDeletedId() {
        return maxDeletedId;
    }

    synchronized void markDeleted(long offset, RespStreamId id) {
        deleted.add(offset);
        if (id.isAfter(maxDeletedId)) {
            maxDeletedId = id;
        }
    }

    /** Live entries in {@code [from, to)}: the offsets minus those deleted. */
    long liveBetween(long from, long to) {
        if (to <= from) {
            return 0;
        }
        return (to - from) - deleted.subSet(from, to).size();
    }

    synchronized byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("streamId", streamId.toString());
            g.writeStringField("lastId", lastId.toString());
            g.writeStringField("maxDeletedId", maxDeletedId.toString());
            g.writeArrayFieldStart("deleted");
            for (long o : deleted) {
                g.writeNumber(o);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Loads the durable form if it belongs to this stream incarnation; otherwise keeps the empty state. */
    synchronized void loadJson(byte[] json) {
        RespStreamState tmp = new RespStreamState(key, streamId);
        String owner = tmp.parse(json);
        if (streamId.toString().equals(owner)) {
            lastId = tmp.lastId;
            maxDeletedId = tmp.maxDeletedId;
            deleted.addAll(tmp.deleted);
        }
    }

    /** Reads the JSON into this instance; returns the stream id it names. */
    private String parse(byte[] json) {
        String owner = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "streamId" -> owner = p.getText();
                    case "lastId" -> lastId = RespStreamId.parse(p.getText());
                    case "maxDeletedId" -> maxDeletedId = RespStreamId.parse(p.getText());
                    case "deleted" -> {
                        while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
                            deleted.add(p.getLongValue());
                        }
                    }
                    default -> {
                        if (t.isStructStart()) {
                            p.skipChildren();
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return owner;
    }
}
