package io.sluice.core.pubsub;

import io.sluice.core.CallContext;
import io.sluice.core.Message;

/**
 * Transient publish/subscribe (core NATS, Redis PUBLISH/SUBSCRIBE): at-most-once, nothing stored. Subscriptions in
 * the same queue group share messages (one member receives each). Scoped: a publish reaches subscribers of the same
 * scope only.
 *
 * <p>Thread-safe; publish is lock-free on the read side (subscription changes copy on write).
 */
public interface PubSub {

    /**
     * Subscribes. {@code queueGroup} null for none.
     *
     * @return a handle that unsubscribes when closed
     */
    AutoCloseable subscribe(CallContext ctx, String pattern, PatternSyntax syntax, String queueGroup,
                            TransientListener listener);

    /** Delivers to every matching subscriber (one per queue group); returns how many received it. */
    int publish(CallContext ctx, String subject, Message message);

    /** Whether any subscription would receive {@code subject} (NATS no-responders). */
    boolean hasSubscribers(CallContext ctx, String subject);
}
