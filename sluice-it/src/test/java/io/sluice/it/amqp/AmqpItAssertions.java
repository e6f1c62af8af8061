package io.sluice.it.amqp;

import org.assertj.core.api.ThrowableAssert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Assertions on how the broker closed a channel or connection. */
final class AmqpItAssertions {

    private AmqpItAssertions() {
    }

    /**
     * Asserts that {@code call} fails because the broker closed the channel or connection with {@code replyCode}.
     * The client reports that as an IOException caused by the close, or, when the close arrived before the call was
     * made, as an AlreadyClosedException carrying it: either is accepted.
     */
    static void assertClosedWith(int replyCode, ThrowableAssert.ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).as("expected a close with reply code " + replyCode).isNotNull();
        StringBuilder chain = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            chain.append(c).append('\n');
        }
        assertThat(chain.toString()).contains("reply-code=" + replyCode);
    }
}
