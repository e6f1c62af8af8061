package io.sluice.protocol.kafka.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import io.sluice.protocol.kafka.message.KafkaApiKey;
import io.sluice.protocol.kafka.message.RequestHeader;

import java.nio.ByteBuffer;

/**
 * One request frame with its header decoded and its body still in bytes: whether the body can be decoded depends on
 * which versions the broker supports, which the session decides. Owns the frame: {@link #release()} it when the
 * request is done (records in a produce request point into the frame, so that is after the append completed).
 *
 * <p>Header layout (v1; v2 adds a tagged-field section after the client id, for flexible request versions):
 * <pre>
 *   int16 api_key | int16 api_version | int32 correlation_id | int16-length client_id (nullable, never compact)
 * </pre>
 */
public final class KafkaRequest extends AbstractReferenceCounted {

    private final ByteBuf frame;
    private final short apiKeyId;
    private final short version;
    private final int correlationId;
    private final String clientId;
    private final KafkaApiKey apiKey;
    private final ByteBuffer body;

    private KafkaRequest(ByteBuf frame, short apiKeyId, short version, int correlationId, String clientId,
                         KafkaApiKey apiKey, ByteBuffer body) {
        this.frame = frame;
        this.apiKeyId = apiKeyId;
        this.version = version;
        this.correlationId = correlationId;
        this.clientId = clientId;
        this.apiKey = apiKey;
        this.body = body;
    }

    /**
     * Decodes the header of a frame, taking ownership of it.
     *
     * @throws KafkaProtocolException (or an underflow) if even the fixed header part is missing; the frame is
     *                                released in that case
     */
    public static KafkaRequest parse(ByteBuf frame) {
        try {
            ByteBuffer buf = frame.nioBuffer();
            short key = buf.getShort(0);
            short version = buf.getShort(2);
            KafkaApiKey apiKey = KafkaApiKey.forId(key);
            if (apiKey == null) {
                int correlationId = buf.getInt(4);
                return new KafkaRequest(frame, key, version, correlationId, null, null, null);
            }
            short headerVersion = apiKey.requestHeaderVersion(version);
            RequestHeader header;
            try {
                header = new RequestHeader(buf.duplicate(), headerVersion);
            } catch (RuntimeException e) {
                if (apiKey != KafkaApiKey.API_VERSIONS || apiKey.isVersionDefined(version)) {
                    throw e;
                }
                // A version from the future: its header version is a guess, so accept the older form too, to be
                // able to answer with the supported versions.
                headerVersion = 1;
            }
            header = new RequestHeader(buf, headerVersion);
            return new KafkaRequest(frame, key, version, header.correlationId, header.clientId, apiKey, buf.slice());
        } catch (RuntimeException e) {
            frame.release();
            throw e instanceof KafkaProtocolException ? e : new KafkaProtocolException("malformed request header: " + e);
        }
    }

    /** The api key as received, even if unknown. */
    public short apiKeyId() {
        return apiKeyId;
    }

    /** The api, or null if the key is unknown. */
    public KafkaApiKey apiKey() {
        return apiKey;
    }

    public short version() {
        return version;
    }

    public int correlationId() {
        return correlationId;
    }

    public String clientId() {
        return clientId;
    }

    /** The body's bytes (a view of the frame; null for an unknown api key). Valid until the request is released. */
    public ByteBuffer body() {
        return body == null ? null : body.duplicate();
    }

    public int sizeInBytes() {
        return frame.readableBytes();
    }

    @Override
    protected void deallocate() {
        frame.release();
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        frame.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return (apiKey == null ? "api " + apiKeyId : apiKey.apiName) + " v" + version + " #" + correlationId;
    }
}
